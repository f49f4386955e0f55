/**
 * Lab → 8-bit sRGB for the per-update loop: the same maths as pixel/color's labToRgb, with the
 * sRGB transfer curve read from a table instead of a power per channel (the power is most of the
 * cost, and a slider drag converts every masked pixel of the face on each update). The table has
 * 16384 steps over linear [0, 1]: where the curve is steepest (near black, slope 12.92) one step
 * is 0.2 of an 8-bit level, so the result differs from the exact conversion by at most one level.
 *
 * To merge into pixel/color/color-space.ts (owned by the region-style work) once both settle.
 */
import { linearToSrgb } from '../../../pixel/color/color-space';

const STEPS = 16383;
const LINEAR_TO_BYTE = Uint8Array.from({ length: STEPS + 1 }, (_, i) => Math.round(255 * linearToSrgb(i / STEPS)));

// D65 white and the sRGB primaries, as in pixel/color/color-space.ts.
const WHITE_X = 0.95047;
const WHITE_Z = 1.08883;
const EPSILON = 216 / 24389;
const KAPPA = 24389 / 27;

function toByte(linear: number): number {
  return LINEAR_TO_BYTE[linear <= 0 ? 0 : linear >= 1 ? STEPS : (linear * STEPS + 0.5) | 0]!;
}

function finv(f: number): number {
  const cube = f * f * f;
  return cube > EPSILON ? cube : (116 * f - 16) / KAPPA;
}

/** Writes the 8-bit sRGB of (L, a, b) at out[offset..offset+2]. */
export function labToRgbFast(l: number, a: number, b: number, out: Uint8Array, offset: number): void {
  const fy = (l + 16) / 116;
  const x = WHITE_X * finv(fy + a / 500);
  const y = finv(fy);
  const z = WHITE_Z * finv(fy - b / 200);
  out[offset] = toByte(3.2404542 * x - 1.5371385 * y - 0.4985314 * z);
  out[offset + 1] = toByte(-0.969266 * x + 1.8760108 * y + 0.041556 * z);
  out[offset + 2] = toByte(0.0556434 * x - 0.2040259 * y + 1.0572252 * z);
}
