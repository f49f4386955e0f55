/**
 * Colour transfer as an affine map between two regions' statistics, y = M·(x − μ_from) + μ_to,
 * in two strengths of model:
 *
 * - 'mean-std' (Reinhard et al. 2001): each channel shifted and scaled on its own. Robust on
 *   small or flat regions; ignores how the channels vary together.
 * - 'covariance' (the Monge–Kantorovich linear map, Pitié & Kokaram 2007): the one linear map
 *   taking the first Gaussian to the second that moves colours least,
 *   M = Σf^−½ (Σf^½ Σt Σf^½)^½ Σf^−½. Carries tinted highlights and shadows that vary along a
 *   direction the channels share.
 *
 * Gains are clamped (per channel, or the eigenvalues of M): a region with almost no spread, such
 * as grey hair's chroma, would otherwise have its noise amplified into colour speckle. Covariances
 * get a small floor on the diagonal for the same reason.
 */
import { colorStd, type ColorStats, type PixelWeights, type Vec3, weightScale } from './color-stats';
import { fromSym, IDENTITY3, mul3, mulVec3, symmetricFunction, type Mat3 } from './mat3';

export type ColorTransferMethod = 'mean-std' | 'covariance';

/** y = matrix · x + offset, matrix row-major 3×3. */
export interface ColorTransform {
  matrix: number[];
  offset: Vec3;
}

export interface ColorTransferLimits {
  /** Largest gain (and smallest, as 1/maxGain) applied along any axis. Default 4. */
  maxGain?: number;
  /** Added to the covariance diagonal before anything is inverted (channel units²). Default [1, 0.25, 0.25], for Lab. */
  floor?: Vec3;
}

const DEFAULT_MAX_GAIN = 4;
const DEFAULT_FLOOR: Vec3 = [1, 0.25, 0.25];

export const IDENTITY_TRANSFORM: Readonly<ColorTransform> = { matrix: [...IDENTITY3], offset: [0, 0, 0] };

/** The transform taking colours with statistics `from` to statistics `to`. */
export function colorTransform(from: ColorStats, to: ColorStats, method: ColorTransferMethod = 'mean-std', limits: ColorTransferLimits = {}): ColorTransform {
  const maxGain = limits.maxGain ?? DEFAULT_MAX_GAIN;
  const floor = limits.floor ?? DEFAULT_FLOOR;
  const clampGain = (g: number) => Math.min(maxGain, Math.max(1 / maxGain, g));
  let matrix: Mat3;
  if (method === 'mean-std') {
    const sf = colorStd(from);
    const st = colorStd(to);
    const gains = [0, 1, 2].map((c) => clampGain(Math.sqrt(st[c]! ** 2 + floor[c]!) / Math.sqrt(sf[c]! ** 2 + floor[c]!)));
    matrix = [gains[0]!, 0, 0, 0, gains[1]!, 0, 0, 0, gains[2]!];
  } else {
    const withFloor = (s: ColorStats) => {
      const m = fromSym(s.cov);
      m[0]! += floor[0];
      m[4]! += floor[1];
      m[8]! += floor[2];
      return m;
    };
    const sf = withFloor(from);
    const sfHalf = symmetricFunction(sf, (v) => Math.sqrt(Math.max(v, 1e-12)));
    const sfInvHalf = symmetricFunction(sf, (v) => 1 / Math.sqrt(Math.max(v, 1e-12)));
    const middle = symmetricFunction(mul3(mul3(sfHalf, withFloor(to)), sfHalf), (v) => Math.sqrt(Math.max(v, 0)));
    const raw = mul3(mul3(sfInvHalf, middle), sfInvHalf);
    // M is symmetric positive definite: its eigenvalues are its gains along its axes.
    matrix = symmetricFunction(symmetrize(raw), clampGain);
  }
  const moved = mulVec3(matrix, from.mean);
  return { matrix, offset: [to.mean[0] - moved[0], to.mean[1] - moved[1], to.mean[2] - moved[2]] };
}

/** Part of a transform: t = 0 is the identity, t = 1 the transform itself. */
export function scaleTransform(transform: ColorTransform, t: number): ColorTransform {
  return {
    matrix: transform.matrix.map((v, i) => (1 - t) * IDENTITY3[i]! + t * v),
    offset: transform.offset.map((v) => t * v) as Vec3,
  };
}

/** Applies the transform to the colour at values[offset..offset+2], written to `out`. */
export function transformColor(transform: ColorTransform, values: ArrayLike<number>, offset: number, out: Vec3): Vec3 {
  const m = transform.matrix;
  const x0 = values[offset]!;
  const x1 = values[offset + 1]!;
  const x2 = values[offset + 2]!;
  out[0] = m[0]! * x0 + m[1]! * x1 + m[2]! * x2 + transform.offset[0];
  out[1] = m[3]! * x0 + m[4]! * x1 + m[5]! * x2 + transform.offset[1];
  out[2] = m[6]! * x0 + m[7]! * x1 + m[8]! * x2 + transform.offset[2];
  return out;
}

/**
 * Applies the transform to interleaved 3-channel values in place, each pixel moved by its weight
 * (x + w·(T(x) − x)); pixels of weight 0 are not touched. No weights: every pixel fully.
 */
export function applyColorTransform(values: Float32Array, transform: ColorTransform, weights?: PixelWeights): void {
  const n = values.length / 3;
  const k = weights ? weightScale(weights) : 1;
  const y: Vec3 = [0, 0, 0];
  for (let i = 0, s = 0; i < n; i++, s += 3) {
    const w = weights ? weights[i]! * k : 1;
    if (w <= 0) continue;
    transformColor(transform, values, s, y);
    values[s] = values[s]! + w * (y[0] - values[s]!);
    values[s + 1] = values[s + 1]! + w * (y[1] - values[s + 1]!);
    values[s + 2] = values[s + 2]! + w * (y[2] - values[s + 2]!);
  }
}

function symmetrize(m: Mat3): Mat3 {
  return [m[0]!, (m[1]! + m[3]!) / 2, (m[2]! + m[6]!) / 2, (m[1]! + m[3]!) / 2, m[4]!, (m[5]! + m[7]!) / 2, (m[2]! + m[6]!) / 2, (m[5]! + m[7]!) / 2, m[8]!];
}
