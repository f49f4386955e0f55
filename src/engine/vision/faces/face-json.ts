/**
 * Faces as plain JSON for the CLI and the contract: rounded to what is meaningful (a tenth of a
 * pixel for boxes, a hundredth for mesh points), with the named mesh points spelled out.
 */
import type { FaceDetection, FaceLandmarks, Landmark, RotatedSquare } from './face-types';
import { MESH, type MeshPointName } from './mesh-indices';

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

export interface FaceDetectionJson {
  box: { x: number; y: number; width: number; height: number };
  score: number;
  model: FaceDetection['model'];
  foundBy: FaceDetection['foundBy'];
  keypoints: Record<string, { x: number; y: number }>;
}

export interface FaceLandmarksJson {
  presence: number;
  crop: RotatedSquare;
  /** Mesh points by name (see mesh-indices.ts). */
  named: Record<MeshPointName, { x: number; y: number }>;
  /** All 468 points as [x, y, z]. */
  points: Array<[number, number, number]>;
}

export function detectionToJson(face: FaceDetection): FaceDetectionJson {
  const keypoints: Record<string, { x: number; y: number }> = {};
  for (const [name, p] of Object.entries(face.keypoints)) keypoints[name] = { x: round(p.x, 1), y: round(p.y, 1) };
  return {
    box: { x: round(face.box.x, 1), y: round(face.box.y, 1), width: round(face.box.width, 1), height: round(face.box.height, 1) },
    score: round(face.score, 3),
    model: face.model,
    foundBy: face.foundBy,
    keypoints,
  };
}

export function landmarksToJson(landmarks: FaceLandmarks, withPoints = true): FaceLandmarksJson | Omit<FaceLandmarksJson, 'points'> {
  const named = {} as Record<MeshPointName, { x: number; y: number }>;
  for (const [name, index] of Object.entries(MESH) as Array<[MeshPointName, number]>) {
    const p = landmarks.points[index]!;
    named[name] = { x: round(p.x, 1), y: round(p.y, 1) };
  }
  const { crop } = landmarks;
  const base = {
    presence: round(landmarks.presence, 3),
    crop: { centerX: round(crop.centerX, 1), centerY: round(crop.centerY, 1), size: round(crop.size, 1), angle: round(crop.angle, 4) },
    named,
  };
  if (!withPoints) return base;
  return { ...base, points: pointsToJson(landmarks.points) };
}

/** Mesh points as [x, y, z] rounded to a hundredth of a pixel. */
export function pointsToJson(points: readonly Landmark[]): Array<[number, number, number]> {
  return points.map((p) => [round(p.x, 2), round(p.y, 2), round(p.z, 2)]);
}
