/**
 * Which selfie segmentation model runs on an image. Both MediaPipe models are fed the whole
 * frame stretched to their input size (MODELS.md: no letterbox), so the choice decides how much
 * a person's proportions are distorted on the way in: the square model (256×256) squeezes a 16:9
 * frame 1.78× horizontally, the landscape model (256×144) fits it exactly. We pick the model whose
 * input aspect is nearer the image's in log terms, which puts the switch at √(16/9) = 4/3: 4:3
 * and wider → landscape, narrower (square photos, portraits) → square. Portrait frames stay on the
 * square model: the landscape one would squash them by 2.4× or more. The landscape model is also
 * the cheaper one (144 rows), which suits video, where wide frames are the norm.
 */

export type SegmentationVariant = 'square' | 'landscape';

export interface SegmentationModelSpec {
  variant: SegmentationVariant;
  /** Built-in model id in the manifest. */
  modelId: 'selfie_segmentation' | 'selfie_segmentation_landscape';
  /** The model's input (and output) size. */
  width: number;
  height: number;
}

export const SEGMENTATION_MODELS: Readonly<Record<SegmentationVariant, SegmentationModelSpec>> = {
  square: { variant: 'square', modelId: 'selfie_segmentation', width: 256, height: 256 },
  landscape: { variant: 'landscape', modelId: 'selfie_segmentation_landscape', width: 256, height: 144 },
};

/** Image aspect (width / height) at and above which the landscape model is used. */
export const LANDSCAPE_MIN_ASPECT = Math.sqrt(16 / 9);

export function chooseSegmentationModel(width: number, height: number): SegmentationModelSpec {
  return width / height >= LANDSCAPE_MIN_ASPECT - 1e-9 ? SEGMENTATION_MODELS.landscape : SEGMENTATION_MODELS.square;
}
