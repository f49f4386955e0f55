/**
 * Which face is which between frames: a detection belongs to a followed face when their boxes
 * overlap or the face's nose is inside the detection; a face that reappears after an occlusion
 * takes back the id of the lost track that is near where it vanished and looks like it.
 */
import type { Box, FaceDetection, Landmark } from '../faces/face-types';
import { MESH } from '../faces/mesh-indices';
import { signatureDistance, type FaceSignature } from './face-signature';
import { meshBox } from '../faces/landmark-crop';
import type { FaceTrack } from './face-track';

export function boxIoU(a: Box, b: Box): number {
  const iw = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const ih = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (iw <= 0 || ih <= 0) return 0;
  const intersection = iw * ih;
  return intersection / (a.width * a.height + b.width * b.height - intersection);
}

const inside = (p: { x: number; y: number }, box: Box) => p.x >= box.x && p.x <= box.x + box.width && p.y >= box.y && p.y <= box.y + box.height;

export function detectionCoversTrack(detection: FaceDetection, points: readonly Landmark[]): boolean {
  return inside(points[MESH.noseTip]!, detection.box) || boxIoU(detection.box, meshBox(points)) > 0.3;
}

/** Two meshes on the same face (two tracks that converged, or a detection of a face already followed). */
export function sameFace(a: readonly Landmark[], b: readonly Landmark[]): boolean {
  return boxIoU(meshBox(a), meshBox(b)) > 0.5;
}

export interface ReidentifySettings {
  /** A lost face may reappear this many face sizes from where it vanished, plus `jumpPerFrame` per frame it was gone. */
  maxJump: number;
  jumpPerFrame: number;
  /** Largest signature distance still taken for the same person. */
  maxSignatureDistance: number;
}

export const DEFAULT_REIDENTIFY: ReidentifySettings = { maxJump: 0.75, jumpPerFrame: 0.1, maxSignatureDistance: 0.6 };

export interface NewFace {
  points: readonly Landmark[];
  signature: FaceSignature;
}

/** For each new face, the lost track it continues (or undefined): greedy by cost, each track at most once. */
export function reidentify(faces: readonly NewFace[], lost: readonly FaceTrack[], settings: ReidentifySettings = DEFAULT_REIDENTIFY): Array<FaceTrack | undefined> {
  const pairs: Array<{ face: number; track: FaceTrack; cost: number }> = [];
  faces.forEach((face, f) => {
    const box = meshBox(face.points);
    for (const track of lost) {
      const last = meshBox(track.landmarks);
      const size = Math.max(last.width, last.height, 1);
      const jump = Math.hypot(box.x + box.width / 2 - (last.x + last.width / 2), box.y + box.height / 2 - (last.y + last.height / 2)) / size;
      const sizeChange = Math.abs(Math.log(Math.max(box.width, box.height, 1) / size));
      const likeness = signatureDistance(face.signature, track.signature);
      const gate = Math.min(2, settings.maxJump + settings.jumpPerFrame * track.missed);
      if (jump > gate || sizeChange > 0.7 || likeness > settings.maxSignatureDistance) continue;
      pairs.push({ face: f, track, cost: jump + likeness });
    }
  });
  pairs.sort((a, b) => a.cost - b.cost);
  const result = new Array<FaceTrack | undefined>(faces.length).fill(undefined);
  const taken = new Set<FaceTrack>();
  for (const { face, track } of pairs) {
    if (result[face] !== undefined || taken.has(track)) continue;
    result[face] = track;
    taken.add(track);
  }
  return result;
}
