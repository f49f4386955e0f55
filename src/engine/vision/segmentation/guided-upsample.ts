/**
 * Upsamples a low-resolution probability map to image size with edges that follow the image:
 * the fast guided filter (He & Sun, "Fast Guided Filter", 2015) with the image's luminance as the
 * guide. The filter models the output as a local linear function of the guide, q = a·I + b, fits
 * a and b in every window of a working-resolution copy (the probability resized, the guide
 * box-averaged), and applies the bilinearly upsampled a, b to the full-resolution luminance. So a
 * boundary that the 256-pixel model puts somewhere in a 16-pixel band at 1080p snaps to the
 * luminance edge inside that band, and the full-resolution work is one pass over the pixels.
 *
 * Luminance, not colour, as guide: one channel keeps the fit a division instead of a 3×3 solve
 * per pixel; where a person and the background differ only in hue the edge stays as soft as the
 * model's (the colour guided filter is the upgrade path, He et al. 2013 eq. 14).
 */
import { SeamError } from '../../../shared/errors';
import { boxMean } from './box-filter';

/** An 8-bit interleaved RGB or RGBA image (a decoded RasterImage, a video frame). */
export interface RgbImage {
  width: number;
  height: number;
  channels: 3 | 4;
  data: Uint8Array;
}

/** A single-channel float map, row-major. */
export interface FloatMap {
  width: number;
  height: number;
  data: Float32Array;
}

export interface GuidedUpsampleOptions {
  /**
   * Window radius in image pixels. Default: 1.5 low-resolution pixels, which spans the band where
   * an upsampled low-resolution edge can lie.
   */
  radius?: number;
  /** Regularisation ε on a luminance in [0, 1]: larger keeps more of the input, smaller follows the guide harder. */
  epsilon?: number;
  /** The long side of the working resolution where a and b are fitted (default 512). */
  workingLongSide?: number;
  /**
   * Gain applied to the probability around 0.5 before filtering (clamped to [0, 1]); 1 leaves it.
   * The filter only sharpens where the guide has an edge: the model's own soft ramp over a flat
   * background would otherwise come through as a faint halo, so the ramp is steepened first.
   */
  inputGain?: number;
  /**
   * Output levels: alpha below `clip` becomes 0, above 1 − `clip` becomes 1, linear between.
   * Removes the faint fringe the filter leaves beside strong edges (its windows straddle them).
   */
  clip?: number;
}

export const DEFAULT_GUIDED_EPSILON = 1e-3;
const DEFAULT_WORKING_LONG_SIDE = 512;
export const DEFAULT_INPUT_GAIN = 4;
export const DEFAULT_OUTPUT_CLIP = 0.1;

/** BT.601 luma weights on 0..255 values, scaled so the result is in [0, 1]. */
const LUMA_R = 0.299 / 255;
const LUMA_G = 0.587 / 255;
const LUMA_B = 0.114 / 255;

export interface GuidedUpsampleResult {
  /** Soft alpha in [0, 1] at image size. */
  alpha: Float32Array;
  /** The integer factor between image and working resolution, and the window radius used there. */
  scale: number;
  workingRadius: number;
}

