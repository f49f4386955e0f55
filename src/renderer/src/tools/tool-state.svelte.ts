/** The tool in hand and every tool's options, reactive for the tool bar and the options bar. */
import { BrushTool, DEFAULT_BRUSH_OPTIONS, type BrushOptions } from './brush-tool';
import { DEFAULT_FILL_OPTIONS, FillTool, type FillOptions } from './fill-tool';
import { DEFAULT_SHAPE_OPTIONS, LassoTool, PolygonTool, type ShapeOptions } from './shape-tools';
import { nextBrushSize, nextHardness } from './shortcuts';
import type { Tool, ToolHost, ToolId } from './tool';

export const TOOL_TITLES: Record<ToolId, string> = {
  brush: 'Brush',
  eraser: 'Eraser',
  fill: 'Fill',
  lasso: 'Lasso',
  polygon: 'Polygon lasso',
};

export class ToolState {
  active = $state<ToolId>('brush');
  brush = $state<BrushOptions>({ ...DEFAULT_BRUSH_OPTIONS });
  eraser = $state<BrushOptions>({ ...DEFAULT_BRUSH_OPTIONS, hardness: 1 });
  fill = $state<FillOptions>({ ...DEFAULT_FILL_OPTIONS });
  shape = $state<ShapeOptions>({ ...DEFAULT_SHAPE_OPTIONS });
  /** Radius in pixels for grow, shrink and feather. */
  refineRadius = $state(4);
  readonly #tools: Record<ToolId, Tool>;

  constructor() {
    this.#tools = {
      brush: new BrushTool('brush', () => this.brush),
      eraser: new BrushTool('eraser', () => this.eraser),
      fill: new FillTool(() => this.fill),
      lasso: new LassoTool(() => this.shape),
      polygon: new PolygonTool(() => this.shape),
    };
  }

  get tool(): Tool {
    return this.#tools[this.active];
  }

  /** The brush options the size and hardness keys change: the brush's or the eraser's. */
  get activeBrush(): BrushOptions | null {
    return this.active === 'brush' ? this.brush : this.active === 'eraser' ? this.eraser : null;
  }

  select(id: ToolId, host: ToolHost | null): void {
    if (id === this.active) return;
    if (host) this.tool.cancel(host);
    this.active = id;
  }

  swapPaintErase(host: ToolHost | null): void {
    this.select(this.active === 'brush' ? 'eraser' : 'brush', host);
  }

  stepSize(direction: 1 | -1): void {
    const brush = this.activeBrush ?? this.brush;
    brush.size = nextBrushSize(brush.size, direction);
  }

  stepHardness(direction: 1 | -1): void {
    const brush = this.activeBrush ?? this.brush;
    brush.hardness = nextHardness(brush.hardness, direction);
  }
}
