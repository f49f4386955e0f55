/**
 * Plain resizes (no aspect kept): an image into a model's input size, and a model's output map
 * (a mask, a probability plane) back to the image's size. Shrinking is antialiased, enlarging is
 * bilinear.
 */
import { scaleTranslate, type Affine } from './affine';
import type { PixelSource, ValueRange } from './pixel-source';
import { warpToFloat, warpToTensor } from './warp';

/** Output pixel coordinates → source coordinates for stretching srcW×srcH onto dstW×dstH. */
export function stretchTransform(srcWidth: number, srcHeight: number, dstWidth: number, dstHeight: number): Affine {
  return scaleTranslate(srcWidth / dstWidth, srcHeight / dstHeight, 0, 0);
}

/** The whole image stretched to width × height, as an NHWC float tensor scaled to `range`. */
export function resizeToTensor(image: PixelSource, width: number, height: number, range: ValueRange): Float32Array {
  // Edge pixels replicate: at a stretch, samples fall at most half a pixel outside the image.
  return warpToTensor(image, stretchTransform(image.width, image.height, width, height), width, height, { range, border: 'replicate' });
}

/** Any float or 8-bit plane (1–4 channels) resized to width × height, as float values. */
export function resizePlane(plane: PixelSource, width: number, height: number): PixelSource & { data: Float32Array } {
  return warpToFloat(plane, stretchTransform(plane.width, plane.height, width, height), width, height, { border: 'replicate' });
}
