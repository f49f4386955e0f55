/**
 * Histogram matching per channel: a monotone curve per channel that gives the source region the
 * reference region's distribution of values (not only its mean and spread). Stronger than an
 * affine transfer where the two distributions differ in shape (a shadowed cheek against an evenly
 * lit one), and more prone to banding and to amplifying noise on small regions; the affine
 * transfers are the default elsewhere, this is here for the cases that want it.
 */
import { weightScale, type PixelWeights, type Vec3 } from './color-stats';

export interface ChannelCurves {
  /** The value range each channel's curve spans, and the number of samples on it. */
  lo: Vec3;
  hi: Vec3;
  bins: number;
  /** curves[c][i] = output for the input lo[c] + (i + 0.5)·(hi[c] − lo[c])/bins. */
  curves: [Float32Array, Float32Array, Float32Array];
}

/** Curves taking `values`' weighted distribution to `reference`'s; null when either region is empty. */
export function histogramMatchCurves(
  values: Float32Array,
  weights: PixelWeights | undefined,
  reference: Float32Array,
  referenceWeights: PixelWeights | undefined,
  bins = 256,
): ChannelCurves | null {
  const lo: Vec3 = [Infinity, Infinity, Infinity];
  const hi: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (const [v, w] of [
    [values, weights],
    [reference, referenceWeights],
  ] as const) {
    for (let i = 0, s = 0; s < v.length; i++, s += 3) {
      if (w && w[i] === 0) continue;
      for (let c = 0; c < 3; c++) {
        lo[c] = Math.min(lo[c]!, v[s + c]!);
        hi[c] = Math.max(hi[c]!, v[s + c]!);
      }
    }
  }
  if (!(lo[0] <= hi[0])) return null;
  for (let c = 0; c < 3; c++) if (hi[c]! - lo[c]! < 1e-6) hi[c] = lo[c]! + 1e-6;
  const curves = [0, 1, 2].map((c) => {
    const from = cumulative(values, weights, c, lo[c]!, hi[c]!, bins);
    const to = cumulative(reference, referenceWeights, c, lo[c]!, hi[c]!, bins);
    return from && to ? matchCurve(from, to, lo[c]!, hi[c]!) : null;
  });
  if (!curves[0] || !curves[1] || !curves[2]) return null;
  return { lo, hi, bins, curves: curves as [Float32Array, Float32Array, Float32Array] };
}

/** Applies the curves in place (linear between samples), each pixel moved by its weight. */
export function applyChannelCurves(values: Float32Array, curves: ChannelCurves, weights?: PixelWeights): void {
  const k = weights ? weightScale(weights) : 1;
  const { bins } = curves;
  for (let i = 0, s = 0; s < values.length; i++, s += 3) {
    const w = weights ? weights[i]! * k : 1;
    if (w <= 0) continue;
    for (let c = 0; c < 3; c++) {
      const lo = curves.lo[c]!;
      const curve = curves.curves[c]!;
      const position = ((values[s + c]! - lo) / (curves.hi[c]! - lo)) * bins - 0.5;
      const p = Math.min(bins - 1, Math.max(0, position));
      const i0 = Math.floor(p);
      const i1 = Math.min(bins - 1, i0 + 1);
      const mapped = curve[i0]! + (curve[i1]! - curve[i0]!) * (p - i0);
      values[s + c] = values[s + c]! + w * (mapped - values[s + c]!);
    }
  }
}

/** The normalised cumulative weighted histogram of one channel (cdf[i] = share of weight in bins 0..i). */
function cumulative(values: Float32Array, weights: PixelWeights | undefined, channel: number, lo: number, hi: number, bins: number): Float64Array | null {
  const cdf = new Float64Array(bins);
  const k = weights ? weightScale(weights) : 1;
  const scale = bins / (hi - lo);
  let total = 0;
  for (let i = 0, s = channel; s < values.length; i++, s += 3) {
    const w = weights ? weights[i]! * k : 1;
    if (w <= 0) continue;
    cdf[Math.min(bins - 1, Math.max(0, Math.floor((values[s]! - lo) * scale)))]! += w;
    total += w;
  }
  if (total < 1e-6) return null;
  let running = 0;
  for (let i = 0; i < bins; i++) {
    running += cdf[i]!;
    cdf[i] = running / total;
  }
  return cdf;
}

/** For each source bin, the reference value at the same cumulative share (inverse CDF, linear within a bin). */
function matchCurve(from: Float64Array, to: Float64Array, lo: number, hi: number): Float32Array {
  const bins = from.length;
  const width = (hi - lo) / bins;
  const curve = new Float32Array(bins);
  let j = 0;
  for (let i = 0; i < bins; i++) {
    // The share at the centre of source bin i.
    const share = (i === 0 ? 0 : from[i - 1]!) + (from[i]! - (i === 0 ? 0 : from[i - 1]!)) / 2;
    while (j < bins - 1 && to[j]! < share) j++;
    const before = j === 0 ? 0 : to[j - 1]!;
    const inBin = to[j]! > before ? (share - before) / (to[j]! - before) : 0.5;
    curve[i] = lo + (j + Math.min(1, Math.max(0, inBin))) * width;
  }
  return curve;
}
