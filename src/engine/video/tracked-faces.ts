/**
 * A tracked face (smoothed 468-point mesh, stable id) in the shape the editing processors take
 * (AnalyzedFace: a detection plus landmarks), so a FrameAnalysis seeded with it hands every
 * processor the tracker's smoothed face instead of a fresh, jittering detection.
 */
import type { AnalyzedFace } from '../vision/faces/face-pipeline';
import type { FaceDetection, Landmark } from '../vision/faces/face-types';
import { cropFromLandmarks } from '../vision/faces/landmark-crop';
import { MESH } from '../vision/faces/mesh-indices';
import type { TrackedFace } from '../vision/tracking/face-tracker';

/** Inner-lip midpoints: the mouth centre the detector's keypoint stands for. */
const UPPER_LIP_INNER = 13;
const LOWER_LIP_INNER = 14;

function midpoint(points: readonly Landmark[], a: number, b: number): { x: number; y: number } {
  return { x: (points[a]!.x + points[b]!.x) / 2, y: (points[a]!.y + points[b]!.y) / 2 };
}

function at(points: readonly Landmark[], index: number): { x: number; y: number } {
  return { x: points[index]!.x, y: points[index]!.y };
}

export function trackedToAnalyzedFace(face: TrackedFace): AnalyzedFace {
  const points = face.landmarks;
  const detection: FaceDetection = {
    // The mesh's box (forehead to chin): a little taller than a detector's, and the same on every
    // frame of a track, which is what "the largest face" choices need to stay put.
    box: face.box,
    score: face.score,
    keypoints: {
      rightEye: midpoint(points, MESH.rightEyeOuter, MESH.rightEyeInner),
      leftEye: midpoint(points, MESH.leftEyeOuter, MESH.leftEyeInner),
      noseTip: at(points, MESH.noseTip),
      mouthCenter: midpoint(points, UPPER_LIP_INNER, LOWER_LIP_INNER),
      rightEarTragion: at(points, MESH.rightCheek),
      leftEarTragion: at(points, MESH.leftCheek),
    },
    model: 'short-range',
    foundBy: ['short-range'],
  };
  return { detection, landmarks: { points: [...points], presence: face.score, crop: cropFromLandmarks(points) } };
}

/** Faces in the order processors number them: left to right by box centre. */
export function leftToRight(faces: readonly TrackedFace[]): TrackedFace[] {
  return [...faces].sort((a, b) => a.box.x + a.box.width / 2 - (b.box.x + b.box.width / 2));
}
