/**
 * Brush and eraser: Ready → Painting → Ready. A stroke opens a mask edit on the active layer,
 * writes dabs into it as the pointer moves (the canvas redraws the touched rectangle at once, no
 * engine round trip), and commits it as one undo step on release. Shift-click draws a straight
 * line from the end of the last stroke; Escape while painting takes the stroke back.
 */
import type { MaskEdit } from '../document/photo-document';
import { BrushStroke, type BrushSettings } from '../masks/brush-stroke';
import type { Tool, ToolHost, ToolId, ToolOverlay, ToolPointer } from './tool';

export interface BrushOptions {
  size: number;
  hardness: number;
  opacity: number;
  pressureSize: boolean;
  pressureOpacity: boolean;
}

export const DEFAULT_BRUSH_OPTIONS: BrushOptions = { size: 40, hardness: 0.8, opacity: 1, pressureSize: true, pressureOpacity: false };

export class BrushTool implements Tool {
  readonly id: ToolId;
  readonly #erase: boolean;
  readonly #options: () => BrushOptions;
  #edit: MaskEdit | null = null;
  #stroke: BrushStroke | null = null;
  #lastEnd: { x: number; y: number } | null = null;

  constructor(kind: 'brush' | 'eraser', options: () => BrushOptions) {
    this.id = kind;
    this.#erase = kind === 'eraser';
    this.#options = options;
  }

  get state(): 'ready' | 'painting' {
    return this.#stroke ? 'painting' : 'ready';
  }

  pointerDown(p: ToolPointer, host: ToolHost): void {
    if (this.#stroke) return;
    try {
      this.#edit = host.document.beginMaskEdit();
    } catch (error) {
      host.report(error);
      return;
    }
    const o = this.#options();
    const settings: BrushSettings = { ...o, erase: this.#erase !== p.alt, spacing: 0.12 };
    this.#stroke = new BrushStroke(this.#edit.mask, settings, this.#edit.recorder);
    if (p.shift && this.#lastEnd) this.#stroke.to({ ...this.#lastEnd, pressure: p.pressure });
    host.document.maskChanged(this.#edit, this.#stroke.to(p));
  }

  pointerMove(p: ToolPointer, host: ToolHost): void {
    if (!this.#stroke || !this.#edit) return;
    host.document.maskChanged(this.#edit, this.#stroke.to(p));
  }

  pointerUp(p: ToolPointer, host: ToolHost): void {
    if (!this.#stroke || !this.#edit) return;
    host.document.maskChanged(this.#edit, this.#stroke.to(p));
    host.document.commitMaskEdit(this.#edit, this.#erase ? 'Eraser stroke' : 'Brush stroke');
    this.#lastEnd = { x: p.x, y: p.y };
    this.#stroke = null;
    this.#edit = null;
  }

  key(key: string, host: ToolHost): boolean {
    if (key !== 'Escape' || !this.#stroke) return false;
    this.cancel(host);
    return true;
  }

  cancel(host: ToolHost): void {
    if (this.#edit) host.document.cancelMaskEdit(this.#edit);
    this.#stroke = null;
    this.#edit = null;
  }

  overlay(hover: ToolPointer | null): ToolOverlay | null {
    if (!hover) return null;
    const o = this.#options();
    const pressure = this.#stroke && o.pressureSize ? hover.pressure : 1;
    return { kind: 'brush', x: hover.x, y: hover.y, radius: Math.max(0.5, (o.size * pressure) / 2) };
  }
}
