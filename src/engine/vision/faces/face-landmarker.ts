/**
 * The 468-point face mesh from a rotated square crop: the crop is sampled bilinearly into the
 * model's 192×192 input, and the points come back through the same transform into image pixels.
 */
import { applyAffine } from '../image-ops/affine';
import type { PixelSource } from '../image-ops/pixel-source';
import { prefilterFactor, warpToTensor } from '../image-ops/warp';
import { outputBySize, type VisionModels } from '../vision-models';
import { sigmoid } from './decode-detections';
import type { FaceLandmarks, Landmark, RotatedSquare } from './face-types';
import { cropToImageTransform } from './landmark-crop';
import { MESH_POINT_COUNT } from './mesh-indices';

export const LANDMARK_INPUT_SIZE = 192;
/** MediaPipe's threshold on the presence score: below it the crop is taken to hold no face. */
export const MIN_PRESENCE = 0.5;

export class FaceLandmarker {
  /** Model runs so far (the tracker reports it). */
  runs = 0;

  constructor(private readonly models: VisionModels) {}

  /**
   * Whether landmarks() reads `crop` averaged (a crop 2× the model's input or more): it then reads
   * the image through its boxAverage where it has one, and none of its full-size pixels.
   */
  readsAveraged(crop: RotatedSquare): boolean {
    return prefilterFactor(cropToImageTransform(crop, LANDMARK_INPUT_SIZE)) > 1;
  }

  async landmarks(image: PixelSource, crop: RotatedSquare, signal?: AbortSignal): Promise<FaceLandmarks> {
    const size = LANDMARK_INPUT_SIZE;
    const cropToImage = cropToImageTransform(crop, size);
    // Edge pixels are repeated where the crop leaves the image (MediaPipe's default for this model).
    const data = warpToTensor(image, cropToImage, size, size, { range: [0, 1], border: 'replicate' });
    const outputs = await this.models.runImage('face_landmark', data, [1, size, size, 3], signal);
    this.runs++;
    const raw = outputBySize(outputs, MESH_POINT_COUNT * 3, 'face mesh');
    const logit = outputBySize(outputs, 1, 'face presence');
    const zScale = crop.size / size;
    const points: Landmark[] = new Array<Landmark>(MESH_POINT_COUNT);
    for (let i = 0; i < MESH_POINT_COUNT; i++) {
      const p = applyAffine(cropToImage, raw[3 * i]!, raw[3 * i + 1]!);
      points[i] = { x: p.x, y: p.y, z: raw[3 * i + 2]! * zScale };
    }
    return { points, presence: sigmoid(logit[0]!, 100), crop };
  }
}
