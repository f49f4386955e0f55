/**
 * sRGB ↔ linear light ↔ CIE L*a*b* (D65). Colour statistics are taken in Lab because its axes
 * are close to perceptually uniform and only weakly correlated in photos of people, so matching
 * each axis's mean and spread moves colours the way a person expects (Reinhard et al., "Color
 * Transfer between Images", 2001, chose a similar decorrelated space for that reason).
 *
 * Lab images here are interleaved Float32 triples (L in 0..100, a and b roughly −128..127).
 */
import type { RasterImage } from '../../../image/image';
import { fullBox, type PixelBox } from './pixel-box';

/** An interleaved L, a, b float image. */
export interface LabImage {
  width: number;
  height: number;
  data: Float32Array;
}

// D65 white and the sRGB primaries (IEC 61966-2-1), as in every colour-management library.
const WHITE_X = 0.95047;
const WHITE_Z = 1.08883;
const EPSILON = 216 / 24389; // (6/29)³
const KAPPA = 24389 / 27; // (29/3)³

/** sRGB byte → linear light in [0, 1], precomputed: the curve is evaluated millions of times. */
const BYTE_TO_LINEAR = Float64Array.from({ length: 256 }, (_, v) => srgbToLinear(v / 255));
/**
 * The linear light at which the rounded sRGB byte steps from k − 1 to k (k = 1..255), and for
 * 4097 points of linear light the byte there: a byte is read from the table and stepped up at most
 * once or twice against the exact thresholds — the same answer as round(255 · linearToSrgb(v)),
 * without a power per value (the power was most of a Lab → RGB conversion's cost).
 */
const BYTE_STEPS = Float64Array.from({ length: 256 }, (_, k) => (k === 0 ? -Infinity : srgbToLinear((k - 0.5) / 255)));
const BYTE_TABLE_SIZE = 4096;
const BYTE_AT = Uint8Array.from({ length: BYTE_TABLE_SIZE + 1 }, (_, i) => {
  let k = 0;
  while (k < 255 && BYTE_STEPS[k + 1]! <= i / BYTE_TABLE_SIZE) k++;
  return k;
});

/** Linear light → the sRGB byte (rounded, clamped). */
export function linearToSrgbByte(v: number): number {
  if (!(v > 0)) return 0;
  if (v >= 1) return 255;
  let k = BYTE_AT[(v * BYTE_TABLE_SIZE) | 0]!;
  while (k < 255 && BYTE_STEPS[k + 1]! <= v) k++;
  return k;
}

/** The sRGB transfer curve, inverse: encoded value in [0, 1] → linear light. */
export function srgbToLinear(v: number): number {
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

/** The sRGB transfer curve: linear light → encoded value in [0, 1] (input clamped to [0, 1]). */
export function linearToSrgb(v: number): number {
  const c = v <= 0 ? 0 : v >= 1 ? 1 : v;
  return c <= 0.0031308 ? c * 12.92 : 1.055 * c ** (1 / 2.4) - 0.055;
}

function labF(t: number): number {
  return t > EPSILON ? Math.cbrt(t) : (KAPPA * t + 16) / 116;
}

function labFInverse(f: number): number {
  const cube = f * f * f;
  return cube > EPSILON ? cube : (116 * f - 16) / KAPPA;
}

/** 8-bit sRGB → Lab, written at out[offset..offset+2]. */
export function rgbToLab(r: number, g: number, b: number, out: Float32Array | number[], offset = 0): void {
  const lr = BYTE_TO_LINEAR[r]!;
  const lg = BYTE_TO_LINEAR[g]!;
  const lb = BYTE_TO_LINEAR[b]!;
  const fx = labF((0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb) / WHITE_X);
  const fy = labF(0.2126729 * lr + 0.7151522 * lg + 0.072175 * lb);
  const fz = labF((0.0193339 * lr + 0.119192 * lg + 0.9503041 * lb) / WHITE_Z);
  out[offset] = 116 * fy - 16;
  out[offset + 1] = 500 * (fx - fy);
  out[offset + 2] = 200 * (fy - fz);
}

/** Lab → 8-bit sRGB (rounded, out-of-gamut colours clipped per channel), written at out[offset..offset+2]. */
export function labToRgb(l: number, a: number, b: number, out: Uint8Array | number[], offset = 0): void {
  const fy = (l + 16) / 116;
  const x = WHITE_X * labFInverse(fy + a / 500);
  const y = labFInverse(fy);
  const z = WHITE_Z * labFInverse(fy - b / 200);
  out[offset] = linearToSrgbByte(3.2404542 * x - 1.5371385 * y - 0.4985314 * z);
  out[offset + 1] = linearToSrgbByte(-0.969266 * x + 1.8760108 * y + 0.041556 * z);
  out[offset + 2] = linearToSrgbByte(0.0556434 * x - 0.2040259 * y + 1.0572252 * z);
}

/** The image (or the part of it inside `box`) in Lab; the result is box-sized. */
export function imageToLab(image: RasterImage, box: PixelBox = fullBox(image.width, image.height)): LabImage {
  const { width: iw, channels, data } = image;
  const width = box.x1 - box.x0;
  const height = box.y1 - box.y0;
  const out = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    let s = ((y + box.y0) * iw + box.x0) * channels;
    let o = y * width * 3;
    for (let x = 0; x < width; x++, s += channels, o += 3) rgbToLab(data[s]!, data[s + 1]!, data[s + 2]!, out, o);
  }
  return { width, height, data: out };
}

/** A Lab image back to 8-bit RGB with the given channel count (alpha, when 4, set opaque). */
export function labToImage(lab: LabImage, channels: 3 | 4 = 3): RasterImage {
  const data = new Uint8Array(lab.width * lab.height * channels);
  if (channels === 4) data.fill(255);
  for (let i = 0, s = 0, o = 0; i < lab.width * lab.height; i++, s += 3, o += channels) {
    labToRgb(lab.data[s]!, lab.data[s + 1]!, lab.data[s + 2]!, data, o);
  }
  return { width: lab.width, height: lab.height, channels, data };
}
