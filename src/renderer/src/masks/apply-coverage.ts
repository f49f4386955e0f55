/**
 * Applies a coverage image (a fill, a lasso) to a mask: each pixel moves from its value towards
 * 255 (add) or 0 (subtract) by coverage × opacity. Used by every tool that is not a brush.
 */
import type { Rect } from './rect';
import type { TiledMask } from './tiled-mask';

export type CoverageMode = 'add' | 'subtract';

export function applyCoverage(
  mask: TiledMask,
  bounds: Rect,
  coverage: Uint8Array,
  stride: number,
  mode: CoverageMode,
  opacity = 1,
): void {
  if (bounds.width <= 0 || bounds.height <= 0) return;
  const current = mask.readDense(bounds);
  const next = new Uint8Array(current.length);
  const alpha = Math.max(0, Math.min(1, opacity));
  for (let y = 0; y < bounds.height; y++) {
    for (let x = 0; x < bounds.width; x++) {
      const i = y * bounds.width + x;
      const c = (coverage[y * stride + x]! * alpha) / 255;
      const before = current[i]!;
      next[i] = Math.round(before + ((mode === 'add' ? 255 : 0) - before) * c);
    }
  }
  mask.writeDense(bounds, next);
}

/** Crops a full-image byte mask to a rectangle (fills come back image-sized). */
export function cropMask(full: Uint8Array, imageWidth: number, rect: Rect): Uint8Array {
  const out = new Uint8Array(rect.width * rect.height);
  for (let y = 0; y < rect.height; y++) {
    const src = (rect.y + y) * imageWidth + rect.x;
    out.set(full.subarray(src, src + rect.width), y * rect.width);
  }
  return out;
}
