/**
 * Lasso (freehand: press, drag, release) and polygon (click each corner; double-click, Enter or
 * a click on the first corner closes it; Backspace removes the last corner; Escape abandons).
 * Closing adds the shape to the active mask, or subtracts it with Alt held. One undo step.
 */
import { rasterizePolygon, type Point } from '../masks/polygon-fill';
import type { Tool, ToolHost, ToolOverlay, ToolPointer } from './tool';

export interface ShapeOptions {
  mode: 'add' | 'subtract';
  antiAlias: boolean;
}

export const DEFAULT_SHAPE_OPTIONS: ShapeOptions = { mode: 'add', antiAlias: true };

/** How close to the first corner (in screen pixels) a click closes a polygon. */
const CLOSE_DISTANCE = 8;

function applyShape(points: readonly Point[], subtract: boolean, options: ShapeOptions, host: ToolHost, label: string): void {
  const { width, height } = host.document.photo;
  const coverage = rasterizePolygon(points, width, height, options.antiAlias ? 4 : 1);
  if (coverage.bounds.width === 0) return;
  if (!options.antiAlias) for (let i = 0; i < coverage.data.length; i++) coverage.data[i] = coverage.data[i]! >= 128 ? 255 : 0;
  const mode = (options.mode === 'subtract') !== subtract ? 'subtract' : 'add';
  try {
    host.document.applyCoverageToActive(coverage.bounds, coverage.data, coverage.bounds.width, mode, 1, label);
  } catch (error) {
    host.report(error);
  }
}

export class LassoTool implements Tool {
  readonly id = 'lasso' as const;
  readonly #options: () => ShapeOptions;
  #points: Point[] | null = null;
  #subtract = false;

  constructor(options: () => ShapeOptions) {
    this.#options = options;
  }

  get state(): 'ready' | 'drawing' {
    return this.#points ? 'drawing' : 'ready';
  }

  pointerDown(p: ToolPointer): void {
    this.#points = [{ x: p.x, y: p.y }];
    this.#subtract = p.alt;
  }

  pointerMove(p: ToolPointer): void {
    const points = this.#points;
    if (!points) return;
    const last = points.at(-1)!;
    // Keep a point per screen pixel of travel: enough for the shape, not a point per event.
    if (Math.hypot(p.x - last.x, p.y - last.y) >= p.pixelsPerScreenPixel) points.push({ x: p.x, y: p.y });
  }

  pointerUp(p: ToolPointer, host: ToolHost): void {
    const points = this.#points;
    this.#points = null;
    if (!points) return;
    points.push({ x: p.x, y: p.y });
    applyShape(points, this.#subtract || p.alt, this.#options(), host, 'Lasso');
  }

  key(key: string, host: ToolHost): boolean {
    if (key !== 'Escape' || !this.#points) return false;
    this.cancel(host);
    return true;
  }

  cancel(_host?: ToolHost): void {
    this.#points = null;
  }

  overlay(hover: ToolPointer | null): ToolOverlay | null {
    if (this.#points) return { kind: 'path', points: this.#points, closed: false, rubberBand: null, corners: false };
    return hover ? { kind: 'crosshair', x: hover.x, y: hover.y } : null;
  }
}

export class PolygonTool implements Tool {
  readonly id = 'polygon' as const;
  readonly #options: () => ShapeOptions;
  #points: Point[] | null = null;
  #subtract = false;

  constructor(options: () => ShapeOptions) {
    this.#options = options;
  }

  get state(): 'ready' | 'placing' {
    return this.#points ? 'placing' : 'ready';
  }

  get corners(): number {
    return this.#points?.length ?? 0;
  }

  pointerDown(p: ToolPointer, host: ToolHost): void {
    if (!this.#points) {
      this.#points = [{ x: p.x, y: p.y }];
      this.#subtract = p.alt;
      return;
    }
    const first = this.#points[0]!;
    const closeEnough = Math.hypot(p.x - first.x, p.y - first.y) <= CLOSE_DISTANCE * p.pixelsPerScreenPixel;
    if (closeEnough && this.#points.length >= 3) {
      this.#close(host);
      return;
    }
    this.#points.push({ x: p.x, y: p.y });
  }

  pointerMove(): void {}
  pointerUp(): void {}

  doubleClick(_p: ToolPointer, host: ToolHost): void {
    // The double click's two presses already added the same corner twice; drop the duplicate.
    const points = this.#points;
    if (points && points.length >= 2) {
      const [a, b] = [points.at(-1)!, points.at(-2)!];
      if (Math.hypot(a.x - b.x, a.y - b.y) < 1e-6) points.pop();
    }
    this.#close(host);
  }

  key(key: string, host: ToolHost): boolean {
    if (!this.#points) return false;
    if (key === 'Enter') this.#close(host);
    else if (key === 'Escape') this.cancel(host);
    else if (key === 'Backspace') {
      this.#points.pop();
      if (this.#points.length === 0) this.#points = null;
    } else return false;
    return true;
  }

  cancel(_host?: ToolHost): void {
    this.#points = null;
  }

  overlay(hover: ToolPointer | null): ToolOverlay | null {
    if (this.#points) return { kind: 'path', points: this.#points, closed: false, rubberBand: hover ? { x: hover.x, y: hover.y } : null, corners: true };
    return hover ? { kind: 'crosshair', x: hover.x, y: hover.y } : null;
  }

  #close(host: ToolHost): void {
    const points = this.#points;
    this.#points = null;
    if (points && points.length >= 3) applyShape(points, this.#subtract, this.#options(), host, 'Polygon');
  }
}
