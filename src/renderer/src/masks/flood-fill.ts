/**
 * Fill by colour (the photo, with a tolerance) or by region (the label map): the pixels a fill
 * would cover, as a 0/255 mask the size of the image plus its bounds. Contiguous fills walk
 * scanlines from the seed (4-connected); non-contiguous fills take every matching pixel.
 */
import { EMPTY_RECT, type Rect } from './rect';

export interface FillArea {
  /** 255 inside the fill, 0 outside; one byte per image pixel, row-major. */
  mask: Uint8Array;
  bounds: Rect;
  pixelCount: number;
}

/**
 * Pixels whose every channel (R, G, B) is within `tolerance` of the seed's, as in Photoshop's
 * magic wand and paint bucket. `rgba` has 4 bytes per pixel; alpha is ignored.
 */
export function fillByColour(
  rgba: ArrayLike<number>,
  width: number,
  height: number,
  seed: { x: number; y: number },
  tolerance: number,
  contiguous = true,
): FillArea {
  const sx = Math.floor(seed.x);
  const sy = Math.floor(seed.y);
  if (!inside(sx, sy, width, height)) return emptyFill(width, height);
  const s = (sy * width + sx) * 4;
  const r = rgba[s]!;
  const g = rgba[s + 1]!;
  const b = rgba[s + 2]!;
  const t = Math.max(0, tolerance);
  const matches = (i: number) => {
    const o = i * 4;
    return Math.abs(rgba[o]! - r) <= t && Math.abs(rgba[o + 1]! - g) <= t && Math.abs(rgba[o + 2]! - b) <= t;
  };
  return contiguous ? scanlineFill(width, height, sx, sy, matches) : everyMatch(width, height, matches);
}

/** Pixels holding the seed's label (tolerance makes no sense for ids). */
export function fillByLabel(
  labels: Uint8Array,
  width: number,
  height: number,
  seed: { x: number; y: number },
  contiguous = true,
): FillArea {
  const sx = Math.floor(seed.x);
  const sy = Math.floor(seed.y);
  if (!inside(sx, sy, width, height)) return emptyFill(width, height);
  const label = labels[sy * width + sx]!;
  const matches = (i: number) => labels[i] === label;
  return contiguous ? scanlineFill(width, height, sx, sy, matches) : everyMatch(width, height, matches);
}

function scanlineFill(width: number, height: number, sx: number, sy: number, matches: (i: number) => boolean): FillArea {
  const mask = new Uint8Array(width * height);
  const stack: number[] = [sx, sy];
  let x0 = sx;
  let x1 = sx;
  let y0 = sy;
  let y1 = sy;
  let count = 0;
  while (stack.length > 0) {
    const y = stack.pop()!;
    let x = stack.pop()!;
    const row = y * width;
    if (mask[row + x] || !matches(row + x)) continue;
    while (x > 0 && !mask[row + x - 1] && matches(row + x - 1)) x--;
    let spanAbove = false;
    let spanBelow = false;
    for (; x < width && !mask[row + x] && matches(row + x); x++) {
      mask[row + x] = 255;
      count++;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y > 0) {
        const up = row - width + x;
        const open = !mask[up] && matches(up);
        if (open && !spanAbove) stack.push(x, y - 1);
        spanAbove = open;
      }
      if (y < height - 1) {
        const down = row + width + x;
        const open = !mask[down] && matches(down);
        if (open && !spanBelow) stack.push(x, y + 1);
        spanBelow = open;
      }
    }
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return { mask, bounds: count ? { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 } : EMPTY_RECT, pixelCount: count };
}

function everyMatch(width: number, height: number, matches: (i: number) => boolean): FillArea {
  const mask = new Uint8Array(width * height);
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  let count = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!matches(y * width + x)) continue;
      mask[y * width + x] = 255;
      count++;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  return { mask, bounds: count ? { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 } : EMPTY_RECT, pixelCount: count };
}

function inside(x: number, y: number, width: number, height: number): boolean {
  return x >= 0 && y >= 0 && x < width && y < height;
}

function emptyFill(width: number, height: number): FillArea {
  return { mask: new Uint8Array(width * height), bounds: EMPTY_RECT, pixelCount: 0 };
}
