/**
 * The landmark model's crop (MediaPipe's settings): a square around the face, rotated so the
 * eyes are level, 1.5× the face's size. From a detection, the box and the two eye keypoints give
 * it; from the previous frame's landmarks (video, or a second pass on a photo), their bounding
 * box and the outer eye corners 33 and 263 do.
 */
import type { Affine } from '../image-ops/affine';
import type { Box, FaceDetection, Landmark, RotatedSquare } from './face-types';
import { MESH } from './mesh-indices';

export const CROP_SCALE = 1.5;

export function cropFromDetection(detection: FaceDetection, scale = CROP_SCALE): RotatedSquare {
  const { box, keypoints } = detection;
  return {
    centerX: box.x + box.width / 2,
    centerY: box.y + box.height / 2,
    size: Math.max(box.width, box.height) * scale,
    angle: Math.atan2(keypoints.leftEye.y - keypoints.rightEye.y, keypoints.leftEye.x - keypoints.rightEye.x),
  };
}

/** The axis-aligned bounding box of a set of landmarks, in image pixels. */
export function meshBox(points: readonly Landmark[]): Box {
  let xmin = Infinity;
  let ymin = Infinity;
  let xmax = -Infinity;
  let ymax = -Infinity;
  for (const p of points) {
    if (p.x < xmin) xmin = p.x;
    if (p.x > xmax) xmax = p.x;
    if (p.y < ymin) ymin = p.y;
    if (p.y > ymax) ymax = p.y;
  }
  return { x: xmin, y: ymin, width: xmax - xmin, height: ymax - ymin };
}

export function cropFromLandmarks(points: readonly Landmark[], scale = CROP_SCALE): RotatedSquare {
  const box = meshBox(points);
  const right = points[MESH.rightEyeOuter]!;
  const left = points[MESH.leftEyeOuter]!;
  return {
    centerX: box.x + box.width / 2,
    centerY: box.y + box.height / 2,
    size: Math.max(box.width, box.height) * scale,
    angle: Math.atan2(left.y - right.y, left.x - right.x),
  };
}

/** Crop pixel coordinates (0..outputSize) → image coordinates. */
export function cropToImageTransform(crop: RotatedSquare, outputSize: number): Affine {
  const k = crop.size / outputSize;
  const cos = Math.cos(crop.angle) * k;
  const sin = Math.sin(crop.angle) * k;
  const half = outputSize / 2;
  // image = centre + R(angle) · (crop - half) · k
  return {
    a: cos,
    b: -sin,
    c: crop.centerX - (cos - sin) * half,
    d: sin,
    e: cos,
    f: crop.centerY - (sin + cos) * half,
  };
}
