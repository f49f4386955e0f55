/**
 * The mask overlay the canvas shows over the photo: each visible mask layer, bottom to top, in
 * its colour at mask × opacity, composited "over" into straight-alpha RGBA ready for ImageData.
 * Runs per dirty rectangle, tile by tile, so a brush dab recomposites only the pixels it touched
 * however many layers there are.
 */
import { intersectRect, type Rect } from './rect';
import { TILE_SIZE, type TiledMask } from './tiled-mask';

export interface OverlaySource {
  mask: TiledMask;
  rgb: readonly [number, number, number];
  /** 0..1 */
  opacity: number;
}

/** Fills `out` (rect.width × rect.height × 4 bytes) with the overlay of `sources` over `rect`. */
export function composeOverlay(rect: Rect, sources: readonly OverlaySource[], out: Uint8ClampedArray, scratch?: Float32Array): void {
  const n = rect.width * rect.height;
  // Premultiplied accumulators: r, g, b, a per pixel.
  const acc = scratch && scratch.length >= n * 4 ? scratch.subarray(0, n * 4) : new Float32Array(n * 4);
  acc.fill(0);
  for (const source of sources) {
    if (source.opacity <= 0) continue;
    const [r, g, b] = source.rgb;
    const k = source.opacity / 255;
    for (const index of source.mask.tilesIn(rect)) {
      const tile = source.mask.tile(index);
      if (!tile) continue;
      const part = intersectRect(rect, source.mask.tileRect(index));
      const tx0 = part.x % TILE_SIZE;
      const ty0 = part.y % TILE_SIZE;
      for (let row = 0; row < part.height; row++) {
        const src = (ty0 + row) * TILE_SIZE + tx0;
        let dst = ((part.y - rect.y + row) * rect.width + (part.x - rect.x)) * 4;
        for (let i = 0; i < part.width; i++, dst += 4) {
          const m = tile[src + i]!;
          if (m === 0) continue;
          const a = m * k;
          const keep = 1 - a;
          acc[dst] = r * a + acc[dst]! * keep;
          acc[dst + 1] = g * a + acc[dst + 1]! * keep;
          acc[dst + 2] = b * a + acc[dst + 2]! * keep;
          acc[dst + 3] = a + acc[dst + 3]! * keep;
        }
      }
    }
  }
  for (let p = 0, o = 0; p < n; p++, o += 4) {
    const a = acc[o + 3]!;
    if (a <= 0) {
      out[o] = out[o + 1] = out[o + 2] = out[o + 3] = 0;
      continue;
    }
    out[o] = acc[o]! / a;
    out[o + 1] = acc[o + 1]! / a;
    out[o + 2] = acc[o + 2]! / a;
    out[o + 3] = a * 255;
  }
}
