/**
 * The colour statistics of a region: weighted mean and covariance of three-channel pixels (Lab
 * here, but nothing depends on which space). A region is given as per-pixel weights — a soft
 * mask in [0, 1] (Float32Array) or 8-bit coverage 0..255 (Uint8Array) — so feathered layer masks
 * can be used as they are. The result is plain numbers: JSON-safe, cheap to keep and to mix.
 */

/** Per-pixel weights: floats in [0, 1], or bytes 0..255 read as coverage. */
export type PixelWeights = Float32Array | Uint8Array;

export type Vec3 = [number, number, number];
/** A symmetric 3×3 matrix as its upper triangle: [c00, c01, c02, c11, c12, c22]. */
export type SymMat3 = [number, number, number, number, number, number];

export interface ColorStats {
  /** Sum of the weights: the pixel count when the mask is binary. */
  weight: number;
  mean: Vec3;
  /** Weighted covariance (population, not sample). */
  cov: SymMat3;
}

/** Reads a weight as a number in [0, 1] whatever the array type. */
export function weightScale(weights: PixelWeights): number {
  return weights instanceof Uint8Array ? 1 / 255 : 1;
}

/**
 * Weighted mean and covariance of interleaved 3-channel `values`; every pixel counts 1 when no
 * weights are given. Null when the weights sum to (almost) nothing. Two passes (mean, then
 * spread about it) in float64, so large flat regions do not lose precision.
 */
export function colorStats(values: Float32Array, weights?: PixelWeights): ColorStats | null {
  const n = values.length / 3;
  if (weights && weights.length !== n) throw new RangeError(`weights hold ${weights.length} values for ${n} pixels`);
  const k = weights ? weightScale(weights) : 1;
  let total = 0;
  let m0 = 0;
  let m1 = 0;
  let m2 = 0;
  for (let i = 0, s = 0; i < n; i++, s += 3) {
    const w = weights ? weights[i]! * k : 1;
    if (w <= 0) continue;
    total += w;
    m0 += w * values[s]!;
    m1 += w * values[s + 1]!;
    m2 += w * values[s + 2]!;
  }
  if (total < 1e-6) return null;
  m0 /= total;
  m1 /= total;
  m2 /= total;
  const c = [0, 0, 0, 0, 0, 0];
  for (let i = 0, s = 0; i < n; i++, s += 3) {
    const w = weights ? weights[i]! * k : 1;
    if (w <= 0) continue;
    const d0 = values[s]! - m0;
    const d1 = values[s + 1]! - m1;
    const d2 = values[s + 2]! - m2;
    c[0]! += w * d0 * d0;
    c[1]! += w * d0 * d1;
    c[2]! += w * d0 * d2;
    c[3]! += w * d1 * d1;
    c[4]! += w * d1 * d2;
    c[5]! += w * d2 * d2;
  }
  return { weight: total, mean: [m0, m1, m2], cov: c.map((v) => v / total) as SymMat3 };
}

/** The per-channel standard deviations. */
export function colorStd(stats: ColorStats): Vec3 {
  return [Math.sqrt(Math.max(0, stats.cov[0])), Math.sqrt(Math.max(0, stats.cov[3])), Math.sqrt(Math.max(0, stats.cov[5]))];
}

/**
 * Statistics between two regions' (t = 0 gives `a`, t = 1 gives `b`, exactly): means and
 * covariances interpolated linearly, which keeps the covariance positive semi-definite.
 */
export function mixColorStats(a: ColorStats, b: ColorStats, t: number): ColorStats {
  if (t <= 0) return cloneColorStats(a);
  if (t >= 1) return cloneColorStats(b);
  const lerp = (x: number, y: number) => (1 - t) * x + t * y;
  return {
    weight: lerp(a.weight, b.weight),
    mean: a.mean.map((v, i) => lerp(v, b.mean[i]!)) as Vec3,
    cov: a.cov.map((v, i) => lerp(v, b.cov[i]!)) as SymMat3,
  };
}

export function cloneColorStats(s: ColorStats): ColorStats {
  return { weight: s.weight, mean: [...s.mean], cov: [...s.cov] };
}
