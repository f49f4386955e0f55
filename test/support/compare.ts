/** Element-wise agreement between a reference output and a candidate output. */

export interface Agreement {
  /** max |a − b| over all elements. */
  maxAbs: number;
  /** max |ref|, the scale the error is judged against. */
  maxRef: number;
  /** maxAbs / max(1, maxRef): the figure the tolerance bounds. */
  rel: number;
  /** Index of the worst element, to point at when it fails. */
  worstIndex: number;
  /** Elements where either side is NaN/Infinity but the other is not the same value. */
  nonFinite: number;
}

export function agreement(ref: ArrayLike<number>, got: ArrayLike<number>): Agreement {
  if (ref.length !== got.length) throw new Error(`length ${got.length} ≠ reference ${ref.length}`);
  let maxAbs = 0;
  let maxRef = 0;
  let worstIndex = -1;
  let nonFinite = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i]!;
    const g = got[i]!;
    if (!Number.isFinite(r) || !Number.isFinite(g)) {
      if (!Object.is(r, g)) nonFinite++;
      continue;
    }
    const d = Math.abs(r - g);
    if (d > maxAbs) {
      maxAbs = d;
      worstIndex = i;
    }
    maxRef = Math.max(maxRef, Math.abs(r));
  }
  return { maxAbs, maxRef, rel: maxAbs / Math.max(1, maxRef), worstIndex, nonFinite };
}

export function formatAgreement(a: Agreement): string {
  return `max|Δ| ${a.maxAbs.toExponential(2)}, max|ref| ${a.maxRef.toPrecision(4)}, rel ${a.rel.toExponential(2)}`;
}
