/**
 * Pixel rectangles and the masks cut to them: edits work on the bounding box of what they touch
 * (a face, a region, a hole), not on the whole frame, so their cost follows the edit's size.
 */
import type { PixelWeights } from './color-stats';

/** An axis-aligned pixel rectangle; x1 and y1 are exclusive. */
export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function fullBox(width: number, height: number): PixelBox {
  return { x0: 0, y0: 0, x1: width, y1: height };
}

/** `box` grown by `margin` on every side, clamped to a width × height image. */
export function growBox(box: PixelBox, margin: number, width: number, height: number): PixelBox {
  return { x0: Math.max(0, box.x0 - margin), y0: Math.max(0, box.y0 - margin), x1: Math.min(width, box.x1 + margin), y1: Math.min(height, box.y1 + margin) };
}

/** The bounding box of the pixels whose weight is above `above` (default 0); null when there are none. */
export function weightsBox(weights: PixelWeights, width: number, height: number, above = 0): PixelBox | null {
  let x0 = width;
  let y0 = height;
  let x1 = 0;
  let y1 = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (weights[row + x]! > above) {
        if (x < x0) x0 = x;
        if (x >= x1) x1 = x + 1;
        if (y < y0) y0 = y;
        y1 = y + 1;
      }
    }
  }
  return x1 > x0 ? { x0, y0, x1, y1 } : null;
}

/** The weights inside `box`, as a box-sized array of the same type. */
export function cropWeights<W extends PixelWeights>(weights: W, width: number, box: PixelBox): W {
  const bw = box.x1 - box.x0;
  const out = new (weights.constructor as new (n: number) => W)(bw * (box.y1 - box.y0));
  for (let y = box.y0; y < box.y1; y++) out.set(weights.subarray(y * width + box.x0, y * width + box.x1), (y - box.y0) * bw);
  return out;
}