export function guidedUpsample(image: RgbImage, low: FloatMap, options: GuidedUpsampleOptions = {}): GuidedUpsampleResult {
  const { width, height } = image;
  const longSide = Math.max(width, height);
  const scale = Math.max(1, Math.round(longSide / (options.workingLongSide ?? DEFAULT_WORKING_LONG_SIDE)));
  const lw = Math.ceil(width / scale);
  const lh = Math.ceil(height / scale);

  const lowPixel = Math.max(width / low.width, height / low.height);
  const radius = options.radius ?? 1.5 * lowPixel;
  const workingRadius = Math.max(1, Math.round(radius / scale));
  const epsilon = options.epsilon ?? DEFAULT_GUIDED_EPSILON;
  const gain = options.inputGain ?? DEFAULT_INPUT_GAIN;
  const clip = options.clip ?? DEFAULT_OUTPUT_CLIP;
  if (!(radius > 0) || !(epsilon > 0) || !(gain > 0) || !(clip >= 0 && clip < 0.5)) {
    throw new SeamError('BAD_INPUT', `Guided upsampling needs radius > 0, epsilon > 0, inputGain > 0 and 0 ≤ clip < 0.5; got ${radius}, ${epsilon}, ${gain}, ${clip}.`);
  }
  if (low.data.length !== low.width * low.height) throw new SeamError('BAD_INPUT', `The low-resolution map holds ${low.data.length} values, expected ${low.width}×${low.height}.`);

  const guide = downsampleLuminance(image, scale, lw, lh);
  const p = resampleBilinear(low, lw, lh, width, height, scale);
  if (gain !== 1) {
    for (let i = 0; i < p.length; i++) {
      const v = (p[i]! - 0.5) * gain + 0.5;
      p[i] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }

  // He et al. 2013, Algorithm 1, at working resolution.
  const n = lw * lh;
  const ii = new Float32Array(n);
  const ip = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const g = guide[i]!;
    ii[i] = g * g;
    ip[i] = g * p[i]!;
  }
  const meanI = boxMean(guide, lw, lh, workingRadius);
  const meanP = boxMean(p, lw, lh, workingRadius);
  const corrII = boxMean(ii, lw, lh, workingRadius);
  const corrIP = boxMean(ip, lw, lh, workingRadius);
  const a = ii; // reuse: ii and ip are no longer needed
  const b = ip;
  for (let i = 0; i < n; i++) {
    const mi = meanI[i]!;
    const varI = corrII[i]! - mi * mi;
    const covIP = corrIP[i]! - mi * meanP[i]!;
    const ai = covIP / (varI + epsilon);
    a[i] = ai;
    b[i] = meanP[i]! - ai * mi;
  }
  const meanA = boxMean(a, lw, lh, workingRadius, meanI);
  const meanB = boxMean(b, lw, lh, workingRadius, meanP);

  // Fold the output levels into the linear model: (a·I + b − clip) / (1 − 2·clip).
  const gainOut = 1 / (1 - 2 * clip);
  for (let i = 0; i < n; i++) {
    meanA[i] = meanA[i]! * gainOut;
    meanB[i] = (meanB[i]! - clip) * gainOut;
  }
  return { alpha: applyLinearModel(image, meanA, meanB, lw, lh, scale), scale, workingRadius };
}

/** Luminance in [0, 1], box-averaged over scale×scale blocks (the last row/column of blocks may be partial). */
function downsampleLuminance(image: RgbImage, scale: number, lw: number, lh: number): Float32Array {
  const { width, height, channels, data } = image;
  const sums = new Float32Array(lw * lh);
  const counts = new Float32Array(lw * lh);
  const column = new Int32Array(width);
  for (let x = 0; x < width; x++) column[x] = Math.floor(x / scale);
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / scale) * lw;
    let s = y * width * channels;
    for (let x = 0; x < width; x++, s += channels) {
      const i = row + column[x]!;
      sums[i]! += data[s]! * LUMA_R + data[s + 1]! * LUMA_G + data[s + 2]! * LUMA_B;
      counts[i]! += 1;
    }
  }
  for (let i = 0; i < sums.length; i++) sums[i] = sums[i]! / counts[i]!;
  return sums;
}

/**
 * `low` resampled (bilinear, half-pixel centres) at the centres of the working-resolution
 * blocks. `low` spans the whole image (the selfie models are fed the stretched frame).
 */
function resampleBilinear(low: FloatMap, lw: number, lh: number, width: number, height: number, scale: number): Float32Array {
  return sampleBilinear(
    low,
    lw,
    lh,
    (i) => ((i * scale + Math.min((i + 1) * scale, width)) / 2) * (low.width / width) - 0.5,
    (i) => ((i * scale + Math.min((i + 1) * scale, height)) / 2) * (low.height / height) - 0.5,
  );
}

