/**
 * The similarity transform that crops a face the way CelebA-HQ (and after it FFHQ) was aligned,
 * so a generator trained on those crops (SEAN) sees a face where it expects one.
 *
 * CelebA-HQ's recipe (Karras et al. 2018, "Progressive Growing of GANs", appendix C), restated
 * from its description with our names. From the two eye centres and the mouth:
 *
 *   e  = midpoint of the eyes,   e' = (eye on the image's right) − (eye on the image's left)
 *   m' = mouth − e               (eyes to mouth)
 *   x  = e' − rot90(m')          the crop's x axis: the eye line and the perpendicular of the
 *                                eye–mouth line averaged, so one noisy measurement is halved
 *   half side = max(2.0·|e'|, 1.8·|m'|)
 *   centre c  = e + 0.1·m'
 *
 * Why these numbers: a head with its hair is about four eye distances wide, so half a side of two
 * eye distances holds the whole head; when the head turns, the eye distance shrinks while the
 * eye–mouth distance does not, and 1.8·|m'| (for a frontal face |m'| ≈ |e'|, so slightly less
 * than 2·|e'|) takes over so a profile is not cropped too tight. The centre sits a tenth of the
 * eye–mouth distance below the eyes, which leaves room for the hair above and the chin below.
 *
 * At SEAN's 256 × 256, for a frontal face (the eye term wins): the eyes are 64 px apart (a quarter
 * of the crop) on a line at y = 128 − 0.1·|m'|·64/|e'| ≈ 121, centred in x; the mouth about 64 px
 * below them (y ≈ 185). `CELEBA_FRONTAL` records those positions for tests and overlays.
 *
 * Eyes come from the 468-point mesh (the midpoint of each eye's two corners, as a 68-point
 * model's eye centre is the mean of its contour) and the mouth from its corners; or, without a
 * mesh, from the detector's eye keypoints and mouth centre.
 */
import { SeamError } from '../../../shared/errors';
import { applyAffine, invertAffine, type Affine, type Point } from '../image-ops/affine';
import type { FaceKeypoints, Landmark } from '../faces/face-types';
import { MESH, MESH_POINT_COUNT } from '../faces/mesh-indices';

/** The generator's side: SEAN works on 256 × 256. */
export const ALIGNED_SIZE = 256;

const EYE_SPAN = 2.0;
const MOUTH_SPAN = 1.8;
const CENTRE_SHIFT = 0.1;

/** Where a frontal face with |m'| = |e'| lands in a 256 crop (eyes 64 px apart, 0.1·64 px above centre). */
export const CELEBA_FRONTAL = {
  rightEye: { x: 96, y: 121.6 },
  leftEye: { x: 160, y: 121.6 },
  mouth: { x: 128, y: 185.6 },
} as const;

export interface FaceAlignment {
  /** Side of the aligned crop in pixels (256). */
  size: number;
  /** Crop pixel coordinates → image coordinates (the vision code's convention for every crop). */
  toImage: Affine;
  /** Image coordinates → crop pixel coordinates. */
  toCrop: Affine;
  /** The crop's centre in the image. */
  center: Point;
  /** The crop's side measured in image pixels: above `size` means the generator's detail is upscaled. */
  sideInImage: number;
}

/** The subject's eyes (right eye: on the image's left in a frontal photo) and the mouth centre. */
export interface AlignmentPoints {
  rightEye: Point;
  leftEye: Point;
  mouth: Point;
}

/** The CelebA-HQ crop from two eye centres and the mouth, at `size` × `size` pixels. */
export function alignFace(points: AlignmentPoints, size = ALIGNED_SIZE): FaceAlignment {
  const { rightEye, leftEye, mouth } = points;
  for (const [name, p] of Object.entries(points)) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) throw new SeamError('BAD_INPUT', `Face alignment: the ${name} position is not a finite point.`);
  }
  const eyeMid = { x: (rightEye.x + leftEye.x) / 2, y: (rightEye.y + leftEye.y) / 2 };
  const eyeToEye = { x: leftEye.x - rightEye.x, y: leftEye.y - rightEye.y };
  const eyeToMouth = { x: mouth.x - eyeMid.x, y: mouth.y - eyeMid.y };
  // rot90(m') = (−my, mx) points "across the face" the way the eye–mouth line sees it, backwards;
  // subtracting it from e' adds that line's idea of "across" to the eyes' own.
  let ax = eyeToEye.x + eyeToMouth.y;
  let ay = eyeToEye.y - eyeToMouth.x;
  const length = Math.hypot(ax, ay);
  const halfSide = Math.max(EYE_SPAN * Math.hypot(eyeToEye.x, eyeToEye.y), MOUTH_SPAN * Math.hypot(eyeToMouth.x, eyeToMouth.y));
  if (!(length > 1e-6) || !(halfSide > 1e-6)) {
    throw new SeamError('BAD_INPUT', 'Face alignment: the eyes and mouth coincide, so the face has no size or direction to crop by.');
  }
  ax = (ax / length) * halfSide;
  ay = (ay / length) * halfSide;
  // The y axis is x turned a quarter clockwise on screen (y down): (ax, ay) → (−ay, ax).
  const bx = -ay;
  const by = ax;
  const center = { x: eyeMid.x + CENTRE_SHIFT * eyeToMouth.x, y: eyeMid.y + CENTRE_SHIFT * eyeToMouth.y };
  // Crop pixel (u, v) ∈ [0, size)² maps to c + (2u/size − 1)·x + (2v/size − 1)·y.
  const k = 2 / size;
  const toImage: Affine = { a: ax * k, b: bx * k, c: center.x - ax - bx, d: ay * k, e: by * k, f: center.y - ay - by };
  return { size, toImage, toCrop: invertAffine(toImage), center, sideInImage: 2 * halfSide };
}

/** The crop from the 468-point face mesh. */
export function alignFaceFromLandmarks(points: readonly Landmark[], size = ALIGNED_SIZE): FaceAlignment {
  if (points.length < MESH_POINT_COUNT) throw new SeamError('BAD_INPUT', `Face alignment needs the ${MESH_POINT_COUNT}-point face mesh; got ${points.length} points.`);
  const mid = (i: number, j: number) => ({ x: (points[i]!.x + points[j]!.x) / 2, y: (points[i]!.y + points[j]!.y) / 2 });
  return alignFace(
    {
      rightEye: mid(MESH.rightEyeOuter, MESH.rightEyeInner),
      leftEye: mid(MESH.leftEyeInner, MESH.leftEyeOuter),
      mouth: mid(MESH.mouthRight, MESH.mouthLeft),
    },
    size,
  );
}

/** The crop from the detector's keypoints (eye centres and mouth centre), when no mesh was found. */
export function alignFaceFromKeypoints(keypoints: FaceKeypoints, size = ALIGNED_SIZE): FaceAlignment {
  return alignFace({ rightEye: keypoints.rightEye, leftEye: keypoints.leftEye, mouth: keypoints.mouthCenter }, size);
}

/** Where an image point lands in the crop. */
export function toCropPoint(alignment: FaceAlignment, p: Point): Point {
  return applyAffine(alignment.toCrop, p.x, p.y);
}

/** The crop's corners in the image, clockwise from the crop's top-left. */
export function cropQuad(alignment: FaceAlignment): Point[] {
  const s = alignment.size;
  return [
    [0, 0],
    [s, 0],
    [s, s],
    [0, s],
  ].map(([u, v]) => applyAffine(alignment.toImage, u!, v!));
}
