/** Turning merged candidates into reported faces, in a stable order. */
import type { CandidateFace } from './decode-detections';
import { FACE_KEYPOINT_NAMES, type FaceDetection, type FaceKeypoints } from './face-types';

export function toFaceDetection(c: CandidateFace): FaceDetection {
  const keypoints = {} as FaceKeypoints;
  FACE_KEYPOINT_NAMES.forEach((name, k) => {
    keypoints[name] = { x: c.keypoints[2 * k]!, y: c.keypoints[2 * k + 1]! };
  });
  return {
    box: { x: c.xmin, y: c.ymin, width: c.xmax - c.xmin, height: c.ymax - c.ymin },
    score: c.score,
    keypoints,
    model: c.model,
    foundBy: [...c.foundBy].sort(),
  };
}

/** Left to right by box centre x, ties top to bottom by centre y: the order the CLI and UI number faces in. */
export function sortFacesLeftToRight(faces: FaceDetection[]): FaceDetection[] {
  const cx = (f: FaceDetection) => f.box.x + f.box.width / 2;
  const cy = (f: FaceDetection) => f.box.y + f.box.height / 2;
  return [...faces].sort((a, b) => cx(a) - cx(b) || cy(a) - cy(b));
}
