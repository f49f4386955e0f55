/**
 * Where the source person goes in the target photo: one scale and one translation,
 * target = scale · source + (dx, dy).
 *
 * - With a box from the user: the person's bounding box fitted inside it (aspect kept), centred
 *   across, standing on the box's bottom edge.
 * - With a face in both photos: scaled so the two faces are the same size (the detections'
 *   geometric-mean side) and moved so their centres coincide: the new person's head takes the old
 *   one's place, whatever their framing.
 * - Otherwise: scaled to the target person's height, centred across, heads level.
 *
 * A person cut by the edge of its photo (a portrait's shoulders at the bottom) must not show that
 * cut inside the target frame, where it would float: after the face or height match, the
 * placement is shifted the least that puts every cut edge at or beyond the matching edge of the
 * target. That is also what leaves an uncovered area when the new person is smaller.
 */
import type { OptionBox } from '../../../../shared/processor-options';
import type { Box } from '../../../vision/faces/face-types';
import { weightsBox } from '../../pixel/color/pixel-box';

export interface SubjectGeometry {
  /** The photo's size. */
  width: number;
  height: number;
  /** The person's bounding box (alpha ≥ 0.5), or null when the photo shows no person. */
  person: Box | null;
  /** The chosen face's detection box, when there is one. */
  face: Box | null;
}

export interface Placement {
  scale: number;
  dx: number;
  dy: number;
  /** How the placement was decided, for the notes. */
  basis: 'box' | 'faces' | 'person';
  notes: string[];
}

/** A cut edge counts as one when the person's box comes within this many pixels of the photo's edge. */
const EDGE_TOLERANCE = 2;

export function placeSubject(source: SubjectGeometry & { person: Box }, target: SubjectGeometry, box?: OptionBox): Placement {
  const s = source.person;
  if (box) {
    const scale = Math.min(box.width / s.width, box.height / s.height);
    const dx = box.x + (box.width - scale * s.width) / 2 - scale * s.x;
    const dy = box.y + box.height - scale * (s.y + s.height);
    return { scale, dx, dy, basis: 'box', notes: floatingCutNotes(source, target, scale, dx, dy) };
  }
  let placement: Placement;
  if (source.face && target.face) {
    const scale = Math.sqrt(target.face.width * target.face.height) / Math.sqrt(source.face.width * source.face.height);
    const dx = target.face.x + target.face.width / 2 - scale * (source.face.x + source.face.width / 2);
    const dy = target.face.y + target.face.height / 2 - scale * (source.face.y + source.face.height / 2);
    placement = { scale, dx, dy, basis: 'faces', notes: [] };
  } else if (target.person) {
    const t = target.person;
    const scale = t.height / s.height;
    placement = { scale, dx: t.x + t.width / 2 - scale * (s.x + s.width / 2), dy: t.y - scale * s.y, basis: 'person', notes: [] };
  } else {
    throw new RangeError('placeSubject needs a box, faces in both photos or a target person');
  }
  const cuts = cutEdges(source);
  raiseScaleForCuts(placement, source, target, cuts);
  const sx = shiftForCuts(placement.scale * s.x + placement.dx, placement.scale * (s.x + s.width) + placement.dx, cuts.left, cuts.right, target.width);
  const sy = shiftForCuts(placement.scale * s.y + placement.dy, placement.scale * (s.y + s.height) + placement.dy, cuts.top, cuts.bottom, target.height);
  placement.dx += sx;
  placement.dy += sy;
  placement.notes.push(...floatingCutNotes(source, target, placement.scale, placement.dx, placement.dy));
  return placement;
}

interface CutEdges {
  left: boolean;
  right: boolean;
  top: boolean;
  bottom: boolean;
}

function cutEdges(g: SubjectGeometry & { person: Box }): CutEdges {
  const p = g.person;
  return {
    left: p.x <= EDGE_TOLERANCE,
    right: p.x + p.width >= g.width - EDGE_TOLERANCE,
    top: p.y <= EDGE_TOLERANCE,
    bottom: p.y + p.height >= g.height - EDGE_TOLERANCE,
  };
}

/**
 * A person cut at both sides of their photo (a portrait's shoulders) can hide both cuts only by
 * spanning the target's width: the scale is raised to that, about the anchor point (the face
 * centre, or the person's top centre), so the head stays where it was matched.
 */
function raiseScaleForCuts(placement: Placement, source: SubjectGeometry & { person: Box }, target: SubjectGeometry, cuts: CutEdges): void {
  const p = source.person;
  const needed = Math.max(cuts.left && cuts.right ? target.width / p.width : 0, cuts.top && cuts.bottom ? target.height / p.height : 0);
  if (needed <= placement.scale) return;
  const anchor = source.face ? { x: source.face.x + source.face.width / 2, y: source.face.y + source.face.height / 2 } : { x: p.x + p.width / 2, y: p.y };
  const ax = placement.scale * anchor.x + placement.dx;
  const ay = placement.scale * anchor.y + placement.dy;
  placement.scale = needed;
  placement.dx = ax - needed * anchor.x;
  placement.dy = ay - needed * anchor.y;
  placement.notes.push('The person is cut at both edges of the source photo, so they were enlarged to span the picture and keep those cuts out of view.');
}

/**
 * The least shift along one axis that puts a cut low edge at or before 0 and a cut high edge at
 * or beyond `size` (with both cut, the scale already spans the frame).
 */
function shiftForCuts(lo: number, hi: number, cutLo: boolean, cutHi: boolean, size: number): number {
  if (cutHi && hi < size) return cutLo ? Math.min(size - hi, -lo) : size - hi;
  if (cutLo && lo > 0) return cutHi ? Math.max(-lo, size - hi) : -lo;
  return 0;
}

function floatingCutNotes(source: SubjectGeometry & { person: Box }, target: SubjectGeometry, scale: number, dx: number, dy: number): string[] {
  const p = source.person;
  const cuts = cutEdges(source);
  const shows: string[] = [];
  if (cuts.left && scale * p.x + dx > EDGE_TOLERANCE) shows.push('left');
  if (cuts.right && scale * (p.x + p.width) + dx < target.width - EDGE_TOLERANCE) shows.push('right');
  if (cuts.top && scale * p.y + dy > EDGE_TOLERANCE) shows.push('top');
  if (cuts.bottom && scale * (p.y + p.height) + dy < target.height - EDGE_TOLERANCE) shows.push('bottom');
  return shows.length === 0 ? [] : [`The person is cut at the ${shows.join(' and ')} of the source photo, and that edge now shows inside the picture.`];
}

/** The bounding box of the pixels with alpha above `threshold`; null when there are none. */
export function alphaBox(alpha: Float32Array, width: number, height: number, threshold = 0.5): Box | null {
  const box = weightsBox(alpha, width, height, threshold);
  return box ? { x: box.x0, y: box.y0, width: box.x1 - box.x0, height: box.y1 - box.y0 } : null;
}
