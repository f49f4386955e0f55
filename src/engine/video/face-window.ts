/**
 * The part of a frame an edit of some faces can reach, for video edits that convert and edit only
 * that: around the faces when every step's processor states how far from a face it reads and
 * writes (ProcessorModule.faceReach), else the whole frame. Shared by the app's plan edit and the
 * CLI's tracked edit, so both edit a frame the same way.
 */
import type { EditStep } from '../edit/edit-photo';
import { getProcessor } from '../edit/registry';
import { meshBox } from '../vision/faces/landmark-crop';
import type { Region } from '../vision/image-ops/box-downsample';
import type { TrackedFace } from '../vision/tracking/face-tracker';
import type { VideoFrame } from './video-frame';

/** How far from their faces the steps reach (the largest), or undefined: the whole frame. */
export function stepsFaceReach(steps: readonly EditStep[]): number | undefined {
  // A step limited by a frame-sized mask is not cut to a window.
  if (!steps.every((step) => !step.mask && getProcessor(step.processor).faceReach !== undefined)) return undefined;
  return Math.max(...steps.map((step) => getProcessor(step.processor).faceReach!));
}

/** The aligned window an edit of `faces` converts (null: it misses the frame). */
export function editWindow(frame: VideoFrame, faces: readonly TrackedFace[], faceReach: number | undefined): Region | null {
  return faceReach === undefined ? frame.bounds : frame.aligned(reachOf(faces, faceReach));
}

/** Pixels kept around the faces' landmark boxes beyond the processors' own reach (rounding, edges). */
const WINDOW_MARGIN = 4;

/** The frame pixels within `reach` (a fraction of each face's box size) of the faces' landmark boxes. */
function reachOf(faces: readonly TrackedFace[], reach: number): Region {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const face of faces) {
    const box = meshBox(face.landmarks);
    const grow = reach * Math.max(box.width, box.height) + WINDOW_MARGIN;
    left = Math.min(left, Math.floor(box.x - grow));
    top = Math.min(top, Math.floor(box.y - grow));
    right = Math.max(right, Math.ceil(box.x + box.width + grow));
    bottom = Math.max(bottom, Math.ceil(box.y + box.height + grow));
  }
  return { left, top, width: right - left, height: bottom - top };
}

/** The face with its box and landmarks in the window's coordinates. */
export function shiftedFace(face: TrackedFace, window: Region): TrackedFace {
  const dx = window.left;
  const dy = window.top;
  return {
    ...face,
    box: { ...face.box, x: face.box.x - dx, y: face.box.y - dy },
    landmarks: face.landmarks.map((p) => ({ x: p.x - dx, y: p.y - dy, z: p.z })),
  };
}

