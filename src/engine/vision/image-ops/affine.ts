/**
 * 2-D affine transforms as plain numbers. Every crop in the vision code is described by the
 * transform from its output pixels to source-image coordinates, so the same matrix samples the
 * crop and, applied to a model's output, maps points back into the image.
 *
 * Coordinates are continuous: pixel (i, j) covers [i, i+1) × [j, j+1), its centre is (i+0.5, j+0.5).
 */

/** x' = a·x + b·y + c ;  y' = d·x + e·y + f */
export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

export interface Point {
  x: number;
  y: number;
}

export const IDENTITY: Readonly<Affine> = { a: 1, b: 0, c: 0, d: 0, e: 1, f: 0 };

export function applyAffine(m: Affine, x: number, y: number): Point {
  return { x: m.a * x + m.b * y + m.c, y: m.d * x + m.e * y + m.f };
}

/** The transform that applies `first`, then `second`. */
export function composeAffine(second: Affine, first: Affine): Affine {
  return {
    a: second.a * first.a + second.b * first.d,
    b: second.a * first.b + second.b * first.e,
    c: second.a * first.c + second.b * first.f + second.c,
    d: second.d * first.a + second.e * first.d,
    e: second.d * first.b + second.e * first.e,
    f: second.d * first.c + second.e * first.f + second.f,
  };
}

export function invertAffine(m: Affine): Affine {
  const det = m.a * m.e - m.b * m.d;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) throw new RangeError('affine transform is not invertible');
  const a = m.e / det;
  const b = -m.b / det;
  const d = -m.d / det;
  const e = m.a / det;
  return { a, b, c: -(a * m.c + b * m.f), d, e, f: -(d * m.c + e * m.f) };
}

/** How many source pixels one output pixel spans (the larger axis): > 1 means the crop shrinks the image. */
export function affineScale(m: Affine): number {
  return Math.max(Math.hypot(m.a, m.d), Math.hypot(m.b, m.e));
}

export function scaleTranslate(sx: number, sy: number, tx: number, ty: number): Affine {
  return { a: sx, b: 0, c: tx, d: 0, e: sy, f: ty };
}
