/**
 * Makes a filled hole meet its surroundings without a seam. Patch synthesis copies texture from
 * elsewhere in the photo, often from a slightly lighter or darker part of the background, and the
 * hole's outline then shows as a faint silhouette. The fix is seamless cloning's (Pérez et al.,
 * "Poisson Image Editing", 2003, in the membrane form of Farbman et al., 2009): measure the
 * mismatch along the hole's edge — the known neighbours' colour minus the filled colour — smooth
 * it along the edge so texture is not taken for mismatch, spread it over the hole as a membrane
 * (push-pull), and add it. The hole's texture stays; its low frequencies now continue the
 * surroundings'.
 */
import { boxMean } from '../../../vision/segmentation/box-filter';
import { pushPullFill, type FloatImage } from './push-pull-fill';

/** Radius (pixels) over which the edge mismatch is averaged along the edge. */
const EDGE_SMOOTHING = 3;
/**
 * Mismatches larger than this (8-bit levels, any channel) are structure, not shading — the fill
 * meets a dark table top the hole cut through — and are left out: spreading them would tint the
 * whole hole.
 */
const MAX_MISMATCH = 48;
/** The membrane is computed on a copy whose long side is about this. */
const MEMBRANE_SIDE = 256;

/** Adjusts the hole pixels of `filled` (3 channels) in place; `hole` is 1 where pixels were synthesised. */
export function matchHoleEdge(filled: FloatImage, hole: Uint8Array): void {
  const { width, height, data } = filled;
  const n = width * height;
  const edge = new Float32Array(n);
  const mismatch = new Float32Array(n * 3);
  let edges = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!hole[i]) continue;
      let count = 0;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      for (let v = Math.max(0, y - 1); v <= Math.min(height - 1, y + 1); v++) {
        for (let u = Math.max(0, x - 1); u <= Math.min(width - 1, x + 1); u++) {
          const j = v * width + u;
          if (hole[j]) continue;
          s0 += data[j * 3]!;
          s1 += data[j * 3 + 1]!;
          s2 += data[j * 3 + 2]!;
          count++;
        }
      }
      if (count === 0) continue;
      const d0 = s0 / count - data[i * 3]!;
      const d1 = s1 / count - data[i * 3 + 1]!;
      const d2 = s2 / count - data[i * 3 + 2]!;
      if (Math.abs(d0) > MAX_MISMATCH || Math.abs(d1) > MAX_MISMATCH || Math.abs(d2) > MAX_MISMATCH) continue;
      edge[i] = 1;
      mismatch[i * 3] = d0;
      mismatch[i * 3 + 1] = d1;
      mismatch[i * 3 + 2] = d2;
      edges++;
    }
  }
  if (edges === 0) return;
  // The membrane is smooth by construction, so it is computed on a copy a few times smaller: edge
  // mismatches averaged into it with their weights, then averaged along the edge (normalised, so
  // only edge pixels count: texture is not taken for mismatch), spread by push-pull, brought back.
  const factor = Math.max(1, Math.ceil(Math.max(width, height) / MEMBRANE_SIDE));
  const small = shrink(mismatch, edge, width, height, factor);
  const { width: sw, height: sh } = small.image;
  const radius = Math.max(1, Math.round(EDGE_SMOOTHING / factor));
  const share = boxMean(small.weight, sw, sh, radius);
  const plane = new Float32Array(sw * sh);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < plane.length; i++) plane[i] = small.image.data[i * 3 + c]! * small.weight[i]!;
    const blurred = boxMean(plane, sw, sh, radius);
    for (let i = 0; i < plane.length; i++) if (small.weight[i]! > 0) small.image.data[i * 3 + c] = blurred[i]! / share[i]!;
  }
  const m = pushPullFill(small.image, small.weight).data;
  for (let y = 0; y < height; y++) {
    const sy = Math.min(small.image.height - 1, Math.max(0, (y + 0.5) / factor - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(small.image.height - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!hole[i]) continue;
      const sx = Math.min(small.image.width - 1, Math.max(0, (x + 0.5) / factor - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(small.image.width - 1, x0 + 1);
      const fx = sx - x0;
      const a = (y0 * sw + x0) * 3;
      const b = (y0 * sw + x1) * 3;
      const d = (y1 * sw + x0) * 3;
      const e = (y1 * sw + x1) * 3;
      for (let c = 0; c < 3; c++) {
        const top = m[a + c]! + (m[b + c]! - m[a + c]!) * fx;
        const bottom = m[d + c]! + (m[e + c]! - m[d + c]!) * fx;
        data[i * 3 + c] = data[i * 3 + c]! + top + (bottom - top) * fy;
      }
    }
  }
}

/** factor×factor blocks: weighted means of the values and the mean weight. */
function shrink(values: Float32Array, weight: Float32Array, width: number, height: number, factor: number): { image: FloatImage; weight: Float32Array } {
  const w = Math.ceil(width / factor);
  const h = Math.ceil(height / factor);
  const sums = new Float32Array(w * h * 3);
  const weights = new Float32Array(w * h);
  const counts = new Float32Array(w * h);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const o = Math.floor(y / factor) * w + Math.floor(x / factor);
      counts[o]! += 1;
      const k = weight[i]!;
      if (k === 0) continue;
      weights[o]! += k;
      for (let c = 0; c < 3; c++) sums[o * 3 + c]! += k * values[i * 3 + c]!;
    }
  }
  for (let o = 0; o < weights.length; o++) {
    const k = weights[o]!;
    if (k > 0) for (let c = 0; c < 3; c++) sums[o * 3 + c] = sums[o * 3 + c]! / k;
    weights[o] = Math.min(1, k / counts[o]! * factor);
  }
  return { image: { width: w, height: h, channels: 3, data: sums }, weight: weights };
}
