/**
 * Letterboxing: the whole image scaled to fit a square (or any box) keeping its aspect ratio,
 * centred, the rest filled with the border. The transform both ways is returned so a model's
 * output can be mapped back into image coordinates.
 */
import { invertAffine, scaleTranslate, type Affine } from './affine';
import type { PixelSource, ValueRange } from './pixel-source';
import { warpToTensor } from './warp';

export interface LetterboxTransform {
  /** Output pixel coordinates → source image coordinates. */
  dstToSrc: Affine;
  /** Source image coordinates → output pixel coordinates. */
  srcToDst: Affine;
  /** Output pixels per source pixel. */
  scale: number;
  /** Border width left/right and top/bottom, in output pixels (fractional: the content is centred exactly). */
  padX: number;
  padY: number;
}

export function letterboxTransform(srcWidth: number, srcHeight: number, dstWidth: number, dstHeight: number): LetterboxTransform {
  const scale = Math.min(dstWidth / srcWidth, dstHeight / srcHeight);
  const padX = (dstWidth - srcWidth * scale) / 2;
  const padY = (dstHeight - srcHeight * scale) / 2;
  const srcToDst = scaleTranslate(scale, scale, padX, padY);
  return { srcToDst, dstToSrc: invertAffine(srcToDst), scale, padX, padY };
}

export interface LetterboxedTensor {
  /** NHWC float data, height × width × 3. */
  data: Float32Array;
  width: number;
  height: number;
  transform: LetterboxTransform;
}

/**
 * The image letterboxed into a width × height tensor scaled to `range`. The border is black
 * pixels (value 0 before scaling, so `range[0]` in the tensor), as MediaPipe pads the image
 * before converting it to the model's range.
 */
export function letterboxToTensor(image: PixelSource, width: number, height: number, range: ValueRange, into?: Float32Array): LetterboxedTensor {
  const transform = letterboxTransform(image.width, image.height, width, height);
  const data = warpToTensor(image, transform.dstToSrc, width, height, { range, border: 'zero', ...(into ? { into } : {}) });
  return { data, width, height, transform };
}
