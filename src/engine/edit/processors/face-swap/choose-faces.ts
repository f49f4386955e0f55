/**
 * Which face a swap takes and which it replaces, with the errors a user can act on: a photo
 * without a face is NOT_FOUND naming the photo; an index past the last face is BAD_INPUT saying
 * how many faces there are.
 */
import { SeamError } from '../../../../shared/errors';
import type { AnalyzedFace } from '../../../vision/faces/face-pipeline';
import type { FaceLandmarks } from '../../../vision/faces/face-types';

export type MeshedFace = AnalyzedFace & { landmarks: FaceLandmarks };

/** The index of the face with the largest detection box. */
export function largestFace(faces: readonly MeshedFace[]): number {
  let best = 0;
  for (let i = 1; i < faces.length; i++) {
    const area = (f: MeshedFace) => f.detection.box.width * f.detection.box.height;
    if (area(faces[i]!) > area(faces[best]!)) best = i;
  }
  return best;
}

export interface FaceRole {
  /**
   * Which photo, for a caller that knows its file name: the CLI rewrites "the photo being
   * edited" into the target's path when an error's details say photo: 'target'.
   */
  which: 'source' | 'target';
  /** How messages name the photo: "the source photo a.jpg". */
  photo: string;
  /** The option a wrong index came from. */
  option: string;
}

/** faces[index], or the largest for -1. */
export function chooseFace(faces: readonly MeshedFace[], index: number, role: FaceRole): MeshedFace {
  const { which, photo, option } = role;
  if (faces.length === 0) {
    throw new SeamError('NOT_FOUND', `Face swap: no face found in ${photo}. Use a photo where a face is clearly visible.`, { photo: which });
  }
  if (index === -1) return faces[largestFace(faces)]!;
  const face = faces[index];
  if (!face) {
    const count = faces.length === 1 ? 'only 1 face (number 0' : `${faces.length} faces (numbered 0 to ${faces.length - 1}, left to right`;
    throw new SeamError('BAD_INPUT', `Face swap: option ${option} is ${index}, but ${photo} has ${count}; -1 is the largest).`, {
      photo: which,
      option,
      faces: faces.length,
    });
  }
  return face;
}

/** Landmark points as a flat x, y array. */
export function flatPoints(landmarks: FaceLandmarks): Float64Array {
  const out = new Float64Array(landmarks.points.length * 2);
  landmarks.points.forEach((p, i) => {
    out[i * 2] = p.x;
    out[i * 2 + 1] = p.y;
  });
  return out;
}
