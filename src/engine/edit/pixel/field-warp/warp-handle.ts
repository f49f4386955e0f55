/**
 * A warp handle: a local affine motion (scale, rotation, shift about a centre) applied in full
 * inside a core and faded to nothing at the edge of an ellipse, optionally only on one side of a
 * line. Face edits are lists of handles read off landmarks ("scale the eye contour ×1.2 about its
 * centre", "move the mouth corner up by 4 px"); displacement-field.ts sums them into one field.
 *
 * Handles are stated forwards (where input content goes) but evaluated backwards (where an output
 * pixel reads from), because the warp samples by inverse mapping. In the core the backward motion
 * is the exact inverse of the forward one, so a landmark in the core lands exactly where the
 * handle says; in the falloff it blends smoothly to zero.
 */
import type { Point } from '../../../vision/image-ops/affine';

/** A 2×2 matrix, row-major: [a, b, c, d] maps (x, y) to (a·x + b·y, c·x + d·y). */
export type Linear2 = readonly [number, number, number, number];

export const IDENTITY_LINEAR: Linear2 = [1, 0, 0, 1];

export interface HalfPlaneGate {
  /** A point on the gate's middle line. */
  origin: Point;
  /** Unit normal pointing to the side where the handle acts in full. */
  normal: Point;
  /** Width of the band across which the handle fades from full to none. */
  width: number;
}

export interface WarpHandle {
  /** The fixed point of the linear part, in input pixels. */
  center: Point;
  /** Forward linear part about `center` (default identity). */
  linear?: Linear2;
  /** Forward translation (default none): the centre moves to center + shift. */
  shift?: Point;
  /** Unit vector of the influence ellipse's first axis; the second is perpendicular. */
  axis: Point;
  /** The ellipse's radii along `axis` and across it, in pixels, around the moved centre. */
  radii: readonly [number, number];
  /** Fraction of the ellipse (0..1) inside which the motion applies in full (default 0). */
  core?: number;
  gate?: HalfPlaneGate;
}

export function scaleAlong(axis: Point, along: number, across: number): Linear2 {
  // R · diag(along, across) · Rᵀ, with R's columns the axis and its perpendicular.
  const { x: c, y: s } = axis;
  return [along * c * c + across * s * s, (along - across) * c * s, (along - across) * c * s, along * s * s + across * c * c];
}

export function rotation(radians: number): Linear2 {
  const c = Math.cos(radians);
  const s = Math.sin(radians);
  return [c, -s, s, c];
}

export function invertLinear(m: Linear2): Linear2 {
  const det = m[0] * m[3] - m[1] * m[2];
  if (!(Math.abs(det) > 1e-9)) throw new RangeError('a warp handle needs an invertible linear part');
  return [m[3] / det, -m[1] / det, -m[2] / det, m[0] / det];
}

/** The handle's influence box in output pixels: the bounding box of its ellipse. */
export function handleBounds(handle: WarpHandle): { x0: number; y0: number; x1: number; y1: number } {
  const cx = handle.center.x + (handle.shift?.x ?? 0);
  const cy = handle.center.y + (handle.shift?.y ?? 0);
  const [ra, rb] = handle.radii;
  const { x: ux, y: uy } = handle.axis;
  const hx = Math.hypot(ra * ux, rb * uy);
  const hy = Math.hypot(ra * uy, rb * ux);
  return { x0: cx - hx, y0: cy - hy, x1: cx + hx, y1: cy + hy };
}

/** 0 at t ≤ 0, 1 at t ≥ 1, with zero first and second derivatives at both ends (C² joins). */
export function smootherstep(t: number): number {
  if (t <= 0) return 0;
  if (t >= 1) return 1;
  return t * t * t * (t * (6 * t - 15) + 10);
}
