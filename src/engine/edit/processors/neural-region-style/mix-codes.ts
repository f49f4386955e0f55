/**
 * SEAN's style editing on its codes: each region's code moves from the target's own code toward
 * the reference's by the region's alpha (SEAN's UI slider is exactly this linear interpolation),
 * and a second reference mixes into the first the same way.
 *
 * Which regions have a code: SEAN's encoder averages its features over the label's pixels at
 * 128 × 128, keeping pixel (2i, 2j) of the 256 map, and gives an all-zero code to a label with no
 * pixel there. An all-zero code is not "no style" but a particular style (the generator still
 * paints the label with its bias), so a region the reference lacks must not take it. SEAN's UI
 * filled such regions with dataset-mean codes that were never published; Seam instead borrows the
 * twin region's code (left eye ↔ right eye, brows, ears, upper ↔ lower lip) when the reference
 * has it, and otherwise keeps the target's own code there, with a note.
 */
import { LABEL_COUNT, LABELS } from '../../../../shared/labels';

/** A label needs this many pixels on the encoder's 128 grid for its code to be a measurement, not a few pixels' noise. */
export const MIN_POOLED_PIXELS = 4;

/** Left/right (and upper/lower) twins, as the analytic region style borrows them. */
const TWINS: ReadonlyArray<[number, number]> = [
  [4, 5],
  [6, 7],
  [8, 9],
  [11, 12],
];

export interface EncodedCrop {
  /** [19 × length] codes as the encoder gave them. */
  codes: Float32Array;
  /** Per label: whether its code is a measurement (enough pixels on the encoder's grid). */
  present: boolean[];
}

/** Pixels per label on the encoder's pooling grid: (2i, 2j) of a size × size label crop. */
export function pooledLabelCounts(labels: Uint8Array, size: number): number[] {
  const counts = new Array<number>(LABEL_COUNT).fill(0);
  for (let y = 0; y < size; y += 2) for (let x = 0; x < size; x += 2) counts[labels[y * size + x]!]! += 1;
  return counts;
}

export function presentLabels(labels: Uint8Array, size: number): boolean[] {
  return pooledLabelCounts(labels, size).map((n) => n >= MIN_POOLED_PIXELS);
}

/** A reference's code per label (twins filled in), or null where it has none; `borrowed` names twins used. */
export interface ReferenceCodes {
  rows: (Float32Array | null)[];
  borrowed: Map<number, number>;
}

export function referenceCodes(encoded: EncodedCrop, length: number): ReferenceCodes {
  const rows = encoded.present.map((present, id) => (present ? encoded.codes.slice(id * length, (id + 1) * length) : null));
  const borrowed = new Map<number, number>();
  for (const [a, b] of TWINS) {
    if (!rows[a] && rows[b]) {
      rows[a] = rows[b]!.slice();
      borrowed.set(a, b);
    }
    if (!rows[b] && rows[a] && !borrowed.has(a)) {
      rows[b] = rows[a]!.slice();
      borrowed.set(b, a);
    }
  }
  return { rows, borrowed };
}

/** One style to move toward per label, with how much of it applies (share < 1 when only one of two references has the label). */
export interface StyleTarget {
  row: Float32Array | null;
  share: number;
}

/** Two references at t (0: first, 1: second); a label only one has fades by how much of that reference is used. */
export function mixReferences(first: ReferenceCodes, second: ReferenceCodes | null, t: number): StyleTarget[] {
  return Array.from({ length: LABEL_COUNT }, (_, id): StyleTarget => {
    const a = first.rows[id] ?? null;
    if (!second || !(t > 0)) return { row: a, share: a ? 1 : 0 };
    const b = second.rows[id] ?? null;
    if (a && b) {
      const row = new Float32Array(a.length);
      for (let k = 0; k < row.length; k++) row[k] = (1 - t) * a[k]! + t * b[k]!;
      return { row, share: 1 };
    }
    if (a) return { row: a, share: 1 - t };
    if (b) return { row: b, share: t };
    return { row: null, share: 0 };
  });
}

export interface MixedCodes {
  codes: Float32Array;
  /** Label ids the user weighted that kept the target's own code because no reference had them. */
  keptOwn: number[];
  /** Weighted label ids the target's crop does not have: nothing to restyle there. */
  absentInTarget: number[];
}

/** code_j = own_j + alpha_j · share_j · (style_j − own_j), for every label. */
export function mixCodes(target: EncodedCrop, styles: readonly StyleTarget[], alphas: readonly number[], length: number): MixedCodes {
  const codes = target.codes.slice();
  const keptOwn: number[] = [];
  const absentInTarget: number[] = [];
  for (let id = 0; id < LABEL_COUNT; id++) {
    const alpha = alphas[id] ?? 0;
    if (!(alpha > 0)) continue;
    if (!target.present[id]) {
      absentInTarget.push(id);
      continue;
    }
    const style = styles[id];
    if (!style?.row || !(style.share > 0)) {
      keptOwn.push(id);
      continue;
    }
    const w = alpha * style.share;
    for (let k = 0, o = id * length; k < length; k++, o++) codes[o] = codes[o]! + w * (style.row[k]! - codes[o]!);
  }
  return { codes, keptOwn, absentInTarget };
}

export const labelTitle = (id: number) => LABELS[id]?.title.toLowerCase() ?? `label ${id}`;
