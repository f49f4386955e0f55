/**
 * Mouth and eye openings the warp cannot carry over. A warp moves pixels, it cannot invent them:
 * when the target smiles with its teeth showing and the source's mouth is closed, the target's
 * open mouth would be painted with the source's lip line stretched into a pink band (a blinking
 * source would paint open eyes with its eyelids); the other way round, the source's teeth or
 * irises would be squeezed into a bright or dark line between closed lips or lids. Where one
 * face's opening is less than half the other's:
 * - the target's is the open one: its own opening is kept (its teeth, its irises), inside the
 *   source's lips and lids that the warp puts around it;
 * - the source's mouth is the open one: it is closed in the warp instead (closed-mouth.ts);
 * - the source's eye is the open one: the target's closed lid line (a sliver) is kept.
 */
import { LEFT_EYE, MOUTH_INTERIOR, RIGHT_EYE } from '../../../vision/face-mesh-regions';
import { MESH } from '../../../vision/faces/mesh-indices';
import { closedMouthMesh, type WarpMesh } from './closed-mouth';
import type { KeepPart } from './face-swap-options';
import { FACE_SWAP_TRIANGLES } from './mesh-triangles';

export interface Opening {
  name: 'mouth' | 'right eye' | 'left eye';
  /** The `keep` choice that already keeps it. */
  part: KeepPart;
  outline: readonly number[];
  /** Corners whose distance normalises the area (mouth corners, eye corners). */
  corners: readonly [number, number];
}

export const OPENINGS: readonly Opening[] = [
  { name: 'mouth', part: 'mouth', outline: MOUTH_INTERIOR, corners: [MESH.mouthRight, MESH.mouthLeft] },
  { name: 'right eye', part: 'eyes', outline: RIGHT_EYE, corners: [MESH.rightEyeOuter, MESH.rightEyeInner] },
  { name: 'left eye', part: 'eyes', outline: LEFT_EYE, corners: [MESH.leftEyeOuter, MESH.leftEyeInner] },
];

/** The target's opening is kept when the smaller of the two openings is below this share of the larger... */
const SHARE = 0.5;
/**
 * ...and the larger is open at all (area over corner distance squared). A closed mouth reads
 * about 0.02 (the inner lips' contour never quite meets), a smile with teeth 0.1.
 */
const MIN_OPEN = { mouth: 0.04, 'right eye': 0.06, 'left eye': 0.06 } as const;

/** Area of the outline over the squared corner distance: 0 closed, about 0.3 for an open eye. */
export function openness(points: ArrayLike<number>, opening: Opening): number {
  let twice = 0;
  const n = opening.outline.length;
  for (let k = 0; k < n; k++) {
    const i = opening.outline[k]!;
    const j = opening.outline[(k + 1) % n]!;
    twice += points[i * 2]! * points[j * 2 + 1]! - points[j * 2]! * points[i * 2 + 1]!;
  }
  const [a, b] = opening.corners;
  const span = Math.hypot(points[a * 2]! - points[b * 2]!, points[a * 2 + 1]! - points[b * 2 + 1]!);
  return Math.abs(twice) / 2 / Math.max(1e-6, span * span);
}

export interface KeptOpening extends Opening {
  /** True when the target's is the open one (teeth or an iris kept), false when it is closed. */
  targetOpen: boolean;
}

/** The openings whose size differs too much between the two faces for the warp to carry over. */
export function unfillableOpenings(sourcePoints: ArrayLike<number>, targetPoints: ArrayLike<number>): KeptOpening[] {
  const kept: KeptOpening[] = [];
  for (const opening of OPENINGS) {
    const target = openness(targetPoints, opening);
    const source = openness(sourcePoints, opening);
    if (Math.max(target, source) >= MIN_OPEN[opening.name] && Math.min(target, source) < SHARE * Math.max(target, source)) {
      kept.push({ ...opening, targetOpen: target > source });
    }
  }
  return kept;
}

export interface OpeningPlan {
  /** Target openings to keep out of the new face (none that `keep` already keeps). */
  kept: KeptOpening[];
  /** What to warp: the face mesh, or the closed-mouth mesh (closed-mouth.ts). */
  mesh: WarpMesh;
  /** True for the closed-mouth mesh: warp it from the source with its opening filled (mouth-fill.ts). */
  closingMouth: boolean;
}

export function planOpenings(sourcePoints: ArrayLike<number>, targetPoints: ArrayLike<number>, keep: readonly KeepPart[]): OpeningPlan {
  const differing = unfillableOpenings(sourcePoints, targetPoints).filter((o) => !keep.includes(o.part));
  const closingMouth = differing.some((o) => o.name === 'mouth' && !o.targetOpen);
  return {
    kept: differing.filter((o) => o.targetOpen || o.name !== 'mouth'),
    mesh: closingMouth ? closedMouthMesh(sourcePoints, targetPoints) : { sourcePoints, targetPoints, triangles: FACE_SWAP_TRIANGLES },
    closingMouth,
  };
}

/** "the face: kept its own mouth (closed in the source, open here)", per direction. */
export function openingNotes(face: string, kept: readonly KeptOpening[]): string[] {
  const notes: string[] = [];
  for (const [open, why] of [[true, 'closed in the source, open here'], [false, 'open in the source, closed here']] as const) {
    const names = kept.filter((o) => o.targetOpen === open).map((o) => o.name);
    if (names.length > 0) notes.push(`${face}: kept its own ${names.join(' and ')} (${why})`);
  }
  return notes;
}
