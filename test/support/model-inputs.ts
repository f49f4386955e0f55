/**
 * Realistic inputs for each built-in model, built from the fixture photos per MODELS.md, shared
 * by the parity test and the models benchmark so both feed the models the same tensors.
 */
import { fixturePath, letterbox, randomTensor, squareCrop, stretch } from './images';
import type { InputTensor, Range, SquareBox } from './images';
import type { BuiltInModelId } from './tflite-sources';

export interface LabelledInput {
  label: string;
  tensor: InputTensor;
}

interface ModelInputSpec {
  width: number;
  height: number;
  range: Range;
  resize: 'letterbox' | 'stretch' | 'crop';
}

export const MODEL_INPUTS: Record<BuiltInModelId, ModelInputSpec> = {
  face_detection_short_range: { width: 128, height: 128, range: [-1, 1], resize: 'letterbox' },
  face_detection_full_range: { width: 192, height: 192, range: [-1, 1], resize: 'letterbox' },
  face_landmark: { width: 192, height: 192, range: [0, 1], resize: 'crop' },
  selfie_segmentation: { width: 256, height: 256, range: [0, 1], resize: 'stretch' },
  selfie_segmentation_landscape: { width: 256, height: 144, range: [0, 1], resize: 'stretch' },
};

/**
 * Face squares in source pixels, read off the photos by eye: the face box scaled by about 1.5, as
 * MediaPipe does before cropping for landmarks. The landmark model's presence logit confirms them.
 */
const PHOTOS: Array<{ file: string; face: SquareBox }> = [
  { file: 'astronaut.png', face: { left: 140, top: 35, size: 170 } },
  { file: 'grace_hopper.jpg', face: { left: 115, top: 80, size: 300 } },
];

export async function photoInputs(id: BuiltInModelId): Promise<LabelledInput[]> {
  const spec = MODEL_INPUTS[id];
  return Promise.all(
    PHOTOS.map(async ({ file, face }) => {
      const path = fixturePath(file);
      let tensor: InputTensor;
      if (spec.resize === 'letterbox') tensor = await letterbox(path, spec.width, spec.range);
      else if (spec.resize === 'stretch') tensor = await stretch(path, spec.width, spec.height, spec.range);
      else tensor = await squareCrop(path, face, spec.width, spec.range);
      return { label: file, tensor };
    }),
  );
}

export function randomInput(id: BuiltInModelId, seed = 1): LabelledInput {
  const spec = MODEL_INPUTS[id];
  return { label: `noise(seed ${seed})`, tensor: randomTensor([1, spec.height, spec.width, 3], spec.range, seed) };
}

/**
 * A photo with ±`amount` (as a fraction of the range) seeded noise added, clamped to the range.
 * Pure noise drives the segmenters' sigmoid to ~0 everywhere, where any two runtimes agree
 * trivially; noise on a photo keeps the outputs in their sensitive range.
 */
export async function noisyPhotoInput(id: BuiltInModelId, seed = 2, amount = 0.1): Promise<LabelledInput> {
  const [photo] = await photoInputs(id);
  const [lo, hi] = MODEL_INPUTS[id].range;
  const noise = randomTensor(photo!.tensor.shape, [-amount * (hi - lo), amount * (hi - lo)], seed);
  const data = photo!.tensor.data.map((v, i) => Math.min(hi, Math.max(lo, v + noise.data[i]!)));
  return { label: `${photo!.label} + noise(seed ${seed})`, tensor: { data, shape: photo!.tensor.shape } };
}
