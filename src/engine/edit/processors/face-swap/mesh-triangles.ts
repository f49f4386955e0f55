/**
 * The triangles a face swap warps over: MediaPipe's tessellation plus the three holes it leaves
 * (the eye openings and the mouth between the inner lips) filled, so the whole face oval is one
 * mesh and no pixel inside it is left unwarped. Each hole is bounded by two arcs from one corner
 * to the other (upper and lower lid, upper and lower inner lip) with the same vertex count, so a
 * strip zipped between the arcs fills it whatever shape the opening takes.
 */
import { LEFT_EYE, LIPS_INNER_LOWER, LIPS_INNER_UPPER, RIGHT_EYE } from '../../../vision/face-mesh-regions';
import { FACEMESH_TRIANGLES } from './face-mesh-triangles';

/** Splits a closed loop at two of its vertices into the two arcs from `from` to `to`. */
export function arcsBetween(loop: readonly number[], from: number, to: number): [number[], number[]] {
  const start = loop.indexOf(from);
  if (start < 0 || !loop.includes(to)) throw new Error(`landmarks ${from} and ${to} are not both on the loop`);
  const ring = [...loop.slice(start), ...loop.slice(0, start)];
  const end = ring.indexOf(to);
  const forward = ring.slice(0, end + 1);
  const backward = [from, ...ring.slice(end).reverse()];
  return [forward, backward];
}

/** Triangles of the strip between two arcs that share their first and last vertex. */
export function zipArcs(upper: readonly number[], lower: readonly number[]): number[] {
  if (upper.length !== lower.length) throw new Error(`arcs of ${upper.length} and ${lower.length} vertices cannot be zipped`);
  const out: number[] = [];
  for (let i = 0; i + 1 < upper.length; i++) {
    const [u0, u1, l0, l1] = [upper[i]!, upper[i + 1]!, lower[i]!, lower[i + 1]!];
    if (u1 !== l1) out.push(u0, u1, l1);
    if (u0 !== l0) out.push(u0, l1, l0);
  }
  return out;
}

function eyeHoleTriangles(): number[] {
  const [rightUpper, rightLower] = arcsBetween(RIGHT_EYE, 33, 133);
  const [leftUpper, leftLower] = arcsBetween(LEFT_EYE, 263, 362);
  return [...zipArcs(rightUpper, rightLower), ...zipArcs(leftUpper, leftLower)];
}

/** The strip between the inner lips (the mouth's opening), flat. */
export const MOUTH_GAP_TRIANGLES: readonly number[] = zipArcs(LIPS_INNER_UPPER, LIPS_INNER_LOWER);

/** The filled face mesh without the mouth's opening, flat (triangle k is 3k, 3k+1, 3k+2). */
export const FACE_TRIANGLES_WITHOUT_MOUTH_GAP: Uint16Array = Uint16Array.from([...FACEMESH_TRIANGLES, ...eyeHoleTriangles()]);

/** Every triangle of the filled face mesh, flat. */
export const FACE_SWAP_TRIANGLES: Uint16Array = Uint16Array.from([...FACE_TRIANGLES_WITHOUT_MOUTH_GAP, ...MOUTH_GAP_TRIANGLES]);
