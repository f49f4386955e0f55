/**
 * The face regions Seam draws from MediaPipe's 468 landmarks, as ordered landmark index lists
 * (polygons and paths). MediaPipe publishes its region sets as unordered edge lists
 * (face-mesh-connections.ts); a polygon needs its vertices in order, so the edges are chained here
 * once, at module load. The few index lists MediaPipe does not publish (nose, cheeks, jaw) were
 * picked on the mesh and are documented in docs/LABEL-MAP.md.
 *
 * "Left" and "right" are the subject's, as in MediaPipe: the subject's left eye (FACEMESH_LEFT_EYE,
 * outer corner 263) appears on the image's right in a photo that is not mirrored.
 */
import {
  FACEMESH_FACE_OVAL,
  FACEMESH_LEFT_EYE,
  FACEMESH_LEFT_EYEBROW,
  FACEMESH_LIPS,
  FACEMESH_RIGHT_EYE,
  FACEMESH_RIGHT_EYEBROW,
  type LandmarkConnection,
} from './face-mesh-connections';

export const FACE_MESH_LANDMARK_COUNT = 468;

/**
 * Splits an edge list into its connected chains, each as an ordered vertex list. A closed loop
 * comes back with its first vertex not repeated; an open path starts at one of its two ends.
 * Throws on a vertex of degree > 2 (the list is not a set of simple paths and loops).
 */
export function chainConnections(edges: readonly LandmarkConnection[]): { closed: boolean; indices: number[] }[] {
  const neighbours = new Map<number, number[]>();
  for (const [a, b] of edges) {
    neighbours.set(a, [...(neighbours.get(a) ?? []), b]);
    neighbours.set(b, [...(neighbours.get(b) ?? []), a]);
  }
  for (const [vertex, list] of neighbours) {
    if (list.length > 2) throw new Error(`landmark ${vertex} joins ${list.length} edges: not a simple path or loop`);
  }
  const visited = new Set<number>();
  const chains: { closed: boolean; indices: number[] }[] = [];
  const walk = (start: number): number[] => {
    const indices = [start];
    visited.add(start);
    let previous = -1;
    let current = start;
    for (;;) {
      const next = neighbours.get(current)!.find((n) => n !== previous && !visited.has(n));
      if (next === undefined) return indices;
      indices.push(next);
      visited.add(next);
      previous = current;
      current = next;
    }
  };
  // Open paths first, from an end (degree 1), so they come out whole; what is left are loops.
  for (const [vertex, list] of neighbours) {
    if (list.length === 1 && !visited.has(vertex)) chains.push({ closed: false, indices: walk(vertex) });
  }
  for (const vertex of neighbours.keys()) {
    if (!visited.has(vertex)) chains.push({ closed: true, indices: walk(vertex) });
  }
  return chains;
}

function onlyLoop(edges: readonly LandmarkConnection[], name: string): number[] {
  const chains = chainConnections(edges);
  if (chains.length !== 1 || !chains[0]!.closed) throw new Error(`${name} is not one closed loop`);
  return chains[0]!.indices;
}

/** The open path of `edges` that passes through `through`, oriented to start at `from`. */
function pathThrough(edges: readonly LandmarkConnection[], through: number, from: number, name: string): number[] {
  const path = chainConnections(edges).find((c) => !c.closed && c.indices.includes(through));
  if (!path) throw new Error(`${name}: no open path through landmark ${through}`);
  const indices = path.indices[0] === from ? path.indices : [...path.indices].reverse();
  if (indices[0] !== from) throw new Error(`${name}: the path through ${through} does not end at ${from}`);
  return indices;
}

/** Rotates a loop so it starts at `first` (makes the order independent of the edge list's order). */
function startAt(loop: number[], first: number): number[] {
  const at = loop.indexOf(first);
  if (at < 0) throw new Error(`landmark ${first} is not on the loop`);
  return [...loop.slice(at), ...loop.slice(0, at)];
}

/** The face oval, a closed loop of 36 landmarks, starting at the forehead top (10). */
export const FACE_OVAL: readonly number[] = startAt(onlyLoop(FACEMESH_FACE_OVAL, 'FACEMESH_FACE_OVAL'), 10);
export const FOREHEAD_TOP = 10;
export const CHIN = 152;
/** The oval's widest points, at the cheekbones beside the ears (subject's right, left). */
export const FACE_SIDE_RIGHT = 234;
export const FACE_SIDE_LEFT = 454;
/**
 * Near the jaw angles (gonion), subject's right and left: the neck is drawn down from the jaw
 * between these two, and hair is not sought below the line through them.
 */
export const JAW_ANGLE_RIGHT = 172;
export const JAW_ANGLE_LEFT = 397;

/** Eye contours (closed loops of 16). */
export const LEFT_EYE: readonly number[] = onlyLoop(FACEMESH_LEFT_EYE, 'FACEMESH_LEFT_EYE');
export const RIGHT_EYE: readonly number[] = onlyLoop(FACEMESH_RIGHT_EYE, 'FACEMESH_RIGHT_EYE');

