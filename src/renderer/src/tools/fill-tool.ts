/**
 * Fill: one click adds to the active mask every pixel that matches the clicked one — by colour
 * within a tolerance (the photo), or by region (the label map). Alt-click subtracts. One undo step.
 */
import { cropMask } from '../masks/apply-coverage';
import { fillByColour, fillByLabel } from '../masks/flood-fill';
import { isEmptyRect } from '../masks/rect';
import { DocumentRefusal } from '../document/photo-document';
import type { Tool, ToolHost, ToolOverlay, ToolPointer } from './tool';

export interface FillOptions {
  by: 'colour' | 'region';
  /** 0..255 per channel (colour fills only). */
  tolerance: number;
  contiguous: boolean;
  opacity: number;
}

export const DEFAULT_FILL_OPTIONS: FillOptions = { by: 'region', tolerance: 32, contiguous: true, opacity: 1 };

export class FillTool implements Tool {
  readonly id = 'fill' as const;
  readonly state = 'ready';
  readonly #options: () => FillOptions;

  constructor(options: () => FillOptions) {
    this.#options = options;
  }

  pointerDown(p: ToolPointer, host: ToolHost): void {
    const o = this.#options();
    const doc = host.document;
    const { width, height, pixels } = doc.photo;
    try {
      let area;
      if (o.by === 'region') {
        const labels = doc.editedLabelMap() ?? doc.analysedLabels;
        if (!labels) throw new DocumentRefusal('This photo has no regions yet: wait for the analysis, or fill by colour.');
        area = fillByLabel(labels, width, height, p, o.contiguous);
      } else {
        area = fillByColour(pixels, width, height, p, o.tolerance, o.contiguous);
      }
      if (isEmptyRect(area.bounds)) return;
      const coverage = cropMask(area.mask, width, area.bounds);
      const label = o.by === 'region' ? 'Fill region' : 'Fill by colour';
      doc.applyCoverageToActive(area.bounds, coverage, area.bounds.width, p.alt ? 'subtract' : 'add', o.opacity, label);
    } catch (error) {
      host.report(error);
    }
  }

  pointerMove(): void {}
  pointerUp(): void {}

  key(): boolean {
    return false;
  }

  cancel(): void {}

  overlay(hover: ToolPointer | null): ToolOverlay | null {
    return hover ? { kind: 'crosshair', x: hover.x, y: hover.y } : null;
  }
}
