/**
 * What the face code reports. All coordinates are image pixels of the upright image (EXIF
 * orientation applied), continuous: the top-left pixel covers [0, 1) × [0, 1).
 */
import type { Point } from '../image-ops/affine';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The detector's six keypoints, in the subject's terms (the right eye is on the image's left in a frontal photo). */
export const FACE_KEYPOINT_NAMES = ['rightEye', 'leftEye', 'noseTip', 'mouthCenter', 'rightEarTragion', 'leftEarTragion'] as const;
export type FaceKeypointName = (typeof FACE_KEYPOINT_NAMES)[number];
export type FaceKeypoints = Record<FaceKeypointName, Point>;

export type FaceDetectorModel = 'short-range' | 'full-range';

export interface FaceDetection {
  box: Box;
  /** Detector confidence, 0..1 (of the strongest detection that went into this one). */
  score: number;
  keypoints: FaceKeypoints;
  /** The model whose detection led this face's cluster. */
  model: FaceDetectorModel;
  /** Every model with a detection in this face's cluster. */
  foundBy: FaceDetectorModel[];
}

export interface Landmark {
  x: number;
  y: number;
  /** Depth relative to the face's centre, in the same pixel units as x (smaller is nearer the camera). */
  z: number;
}

/** A rotated square in the image: the landmark model's crop. */
export interface RotatedSquare {
  centerX: number;
  centerY: number;
  /** Side length in image pixels. */
  size: number;
  /** Radians; the crop's x axis points along (cos, sin) in the image (y down). */
  angle: number;
}

export interface FaceLandmarks {
  /** 468 points of the MediaPipe face mesh, in image pixels. */
  points: Landmark[];
  /** sigmoid of the presence logit: ≥ 0.5 means the crop holds a face. */
  presence: number;
  /** The crop the points were read from. */
  crop: RotatedSquare;
}
