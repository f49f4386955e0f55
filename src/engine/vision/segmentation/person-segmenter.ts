/**
 * Person segmentation at image resolution: MediaPipe's selfie model (square or landscape, by the
 * image's aspect, see model-choice.ts) on the stretched frame, then the low-resolution probability
 * upsampled with a guided filter so its edge follows the photo's (guided-upsample.ts).
 */
import type { Tensor } from 'onnxruntime-node';
import { SeamError } from '../../../shared/errors';
import type { Logger } from '../../context';
import { resizeToTensor } from '../image-ops/resize';
import type { VisionModels } from '../vision-models';
import { guidedUpsample, type FloatMap, type GuidedUpsampleOptions, type RgbImage } from './guided-upsample';
import { chooseSegmentationModel, SEGMENTATION_MODELS, type SegmentationVariant } from './model-choice';

export interface PersonSegmentation {
  width: number;
  height: number;
  /** Probability that each pixel shows a person, in [0, 1], row-major at image size. */
  alpha: Float32Array;
  /** The model's own output at its resolution, before upsampling. */
  low: FloatMap;
  modelId: string;
  variant: SegmentationVariant;
  timings: { preprocessMs: number; inferenceMs: number; upsampleMs: number };
}

export interface SegmentOptions {
  /** Force a model instead of choosing by aspect. */
  variant?: SegmentationVariant;
  upsample?: GuidedUpsampleOptions;
  signal?: AbortSignal;
}

export class PersonSegmenter {
  constructor(
    private readonly models: VisionModels,
    private readonly logger: Logger,
  ) {}

  async segment(image: RgbImage, options: SegmentOptions = {}): Promise<PersonSegmentation> {
    if (image.data.length !== image.width * image.height * image.channels) {
      throw new SeamError('BAD_INPUT', `Image data holds ${image.data.length} bytes, expected ${image.width}×${image.height}×${image.channels}.`);
    }
    const spec = options.variant ? SEGMENTATION_MODELS[options.variant] : chooseSegmentationModel(image.width, image.height);
    const t0 = performance.now();
    const input = resizeToTensor(image, spec.width, spec.height, [0, 1]);
    const t1 = performance.now();

    const outputs = await this.models.runImage(spec.modelId, input, [1, spec.height, spec.width, 3], options.signal);
    const probability = singleChannelOutput(outputs, spec.width, spec.height, spec.modelId);
    const t2 = performance.now();

    options.signal?.throwIfAborted();
    const low: FloatMap = { width: spec.width, height: spec.height, data: probability };
    const { alpha, scale, workingRadius } = guidedUpsample(image, low, options.upsample);
    const t3 = performance.now();

    const timings = { preprocessMs: t1 - t0, inferenceMs: t2 - t1, upsampleMs: t3 - t2 };
    this.logger.debug('person segmented', { model: spec.modelId, width: image.width, height: image.height, scale, workingRadius, ...timings });
    return { width: image.width, height: image.height, alpha, low, modelId: spec.modelId, variant: spec.variant, timings };
  }
}

/** The model's 1×H×W×1 probability plane; MODEL_INVALID when a replaced model gives something else. */
function singleChannelOutput(outputs: Record<string, Tensor>, width: number, height: number, modelId: string): Float32Array {
  for (const tensor of Object.values(outputs)) {
    if (tensor.data instanceof Float32Array && tensor.data.length === width * height) return tensor.data;
  }
  const shapes = Object.entries(outputs)
    .map(([name, t]) => `${name} [${t.dims.join('×')}]`)
    .join(', ');
  throw new SeamError('MODEL_INVALID', `Model "${modelId}" should output a ${height}×${width} probability plane; it gave ${shapes}.`);
}
