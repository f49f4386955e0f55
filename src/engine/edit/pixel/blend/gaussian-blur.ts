/**
 * Gaussian blur as three box passes (the central limit theorem makes it a close Gaussian; each
 * pass is O(N) whatever the radius, vision/segmentation/box-filter.ts). Its support is finite:
 * exactly 3·r pixels each side for box radius r, which the feathered masks rely on to know where
 * a blurred mask is still zero. At the plane's edge windows are clipped by default (edge values
 * are not pulled towards zero, as if the plane went on: right at a photo's border); `'zero'`
 * treats the outside as 0 instead (right where the plane is a window cut around a shape that
 * must fade out before the window's edge), for every side or for the sides named.
 */
import { boxMean } from '../../../vision/segmentation/box-filter';
import { createPlane, downsamplePlane, upsamplePlane, type FloatPlane } from './float-plane';

/** The box radius whose three passes have standard deviation closest to sigma (σ² = r(r+1)). */
export function boxRadiusForSigma(sigma: number): number {
  return Math.max(0, Math.round((Math.sqrt(1 + 4 * sigma * sigma) - 1) / 2));
}

/** Which sides of the plane read zeros beyond them (the others are clipped). */
export interface ZeroSides {
  left: boolean;
  top: boolean;
  right: boolean;
  bottom: boolean;
}
export type BlurEdges = 'clip' | 'zero' | ZeroSides;

const ALL_ZERO: ZeroSides = { left: true, top: true, right: true, bottom: true };

/** Three box passes of radius r: a blur with support 3r and σ = √(r(r+1)). */
export function tripleBoxBlur(plane: FloatPlane, radius: number, edges: BlurEdges = 'clip'): FloatPlane {
  const r = Math.max(0, Math.floor(radius));
  if (r === 0) return { ...plane, data: plane.data.slice() };
  if (edges === 'zero') return zeroEdgeBlur(plane, r, ALL_ZERO);
  if (edges !== 'clip' && (edges.left || edges.top || edges.right || edges.bottom)) return zeroEdgeBlur(plane, r, edges);
  const { width, height } = plane;
  const a = boxMean(plane.data, width, height, r);
  const b = boxMean(a, width, height, r);
  boxMean(b, width, height, r, a);
  return { width, height, data: a };
}

export function gaussianBlur(plane: FloatPlane, sigma: number, edges: BlurEdges = 'clip'): FloatPlane {
  return tripleBoxBlur(plane, boxRadiusForSigma(sigma), edges);
}

/**
 * The plane framed by 4r zeros on the chosen sides, blurred, cropped back: nothing spreads more
 * than 3r into the frame in three passes, so the clipped windows at the frame's outer edge only
 * ever average zeros.
 */
function zeroEdgeBlur(plane: FloatPlane, r: number, sides: ZeroSides): FloatPlane {
  const pad = 4 * r;
  const left = sides.left ? pad : 0;
  const top = sides.top ? pad : 0;
  const framed = createPlane(plane.width + left + (sides.right ? pad : 0), plane.height + top + (sides.bottom ? pad : 0));
  for (let y = 0; y < plane.height; y++) framed.data.set(plane.data.subarray(y * plane.width, (y + 1) * plane.width), (y + top) * framed.width + left);
  const blurred = tripleBoxBlur(framed, r);
  const out = createPlane(plane.width, plane.height);
  for (let y = 0; y < plane.height; y++) {
    const from = (y + top) * framed.width + left;
    out.data.set(blurred.data.subarray(from, from + plane.width), y * plane.width);
  }
  return out;
}

/** Sigma, in pixels of the shrunk copy, that a wide blur aims for: a close Gaussian (box radius 4) on few pixels. */
const WIDE_SMALL_SIGMA = 4;

/** The shrink factor wideBlur uses for `sigma`: sigma is about `smallSigma` pixels on the copy. */
export function wideBlurFactor(sigma: number, smallSigma = WIDE_SMALL_SIGMA): number {
  return Math.max(1, Math.floor(sigma / smallSigma));
}

/**
 * A wide blur computed on a copy shrunk so that sigma is about `smallSigma` pixels there, then
 * brought back bilinearly: for low-frequency fields (colour gains, mask falloffs) where detail
 * finer than sigma does not exist anyway. Returns the result at the plane's size.
 */
export function wideBlur(plane: FloatPlane, sigma: number, smallSigma = WIDE_SMALL_SIGMA): FloatPlane {
  const factor = wideBlurFactor(sigma, smallSigma);
  if (factor === 1) return gaussianBlur(plane, sigma);
  const small = gaussianBlur(downsamplePlane(plane, factor), sigma / factor);
  return upsamplePlane(small, factor, plane.width, plane.height);
}

/** Multiplies two planes of the same size into a new one. */
export function multiplyPlanes(a: FloatPlane, b: FloatPlane): FloatPlane {
  const out = createPlane(a.width, a.height);
  for (let i = 0; i < out.data.length; i++) out.data[i] = a.data[i]! * b.data[i]!;
  return out;
}
