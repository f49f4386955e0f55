/**
 * Frequency separation for skin smoothing, computed once per face and frame. Each Lab channel I
 * is split into
 *
 *   base   = the self-guided filter of I (He et al., "Guided Image Filtering", 2013): the mean of
 *            each window where the window is flat (var ≪ ε), I itself where it holds an edge
 *            (var ≫ ε) — edges of the eyes, lips, nostrils and jaw stay in the base;
 *   coarse = a blur of (I − base): blotches, redness, uneven shine;
 *   fine   = (I − base) − coarse: pores and fine texture.
 *
 * A slider update then only removes a share of `coarse` and a smaller share of `fine` inside the
 * skin mask: the skin evens out but keeps its texture, and an edge, being in the base, is kept.
 */
import { boxMean } from '../../../../vision/segmentation/box-filter';
import { tripleBoxBlur } from '../../../pixel/blend/gaussian-blur';
import type { LabImage } from '../../../pixel/color/color-space';

export interface SkinLayers {
  /** Where the layers lie inside the face's box (the skin mask's bounds and a filter's reach around them). */
  left: number;
  top: number;
  width: number;
  /** Interleaved L, a, b per pixel of that part. */
  coarse: Float32Array;
  fine: Float32Array;
}

/** Window radius of the guided filter, in face widths: a blotch or a shiny patch fits inside. */
const BASE_RADIUS = 0.05;
/** ε per channel (L, a, b), in squared Lab units: variation below ~√ε inside a window is smoothed away. */
const EPSILON = [120, 12, 12];
/** The pore scale, in face widths (at least one pixel of box radius). */
const FINE_RADIUS = 0.004;

/** The layers of the part of `lab` (the face's box) that `mask` covers, with room for the filters' windows. */
export function skinLayers(box: LabImage, mask: Float32Array, faceWidth: number): SkinLayers {
  const radius = Math.max(2, Math.round(BASE_RADIUS * faceWidth));
  const fineRadius = Math.max(1, Math.round(FINE_RADIUS * faceWidth));
  const part = maskBounds(mask, box.width, box.height, radius + 3 * fineRadius);
  const { width, height } = part;
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const from = ((y + part.top) * box.width + part.left) * 3;
    data.set(box.data.subarray(from, from + width * 3), y * width * 3);
  }
  const n = width * height;
  const coarse = new Float32Array(n * 3);
  const fine = new Float32Array(n * 3);
  const channel = new Float32Array(n);
  const squares = new Float32Array(n);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < n; i++) {
      const v = data[i * 3 + c]!;
      channel[i] = v;
      squares[i] = v * v;
    }
    const base = selfGuided(channel, squares, width, height, radius, EPSILON[c]!);
    const detail = new Float32Array(n);
    for (let i = 0; i < n; i++) detail[i] = channel[i]! - base[i]!;
    const blurred = tripleBoxBlur({ width, height, data: detail }, fineRadius).data;
    for (let i = 0; i < n; i++) {
      coarse[i * 3 + c] = blurred[i]!;
      fine[i * 3 + c] = detail[i]! - blurred[i]!;
    }
  }
  return { left: part.left, top: part.top, width, coarse, fine };
}

/** The bounds of the mask's non-zero pixels grown by `margin`, clipped (the whole plane when empty). */
function maskBounds(mask: Float32Array, width: number, height: number, margin: number): { left: number; top: number; width: number; height: number } {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (mask[y * width + x]! > 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  if (x1 < 0) return { left: 0, top: 0, width, height };
  const left = Math.max(0, x0 - margin);
  const top = Math.max(0, y0 - margin);
  return { left, top, width: Math.min(width, x1 + margin + 1) - left, height: Math.min(height, y1 + margin + 1) - top };
}

/** The guided filter with the channel as its own guide (He et al. 2013, Algorithm 1, I = p). */
function selfGuided(channel: Float32Array, squares: Float32Array, width: number, height: number, radius: number, epsilon: number): Float32Array {
  const mean = boxMean(channel, width, height, radius);
  const meanSq = boxMean(squares, width, height, radius);
  const a = new Float32Array(channel.length);
  const b = new Float32Array(channel.length);
  for (let i = 0; i < channel.length; i++) {
    const m = mean[i]!;
    const variance = Math.max(0, meanSq[i]! - m * m);
    const ai = variance / (variance + epsilon);
    a[i] = ai;
    b[i] = m - ai * m;
  }
  const meanA = boxMean(a, width, height, radius, mean);
  const meanB = boxMean(b, width, height, radius, meanSq);
  const out = a;
  for (let i = 0; i < channel.length; i++) out[i] = meanA[i]! * channel[i]! + meanB[i]!;
  return out;
}