/**
 * Brows: MediaPipe gives each brow as two open paths of 5 points, the upper and the lower edge.
 * The brow polygon is the lower edge from the temple end, then the upper edge back from the
 * nose end. Temple ends: 46 (lower) and 70 (upper) on the right, 276 and 300 on the left.
 */
function browPolygon(edges: readonly LandmarkConnection[], lowerTemple: number, upperTemple: number, name: string): number[] {
  const lower = pathThrough(edges, lowerTemple, lowerTemple, `${name} lower edge`);
  const upper = pathThrough(edges, upperTemple, upperTemple, `${name} upper edge`);
  return [...lower, ...[...upper].reverse()];
}
export const RIGHT_BROW: readonly number[] = browPolygon(FACEMESH_RIGHT_EYEBROW, 46, 70, 'FACEMESH_RIGHT_EYEBROW');
export const LEFT_BROW: readonly number[] = browPolygon(FACEMESH_LEFT_EYEBROW, 276, 300, 'FACEMESH_LEFT_EYEBROW');

/**
 * The lips are two closed rings in FACEMESH_LIPS: the outer edge (through 0 at the top of the
 * cupid's bow and 17 at the bottom) and the inner edge where the lips meet (13 above, 14 below).
 * Each ring is split at its corners, 61/291 (outer) and 78/308 (inner), into an upper and a lower
 * arc, all running from the subject's right corner to the left.
 */
function arcOfLoop(edges: readonly LandmarkConnection[], from: number, to: number, through: number, name: string): number[] {
  const loop = chainConnections(edges).find((c) => c.closed && c.indices.includes(through));
  if (!loop || !loop.indices.includes(from) || !loop.indices.includes(to)) throw new Error(`${name}: no loop through ${from}, ${through}, ${to}`);
  const ring = startAt(loop.indices, from);
  const forward = ring.slice(0, ring.indexOf(to) + 1);
  const backward = [from, ...ring.slice(ring.indexOf(to)).reverse()];
  return forward.includes(through) ? forward : backward;
}
export const LIPS_OUTER_UPPER: readonly number[] = arcOfLoop(FACEMESH_LIPS, 61, 291, 0, 'FACEMESH_LIPS outer upper');
export const LIPS_OUTER_LOWER: readonly number[] = arcOfLoop(FACEMESH_LIPS, 61, 291, 17, 'FACEMESH_LIPS outer lower');
export const LIPS_INNER_UPPER: readonly number[] = arcOfLoop(FACEMESH_LIPS, 78, 308, 13, 'FACEMESH_LIPS inner upper');
export const LIPS_INNER_LOWER: readonly number[] = arcOfLoop(FACEMESH_LIPS, 78, 308, 14, 'FACEMESH_LIPS inner lower');

/** Upper lip: outer upper edge corner to corner, back along the inner upper edge. */
export const UPPER_LIP: readonly number[] = [...LIPS_OUTER_UPPER, ...[...LIPS_INNER_UPPER].reverse()];
/** Lower lip: outer lower edge corner to corner, back along the inner lower edge. */
export const LOWER_LIP: readonly number[] = [...LIPS_OUTER_LOWER, ...[...LIPS_INNER_LOWER].reverse()];
/** Both lips' outer outline: upper edge corner to corner, back along the lower edge. */
export const LIPS_OUTER: readonly number[] = [...LIPS_OUTER_UPPER, ...[...LIPS_OUTER_LOWER].reverse().slice(1, -1)];
/** Mouth interior: the inner ring (a sliver, or nothing, when the lips are closed). */
export const MOUTH_INTERIOR: readonly number[] = [...LIPS_INNER_UPPER, ...[...LIPS_INNER_LOWER].reverse().slice(1, -1)];

/**
 * Nose (not published by MediaPipe; picked on the mesh): from the
 * bridge between the eyes (168) down the subject's right side (193, 122, 188, 174, 217, 198, 209,
 * 49, 64, 98, 97) to under the tip (2), and back up the left side (326, 327, 294, 279, 429, 420,
 * 437, 399, 412, 351, 417). Pairs: 193↔417, 122↔351, 188↔412, 174↔399, 217↔437, 198↔420,
 * 209↔429, 49↔279, 64↔294, 98↔327, 97↔326.
 */
export const NOSE: readonly number[] = [168, 193, 122, 188, 174, 217, 198, 209, 49, 64, 98, 97, 2, 326, 327, 294, 279, 429, 420, 437, 399, 412, 351, 417];

/**
 * Cheek patches (picked on the mesh), used to sample the subject's skin colour: below the eye,
 * beside the nose, above the mouth corner, in from the oval. Subject's right and left.
 */
export const CHEEK_RIGHT: readonly number[] = [118, 101, 36, 205, 187, 123];
export const CHEEK_LEFT: readonly number[] = [347, 330, 266, 425, 411, 352];
