/**
 * Grow and shrink a mask by a radius with a round structuring element, through the exact
 * Euclidean distance transform (Felzenszwalb & Huttenlocher, two 1-D passes): the cost does not
 * depend on the radius. The result ramps over one pixel at the new edge so it stays anti-aliased.
 * Pixels outside the image count as neither inside nor outside: a mask touching the border does
 * not shrink away from it.
 */
import type { Rect } from './rect';

const FAR = 1e20;

/** Squared distance from each pixel to the nearest pixel where `isSource` holds (FAR when none). */
export function squaredDistanceTransform(width: number, height: number, isSource: (i: number) => boolean): Float64Array {
  const d = new Float64Array(width * height);
  for (let i = 0; i < d.length; i++) d[i] = isSource(i) ? 0 : FAR;
  const longest = Math.max(width, height);
  const f = new Float64Array(longest);
  const out = new Float64Array(longest);
  const v = new Int32Array(longest);
  const z = new Float64Array(longest + 1);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) f[y] = d[y * width + x]!;
    transform1d(f, height, out, v, z);
    for (let y = 0; y < height; y++) d[y * width + x] = out[y]!;
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) f[x] = d[y * width + x]!;
    transform1d(f, width, out, v, z);
    for (let x = 0; x < width; x++) d[y * width + x] = out[x]!;
  }
  return d;
}

function transform1d(f: Float64Array, n: number, out: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    let s = (f[q]! + q * q - (f[v[k]!]! + v[k]! * v[k]!)) / (2 * q - 2 * v[k]!);
    while (s <= z[k]!) {
      k--;
      s = (f[q]! + q * q - (f[v[k]!]! + v[k]! * v[k]!)) / (2 * q - 2 * v[k]!);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1]! < q) k++;
    const dq = q - v[k]!;
    out[q] = dq * dq + f[v[k]!]!;
  }
}

/**
 * `radius` > 0 grows, < 0 shrinks, in pixels. `mask` is one byte per pixel of a region of
 * width × height; a pixel is inside when ≥ 128.
 */
export function growShrink(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  if (radius === 0) {
    out.set(mask);
    return out;
  }
  const grow = radius > 0;
  const r = Math.abs(radius);
  const d2 = squaredDistanceTransform(width, height, (i) => (grow ? mask[i]! >= 128 : mask[i]! < 128));
  for (let i = 0; i < out.length; i++) {
    const d = Math.sqrt(d2[i]!);
    // grow: full within r of the mask, fading to nothing at r + 1; shrink: the mirror image.
    const inside = grow ? r + 1 - d : d - r;
    out[i] = inside >= 1 ? 255 : inside <= 0 ? 0 : Math.round(inside * 255);
  }
  return out;
}

/** The region a grow or shrink of `radius` can change, given the mask's content bounds. */
export function morphologyRegion(content: Rect, radius: number, width: number, height: number): Rect {
  const pad = Math.ceil(Math.abs(radius)) + 2;
  const x = Math.max(0, content.x - pad);
  const y = Math.max(0, content.y - pad);
  return {
    x,
    y,
    width: Math.min(width, content.x + content.width + pad) - x,
    height: Math.min(height, content.y + content.height + pad) - y,
  };
}
