/**
 * One face's regions as image-space polygons, read off its 468 landmarks, and the face's own
 * frame (centre, up, right, size) in which the approximate regions outside the mesh (ears, neck,
 * hair) are placed, so they tilt and scale with the head.
 *
 * The proportions for those outside regions are rough anthropometric ones, in units of the face
 * oval's height H (forehead top 10 to chin 152) and width W (234 to 454); docs/LABEL-MAP.md lists
 * them and why.
 */
import { SeamError } from '../../../shared/errors';
import {
  CHEEK_LEFT,
  CHEEK_RIGHT,
  CHIN,
  FACE_MESH_LANDMARK_COUNT,
  FACE_OVAL,
  FACE_SIDE_LEFT,
  FACE_SIDE_RIGHT,
  FOREHEAD_TOP,
  JAW_ANGLE_LEFT,
  JAW_ANGLE_RIGHT,
  LEFT_BROW,
  LEFT_EYE,
  LOWER_LIP,
  MOUTH_INTERIOR,
  NOSE,
  RIGHT_BROW,
  RIGHT_EYE,
  UPPER_LIP,
} from '../face-mesh-regions';
import { ellipsePolygon } from './rasterize';
import type { ParserFace, Point2 } from './semantic-parser';

/** Ears: centre outward of the oval's side by EAR_OUT·W and up by EAR_UP·H; semi-axes EAR_HALF_HEIGHT·H, EAR_HALF_WIDTH·W. */
const EAR_OUT = 0.06;
const EAR_UP = 0.03;
const EAR_HALF_HEIGHT = 0.16;
const EAR_HALF_WIDTH = 0.075;
/** With the detector's tragion, which sits at the ear's front edge: the ear's centre is this much further out. */
const EAR_OUT_FROM_TRAGION = 0.04;
/** Neck: from the jaw down NECK_LENGTH·H, each side drawn in by NECK_INSET·W at the bottom. */
const NECK_LENGTH = 0.85;
const NECK_INSET = 0.08;
/** Hair zone: an ellipse in face units centred HAIR_UP·H above the face centre. */
const HAIR_UP = 0.15;
const HAIR_HALF_WIDTH = 0.95;
const HAIR_HALF_HEIGHT = 1.0;
/** Brows are stroked with at least this radius (·W) so thin brows stay visible. */
const BROW_STROKE = 0.012;

export interface FaceFrame {
  /** Centroid of the face oval. */
  cx: number;
  cy: number;
  /** Unit vector from chin to forehead, and the perpendicular pointing to the image's right for an upright face. */
  ux: number;
  uy: number;
  rx: number;
  ry: number;
  /** Oval height (10 → 152) and width (234 → 454) in pixels. */
  height: number;
  width: number;
}

export interface FaceGeometry {
  frame: FaceFrame;
  oval: number[];
  nose: number[];
  leftEye: number[];
  rightEye: number[];
  leftBrow: number[];
  rightBrow: number[];
  browStrokeRadius: number;
  mouth: number[];
  upperLip: number[];
  lowerLip: number[];
  cheeks: number[][];
  /** Ears (subject's left, right) and neck: the areas where visible skin beside the face is labelled so. */
  leftEar: number[];
  rightEar: number[];
  neck: number[];
  /** In face units (see `faceUp`): above this the forehead is looked at for hair; below this hair is not sought. */
  browTopUp: number;
  jawAngleUp: number;
}

/** A face's landmarks as a point lookup; throws when the mesh has the wrong size or non-finite points. */
function landmarkReader(face: ParserFace): (i: number) => Point2 {
  if (face.points.length < FACE_MESH_LANDMARK_COUNT) {
    throw new SeamError('BAD_INPUT', `A face needs ${FACE_MESH_LANDMARK_COUNT} landmarks, got ${face.points.length}.`);
  }
  for (let i = 0; i < FACE_MESH_LANDMARK_COUNT; i++) {
    const p = face.points[i]!;
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) throw new SeamError('BAD_INPUT', `Landmark ${i} is not a finite point.`);
  }
  return (i) => face.points[i]!;
}

const flat = (at: (i: number) => Point2, indices: readonly number[]) => indices.flatMap((i) => [at(i).x, at(i).y]);

/** How far above the face centre (x, y) is, in oval heights (negative below). */
export function faceUp(f: FaceFrame, x: number, y: number): number {
  return ((x - f.cx) * f.ux + (y - f.cy) * f.uy) / f.height;
}

/** How far to the image-right of the face centre (x, y) is, in oval widths. */
export function faceRight(f: FaceFrame, x: number, y: number): number {
  return ((x - f.cx) * f.rx + (y - f.cy) * f.ry) / f.width;
}

/** Inside the zone where person pixels beside and above the face are taken for hair. */
export function inHairZone(g: FaceGeometry, x: number, y: number): boolean {
  const up = faceUp(g.frame, x, y);
  if (up < g.jawAngleUp) return false;
  const s = faceRight(g.frame, x, y) / HAIR_HALF_WIDTH;
  const t = (up - HAIR_UP) / HAIR_HALF_HEIGHT;
  return s * s + t * t <= 1;
}