/** A width × height map sampled from `low` at the source coordinates the two functions give per column and row. */
function sampleBilinear(
  low: FloatMap,
  width: number,
  height: number,
  sourceX: (x: number) => number,
  sourceY: (y: number) => number,
): Float32Array {
  const out = new Float32Array(width * height);
  const xs = axisTaps(width, low.width, sourceX);
  const ys = axisTaps(height, low.height, sourceY);
  for (let y = 0; y < height; y++) {
    const r0 = ys.i0[y]! * low.width;
    const r1 = ys.i1[y]! * low.width;
    const wy = ys.w[y]!;
    for (let x = 0; x < width; x++) {
      const x0 = xs.i0[x]!;
      const x1 = xs.i1[x]!;
      const wx = xs.w[x]!;
      const top = low.data[r0 + x0]! + (low.data[r0 + x1]! - low.data[r0 + x0]!) * wx;
      const bottom = low.data[r1 + x0]! + (low.data[r1 + x1]! - low.data[r1 + x0]!) * wx;
      out[y * width + x] = top + (bottom - top) * wy;
    }
  }
  return out;
}

/** Bilinear taps along one axis: for each target index, two source indices and the weight of the second. */
function axisTaps(count: number, sourceSize: number, sourceCoordinate: (i: number) => number): { i0: Int32Array; i1: Int32Array; w: Float32Array } {
  const i0 = new Int32Array(count);
  const i1 = new Int32Array(count);
  const w = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const c = Math.min(sourceSize - 1, Math.max(0, sourceCoordinate(i)));
    const f = Math.floor(c);
    i0[i] = f;
    i1[i] = Math.min(sourceSize - 1, f + 1);
    w[i] = c - f;
  }
  return { i0, i1, w };
}

/** q = A·I + B at full resolution, A and B upsampled bilinearly from the working resolution, clamped to [0, 1]. */
function applyLinearModel(image: RgbImage, meanA: Float32Array, meanB: Float32Array, lw: number, lh: number, scale: number): Float32Array {
  const { width, height, channels, data } = image;
  const alpha = new Float32Array(width * height);
  const xs = axisTaps(width, lw, (x) => (x + 0.5) / scale - 0.5);
  const ys = axisTaps(height, lh, (y) => (y + 0.5) / scale - 0.5);
  const rowA = new Float32Array(lw);
  const rowB = new Float32Array(lw);
  for (let y = 0; y < height; y++) {
    // Interpolate the two working rows once per image row, then only along x per pixel.
    const r0 = ys.i0[y]! * lw;
    const r1 = ys.i1[y]! * lw;
    const wy = ys.w[y]!;
    for (let x = 0; x < lw; x++) {
      const a0 = meanA[r0 + x]!;
      const b0 = meanB[r0 + x]!;
      rowA[x] = a0 + (meanA[r1 + x]! - a0) * wy;
      rowB[x] = b0 + (meanB[r1 + x]! - b0) * wy;
    }
    let s = y * width * channels;
    const base = y * width;
    for (let x = 0; x < width; x++, s += channels) {
      const x0 = xs.i0[x]!;
      const x1 = xs.i1[x]!;
      const wx = xs.w[x]!;
      const a = rowA[x0]! + (rowA[x1]! - rowA[x0]!) * wx;
      const b = rowB[x0]! + (rowB[x1]! - rowB[x0]!) * wx;
      const q = a * (data[s]! * LUMA_R + data[s + 1]! * LUMA_G + data[s + 2]! * LUMA_B) + b;
      alpha[base + x] = q < 0 ? 0 : q > 1 ? 1 : q;
    }
  }
  return alpha;
}

/** The plain bilinear upsampling of `low` to width × height (the baseline the guided filter is measured against). */
export function bilinearUpsample(low: FloatMap, width: number, height: number): Float32Array {
  return sampleBilinear(
    low,
    width,
    height,
    (x) => (x + 0.5) * (low.width / width) - 0.5,
    (y) => (y + 0.5) * (low.height / height) - 0.5,
  );
}
