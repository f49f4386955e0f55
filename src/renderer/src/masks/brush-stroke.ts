/**
 * Brush and eraser strokes rasterised into a mask. A stroke is a run of round dabs spaced along
 * the pointer's path; each dab's coverage falls off from a hard core (hardness) to the radius.
 * Within one stroke a pixel's coverage is the maximum of the dabs over it, and the mask moves
 * from its value before the stroke towards the target by coverage × opacity — so overlapping dabs
 * never build up past the stroke's opacity, as in Photoshop.
 */
import { pixelBounds, unionRect, EMPTY_RECT, type Rect } from './rect';
import { TILE_SIZE, TiledMask } from './tiled-mask';
import type { TileRecorder } from './tile-recorder';

export interface BrushSettings {
  /** Diameter in image pixels at full pressure. */
  size: number;
  /** 0 = soft all the way, 1 = hard edge (anti-aliased over one pixel). */
  hardness: number;
  /** 0..1: the most a stroke changes a pixel. */
  opacity: number;
  /** Erase (towards 0) instead of paint (towards 255). */
  erase: boolean;
  /** Pen pressure scales the diameter. */
  pressureSize: boolean;
  /** Pen pressure scales the opacity. */
  pressureOpacity: boolean;
  /** Distance between dabs as a fraction of the diameter. */
  spacing: number;
}

export const DEFAULT_BRUSH: BrushSettings = {
  size: 40,
  hardness: 0.8,
  opacity: 1,
  erase: false,
  pressureSize: true,
  pressureOpacity: false,
  spacing: 0.15,
};

export interface StrokePoint {
  /** Image pixels, continuous: the top-left pixel covers [0, 1) × [0, 1). */
  x: number;
  y: number;
  /** 0..1; a mouse reports 1. */
  pressure: number;
}

/** A dab's coverage (0..1) at a distance from its centre. */
export function dabCoverage(distance: number, radius: number, hardness: number): number {
  if (distance >= radius + 0.5) return 0;
  const edge = Math.min(1, radius + 0.5 - distance); // one-pixel anti-aliasing at the rim
  const core = radius * Math.min(1, Math.max(0, hardness));
  if (distance <= core) return edge;
  const t = Math.min(1, (distance - core) / Math.max(1e-6, radius - core));
  const falloff = 1 - t * t * (3 - 2 * t); // smoothstep from the core to the rim
  return Math.min(edge, falloff);
}

export class BrushStroke {
  readonly #mask: TiledMask;
  readonly #settings: BrushSettings;
  readonly #recorder: TileRecorder;
  /** The largest coverage × opacity each pixel received in this stroke, 0..255. */
  readonly #coverage: TiledMask;
  #last: StrokePoint | null = null;
  /** Path length walked since the last dab. */
  #carried = 0;

  constructor(mask: TiledMask, settings: BrushSettings, recorder: TileRecorder) {
    this.#mask = mask;
    this.#settings = { ...settings, size: Math.max(1, settings.size) };
    this.#recorder = recorder;
    this.#coverage = new TiledMask(mask.width, mask.height);
  }

  /** Extends the stroke to a point; returns the rectangle of pixels that may have changed. */
  to(point: StrokePoint): Rect {
    const last = this.#last;
    this.#last = point;
    if (!last) return this.#stamp(point);
    const dx = point.x - last.x;
    const dy = point.y - last.y;
    const length = Math.hypot(dx, dy);
    let dirty = EMPTY_RECT;
    if (length === 0) return dirty;
    let lastDab = -this.#carried;
    let along = lastDab + this.#spacingAt(last);
    while (along <= length) {
      const t = along / length;
      const p = { x: last.x + dx * t, y: last.y + dy * t, pressure: last.pressure + (point.pressure - last.pressure) * t };
      dirty = unionRect(dirty, this.#stamp(p));
      lastDab = along;
      along += this.#spacingAt(p);
    }
    this.#carried = length - lastDab;
    return dirty;
  }

  #spacingAt(p: StrokePoint): number {
    return Math.max(0.5, this.#settings.spacing * this.#diameter(p.pressure));
  }

  #diameter(pressure: number): number {
    const s = this.#settings;
    return Math.max(1, s.pressureSize ? s.size * clamp01(pressure) : s.size);
  }

  #stamp(p: StrokePoint): Rect {
    const s = this.#settings;
    const radius = this.#diameter(p.pressure) / 2;
    const alpha = clamp01(s.opacity) * (s.pressureOpacity ? clamp01(p.pressure) : 1);
    if (alpha <= 0) return EMPTY_RECT;
    const bounds = pixelBounds(p.x - radius - 1, p.y - radius - 1, p.x + radius + 1, p.y + radius + 1, this.#mask.width, this.#mask.height);
    const target = s.erase ? 0 : 255;
    for (const index of this.#mask.tilesIn(bounds)) {
      const tileRect = this.#mask.tileRect(index);
      const x0 = Math.max(bounds.x, tileRect.x);
      const y0 = Math.max(bounds.y, tileRect.y);
      const x1 = Math.min(bounds.x + bounds.width, tileRect.x + tileRect.width);
      const y1 = Math.min(bounds.y + bounds.height, tileRect.y + tileRect.height);
      let coverageTile: Uint8Array | null = null;
      let maskTile: Uint8Array | null = null;
      let original: Uint8Array | null = null;
      for (let y = y0; y < y1; y++) {
        const dy = y + 0.5 - p.y;
        for (let x = x0; x < x1; x++) {
          const dx = x + 0.5 - p.x;
          const c = Math.round(dabCoverage(Math.sqrt(dx * dx + dy * dy), radius, s.hardness) * alpha * 255);
          if (c === 0) continue;
          const offset = (y - tileRect.y) * TILE_SIZE + (x - tileRect.x);
          coverageTile ??= this.#coverage.writableTile(index);
          if (c <= coverageTile[offset]!) continue;
          coverageTile[offset] = c;
          if (!maskTile) {
            original = this.#recorder.originalTile(index);
            if (!original && s.erase) continue; // erasing nothing: leave the tile unallocated
            maskTile = this.#mask.writableTile(index);
            original = this.#recorder.originalTile(index);
          }
          const before = original ? original[offset]! : 0;
          maskTile[offset] = before + Math.round(((target - before) * c) / 255);
        }
      }
    }
    return bounds;
  }
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
