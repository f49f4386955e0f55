/**
 * What the image operations read: interleaved pixels, 8-bit (a decoded RasterImage or a video
 * frame) or float (a mask, a prefiltered copy). Row-major, top row first.
 */
import type { Region } from './box-downsample';

export interface PixelSource {
  width: number;
  height: number;
  /** Values per pixel: 1 (mask), 3 (RGB) or 4 (RGBA). */
  channels: number;
  data: Uint8Array | Float32Array;
  /**
   * `region` averaged over factor×factor blocks (what boxDownsample gives), for a source that can
   * do it without its full-size pixels: a video frame averages its YUV planes, so a warp that
   * shrinks it never needs it converted to RGB. Warps prefilter through this when it is there.
   */
  boxAverage?: (region: Region, factor: number) => PixelSource & { data: Float32Array };
}

/** What a sample outside the image reads: black/zero (detector letterbox) or the nearest edge pixel (crops). */
export type BorderMode = 'zero' | 'replicate';

/** The range 8-bit values are mapped onto in a model input, e.g. [-1, 1] or [0, 1]. */
export type ValueRange = readonly [number, number];

export function assertPixelSource(source: PixelSource): void {
  const { width, height, channels, data } = source;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`image size must be positive integers, got ${width}×${height}`);
  }
  if (data.length !== width * height * channels) {
    throw new RangeError(`image data holds ${data.length} values, expected ${width}×${height}×${channels}`);
  }
}
