/**
 * A mouth closed in the target and open in the source. The target's closed lips span the
 * source's lips and its open mouth, so a plain warp squeezes the source's teeth into a bright
 * line between them. Instead the source's inner lip edge is moved a third of the way into its
 * lips, and the strip between the target's inner lips (a sliver when closed) samples a line inside
 * the source's upper lip: the closed mouth is made of the source's lips only.
 *
 * The strip's lower vertices cannot also be the lower lip's (one landmark, one source position),
 * so they are duplicated as extra vertices after the 468: same target position, source position
 * on the upper lip.
 */
import { LIPS_INNER_LOWER, LIPS_INNER_UPPER, LIPS_OUTER_LOWER, LIPS_OUTER_UPPER } from '../../../vision/face-mesh-regions';
import { FACE_TRIANGLES_WITHOUT_MOUTH_GAP, MOUTH_GAP_TRIANGLES } from './mesh-triangles';

/** Points where they are (source) and where they land (target), and the triangles between them. */
export interface WarpMesh {
  sourcePoints: ArrayLike<number>;
  targetPoints: ArrayLike<number>;
  triangles: ArrayLike<number>;
}

/** How far into the lips (a share of each lip's thickness) the inner edge moves. */
const LIP_PULL = 0.35;

/** The landmarks with the mouth's inner edge (corners excepted) moved into the lips. */
export function closeMouth(points: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(points);
  for (const [inner, outer] of [[LIPS_INNER_UPPER, LIPS_OUTER_UPPER], [LIPS_INNER_LOWER, LIPS_OUTER_LOWER]] as const) {
    for (let k = 1; k + 1 < inner.length; k++) {
      const i = inner[k]!;
      const o = outer[k]!;
      out[i * 2] = points[i * 2]! + (points[o * 2]! - points[i * 2]!) * LIP_PULL;
      out[i * 2 + 1] = points[i * 2 + 1]! + (points[o * 2 + 1]! - points[i * 2 + 1]!) * LIP_PULL;
    }
  }
  return out;
}

export function closedMouthMesh(sourcePoints: ArrayLike<number>, targetPoints: ArrayLike<number>): WarpMesh {
  const closed = closeMouth(sourcePoints);
  const count = targetPoints.length / 2;
  const extraSource: number[] = [];
  const extraTarget: number[] = [];
  const duplicate = new Map<number, number>();
  // The arcs run corner to corner in step; the corners are shared and stay.
  for (let k = 1; k + 1 < LIPS_INNER_LOWER.length; k++) {
    const lower = LIPS_INNER_LOWER[k]!;
    const upper = LIPS_INNER_UPPER[k]!;
    duplicate.set(lower, count + duplicate.size);
    extraSource.push(closed[upper * 2]!, closed[upper * 2 + 1]!);
    extraTarget.push(targetPoints[lower * 2]!, targetPoints[lower * 2 + 1]!);
  }
  const gap = MOUTH_GAP_TRIANGLES.map((v) => duplicate.get(v) ?? v);
  return {
    sourcePoints: Float64Array.from([...closed, ...extraSource]),
    targetPoints: Float64Array.from([...Array.from(targetPoints), ...extraTarget]),
    triangles: Uint16Array.from([...FACE_TRIANGLES_WITHOUT_MOUTH_GAP, ...gap]),
  };
}
