/**
 * The little 3×3 linear algebra colour transfer needs: symmetric eigen-decomposition (cyclic
 * Jacobi, exact enough in a handful of sweeps for 3×3), functions of a symmetric matrix through
 * its eigenvalues (square root, inverse square root, clamping), products. Matrices are row-major
 * number[9]; symmetric ones may be given as their upper triangle (SymMat3).
 */
import type { SymMat3, Vec3 } from './color-stats';

export type Mat3 = number[];

export const IDENTITY3: readonly number[] = [1, 0, 0, 0, 1, 0, 0, 0, 1];

export function fromSym(s: SymMat3): Mat3 {
  return [s[0], s[1], s[2], s[1], s[3], s[4], s[2], s[4], s[5]];
}

export function mul3(a: Mat3, b: Mat3): Mat3 {
  const out = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) out[r * 3 + c] = a[r * 3]! * b[c]! + a[r * 3 + 1]! * b[3 + c]! + a[r * 3 + 2]! * b[6 + c]!;
  }
  return out;
}

export function mulVec3(m: Mat3, v: Vec3): Vec3 {
  return [m[0]! * v[0] + m[1]! * v[1] + m[2]! * v[2], m[3]! * v[0] + m[4]! * v[1] + m[5]! * v[2], m[6]! * v[0] + m[7]! * v[1] + m[8]! * v[2]];
}

/** Eigenvalues and eigenvectors (columns of `vectors`) of a symmetric matrix. */
export function symmetricEigen(m: Mat3): { values: Vec3; vectors: Mat3 } {
  const a = [...m];
  const v = [...IDENTITY3];
  for (let sweep = 0; sweep < 12; sweep++) {
    const off = Math.abs(a[1]!) + Math.abs(a[2]!) + Math.abs(a[5]!);
    if (off < 1e-14 * (Math.abs(a[0]!) + Math.abs(a[4]!) + Math.abs(a[8]!) + 1e-300)) break;
    for (const [p, q] of [
      [0, 1],
      [0, 2],
      [1, 2],
    ] as const) {
      const apq = a[p * 3 + q]!;
      if (Math.abs(apq) < 1e-300) continue;
      // The rotation that zeroes a[p][q] (Golub & Van Loan, §8.5.2).
      const theta = (a[q * 3 + q]! - a[p * 3 + p]!) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      for (let k = 0; k < 3; k++) {
        const akp = a[k * 3 + p]!;
        const akq = a[k * 3 + q]!;
        a[k * 3 + p] = c * akp - s * akq;
        a[k * 3 + q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[p * 3 + k]!;
        const aqk = a[q * 3 + k]!;
        a[p * 3 + k] = c * apk - s * aqk;
        a[q * 3 + k] = s * apk + c * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const vkp = v[k * 3 + p]!;
        const vkq = v[k * 3 + q]!;
        v[k * 3 + p] = c * vkp - s * vkq;
        v[k * 3 + q] = s * vkp + c * vkq;
      }
    }
  }
  return { values: [a[0]!, a[4]!, a[8]!], vectors: v };
}

/** f applied to a symmetric matrix's eigenvalues: V · diag(f(λ)) · Vᵀ. */
export function symmetricFunction(m: Mat3, f: (eigenvalue: number) => number): Mat3 {
  const { values, vectors: v } = symmetricEigen(m);
  const d = values.map(f);
  const out = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      let sum = 0;
      for (let k = 0; k < 3; k++) sum += v[r * 3 + k]! * d[k]! * v[c * 3 + k]!;
      out[r * 3 + c] = sum;
    }
  }
  return out;
}
