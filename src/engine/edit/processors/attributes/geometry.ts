/**
 * All geometry sliders of one face summed into one displacement field, guarded against folding,
 * and applied in one warp of the face's neighbourhood.
 */
import type { RasterImage } from '../../../image/image';
import { applyDisplacementField } from '../../pixel/field-warp/apply-field';
import { buildDisplacementField, type DisplacementField } from '../../pixel/field-warp/displacement-field';
import { limitFolding, type FoldCheck } from '../../pixel/field-warp/fold-guard';
import type { WarpHandle } from '../../pixel/field-warp/warp-handle';
import { eyesHandles } from './eye-handles';
import type { FaceFrame } from './face-frame';
import { mouthHandles, noseHandles } from './feature-handles';
import type { AttributeOptions } from './options';
import { outlineHandles } from './outline-handles';

/** Lattice nodes across the face's width: fine enough for an eye's falloff, a few pixels apart at 1080p. */
const NODES_ACROSS_FACE = 48;
const MAX_STEP = 8;

export function geometryHandles(face: FaceFrame, options: AttributeOptions): WarpHandle[] {
  return [...eyesHandles(face, options), ...noseHandles(face, options), ...mouthHandles(face, options), ...outlineHandles(face, options)];
}

export function latticeStep(face: FaceFrame): number {
  return Math.max(1, Math.min(MAX_STEP, Math.round(face.width / NODES_ACROSS_FACE)));
}

export interface FaceField {
  field: DisplacementField;
  fold: FoldCheck;
}

/** The face's field for these options, fold-guarded; null when no geometry slider is set. */
export function faceField(face: FaceFrame, options: AttributeOptions, imageWidth: number, imageHeight: number): FaceField | null {
  const handles = geometryHandles(face, options);
  const field = buildDisplacementField(handles, imageWidth, imageHeight, latticeStep(face));
  if (!field) return null;
  return { field, fold: limitFolding(field) };
}

/** Warps the face's neighbourhood of `image` in place; marks what moved in `region`. */
export function warpFace(image: RasterImage, face: FaceFrame, options: AttributeOptions, region: Uint8Array): FoldCheck | null {
  const built = faceField(face, options, image.width, image.height);
  if (!built) return null;
  applyDisplacementField(image, built.field, region);
  return built.fold;
}
