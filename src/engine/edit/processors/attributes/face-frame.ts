/**
 * One face's own frame and measures, read off its 468 landmarks once per frame: the axes the
 * sliders move things along (so a tilted head is edited along its own axes), and the feature
 * sizes every slider's strength is a fraction of (so a slider does the same to a small face and a
 * large one). Right and left are the subject's.
 */
import type { Point } from '../../../vision/image-ops/affine';
import { LEFT_EYE, NOSE, RIGHT_EYE } from '../../../vision/face-mesh-regions';

export interface EyeFrame {
  center: Point;
  /** Unit vector from the inner corner to the outer one. */
  outward: Point;
  /** Unit vector perpendicular to `outward`, pointing down the face. */
  down: Point;
  /** Corner to corner. */
  width: number;
}

export interface FaceFrame {
  points: readonly Point[];
  /** Unit vector from the subject's right to left (the image's rightwards in a level, unmirrored face). */
  across: Point;
  /** Unit vector from forehead to chin. */
  down: Point;
  /** Oval width (234 to 454) and height (10 to 152). */
  width: number;
  height: number;
  center: Point;
  eyes: { right: EyeFrame; left: EyeFrame };
  /** Between the nostrils' bases: the centre the nose sliders work about. */
  noseBase: Point;
  /** Nose width across the alae, and length from the bridge (168) to under the tip (2). */
  noseWidth: number;
  noseLength: number;
  /** Between the corners, on the line where the lips meet. */
  mouthCenter: Point;
  mouthWidth: number;
  /** Upper-lip top (0) to lower-lip bottom (17). */
  mouthHeight: number;
}

export const add = (a: Point, b: Point, k = 1): Point => ({ x: a.x + b.x * k, y: a.y + b.y * k });
export const sub = (a: Point, b: Point): Point => ({ x: a.x - b.x, y: a.y - b.y });
export const scale = (a: Point, k: number): Point => ({ x: a.x * k, y: a.y * k });
export const dot = (a: Point, b: Point): number => a.x * b.x + a.y * b.y;
export const mid = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
export const dist = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);

export function unit(v: Point): Point {
  const n = Math.hypot(v.x, v.y) || 1;
  return { x: v.x / n, y: v.y / n };
}

/** The point set's centroid. */
export function centroid(points: readonly Point[], indices: readonly number[]): Point {
  let x = 0;
  let y = 0;
  for (const i of indices) {
    x += points[i]!.x;
    y += points[i]!.y;
  }
  return { x: x / indices.length, y: y / indices.length };
}

function eyeFrame(points: readonly Point[], contour: readonly number[], inner: number, outer: number, faceDown: Point): EyeFrame {
  const outward = unit(sub(points[outer]!, points[inner]!));
  let down = { x: -outward.y, y: outward.x };
  if (dot(down, faceDown) < 0) down = scale(down, -1);
  return { center: centroid(points, contour), outward, down, width: dist(points[outer]!, points[inner]!) };
}

export function faceFrame(points: readonly Point[]): FaceFrame {
  const p = (i: number) => points[i]!;
  // The eye-corner line is the steadiest horizontal a face has (the oval's sides move with the jaw).
  const across = unit(sub(p(263), p(33)));
  const down = { x: -across.y, y: across.x };
  let noseMin = Infinity;
  let noseMax = -Infinity;
  for (const i of NOSE) {
    const t = dot(p(i), across);
    noseMin = Math.min(noseMin, t);
    noseMax = Math.max(noseMax, t);
  }
  return {
    points,
    across,
    down,
    width: dist(p(234), p(454)),
    height: dist(p(10), p(152)),
    center: mid(mid(p(10), p(152)), mid(p(234), p(454))),
    eyes: {
      right: eyeFrame(points, RIGHT_EYE, 133, 33, down),
      left: eyeFrame(points, LEFT_EYE, 362, 263, down),
    },
    noseBase: centroid(points, [2, 98, 327]),
    noseWidth: noseMax - noseMin,
    noseLength: Math.abs(dot(sub(p(2), p(168)), down)),
    mouthCenter: mid(mid(p(61), p(291)), mid(p(13), p(14))),
    mouthWidth: dist(p(61), p(291)),
    mouthHeight: Math.abs(dot(sub(p(17), p(0)), down)),
  };
}