/** The hair zone's bounding box in pixels [x0, x1) × [y0, y1), so most pixels skip the ellipse test. */
export function hairZoneBox(g: FaceGeometry): { x0: number; y0: number; x1: number; y1: number } {
  const f = g.frame;
  const centreX = f.cx + f.ux * HAIR_UP * f.height;
  const centreY = f.cy + f.uy * HAIR_UP * f.height;
  const a = HAIR_HALF_HEIGHT * f.height;
  const b = HAIR_HALF_WIDTH * f.width;
  // Extent of an ellipse with semi-axes a (along up) and b (along right).
  const halfX = Math.hypot(a * f.ux, b * f.rx);
  const halfY = Math.hypot(a * f.uy, b * f.ry);
  return { x0: Math.floor(centreX - halfX), y0: Math.floor(centreY - halfY), x1: Math.ceil(centreX + halfX) + 1, y1: Math.ceil(centreY + halfY) + 1 };
}

export function faceGeometry(face: ParserFace): FaceGeometry {
  const at = landmarkReader(face);
  const oval = flat(at, FACE_OVAL);
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < oval.length; i += 2) {
    cx += oval[i]!;
    cy += oval[i + 1]!;
  }
  cx /= oval.length / 2;
  cy /= oval.length / 2;
  const top = at(FOREHEAD_TOP);
  const chin = at(CHIN);
  const height = Math.hypot(top.x - chin.x, top.y - chin.y);
  const width = Math.hypot(at(FACE_SIDE_LEFT).x - at(FACE_SIDE_RIGHT).x, at(FACE_SIDE_LEFT).y - at(FACE_SIDE_RIGHT).y);
  if (!(height > 1e-6) || !(width > 1e-6)) throw new SeamError('BAD_INPUT', 'The face mesh is degenerate (zero height or width).');
  const ux = (top.x - chin.x) / height;
  const uy = (top.y - chin.y) / height;
  const frame: FaceFrame = { cx, cy, ux, uy, rx: -uy, ry: ux, height, width };

  // The subject's right side is on the image's left for a face that looks at the camera; the
  // sign of the side point's offset along `right` says which way is out for each ear.
  const ear = (side: number, tragion: Point2 | undefined) => {
    const anchor = tragion ?? at(side);
    const outSign = Math.sign(faceRight(frame, at(side).x, at(side).y)) || 1;
    const out = (tragion ? EAR_OUT_FROM_TRAGION : EAR_OUT) * width * outSign;
    const centreX = anchor.x + frame.rx * out + frame.ux * EAR_UP * height;
    const centreY = anchor.y + frame.ry * out + frame.uy * EAR_UP * height;
    return ellipsePolygon(centreX, centreY, EAR_HALF_HEIGHT * height, EAR_HALF_WIDTH * width, [ux, uy], 24);
  };

  // Neck: the jaw arc from one jaw angle round the chin to the other, then straight down.
  const jawFrom = FACE_OVAL.indexOf(JAW_ANGLE_LEFT);
  const jawTo = FACE_OVAL.indexOf(JAW_ANGLE_RIGHT);
  const jaw = flat(at, FACE_OVAL.slice(jawFrom, jawTo + 1));
  const down = (p: Point2, inwardSign: number): [number, number] => {
    const inset = NECK_INSET * width * inwardSign;
    return [p.x - ux * NECK_LENGTH * height + frame.rx * inset, p.y - uy * NECK_LENGTH * height + frame.ry * inset];
  };
  const rightAngle = at(JAW_ANGLE_RIGHT);
  const leftAngle = at(JAW_ANGLE_LEFT);
  const inwardOf = (p: Point2) => -(Math.sign(faceRight(frame, p.x, p.y)) || 1);
  const neck = [...jaw, ...down(rightAngle, inwardOf(rightAngle)), ...down(leftAngle, inwardOf(leftAngle))];

  const browTopUp = Math.max(...[...LEFT_BROW, ...RIGHT_BROW].map((i) => faceUp(frame, at(i).x, at(i).y)));
  const jawAngleUp = Math.min(faceUp(frame, rightAngle.x, rightAngle.y), faceUp(frame, leftAngle.x, leftAngle.y));

  return {
    frame,
    oval,
    nose: flat(at, NOSE),
    leftEye: flat(at, LEFT_EYE),
    rightEye: flat(at, RIGHT_EYE),
    leftBrow: flat(at, LEFT_BROW),
    rightBrow: flat(at, RIGHT_BROW),
    browStrokeRadius: Math.max(0.5, BROW_STROKE * width),
    mouth: flat(at, MOUTH_INTERIOR),
    upperLip: flat(at, UPPER_LIP),
    lowerLip: flat(at, LOWER_LIP),
    cheeks: [flat(at, CHEEK_RIGHT), flat(at, CHEEK_LEFT)],
    leftEar: ear(FACE_SIDE_LEFT, face.earTragions?.left),
    rightEar: ear(FACE_SIDE_RIGHT, face.earTragions?.right),
    neck,
    browTopUp,
    jawAngleUp,
  };
}
