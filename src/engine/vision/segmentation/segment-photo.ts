/**
 * Person segmentation of a photo on disk, and its alpha written as a picture: what `seam segment`
 * and the app call. The alpha is written as an 8-bit grey PNG (0 = background, 255 = person),
 * atomically, with Seam's provenance, never over the photo it came from.
 */
import { basename } from 'node:path';
import { appVersion } from '../../app-info';
import type { Logger } from '../../context';
import { decodeImage } from '../../image/decode';
import { encodeImageFile } from '../../image/encode';
import type { RasterImage } from '../../image/image';
import type { SessionPool } from '../../inference/session-pool';
import type { SeamPaths } from '../../paths';
import { VisionModels } from '../vision-models';
import { bilinearUpsample } from './guided-upsample';
import { PersonSegmenter, type PersonSegmentation, type SegmentOptions } from './person-segmenter';

export interface SegmentPhotoDeps {
  paths: Pick<SeamPaths, 'builtInModelsDir'>;
  pool: SessionPool;
  logger: Logger;
}

export interface SegmentedPhoto {
  path: string;
  image: RasterImage;
  segmentation: PersonSegmentation;
}

/** A segmenter over the built-in models; pass `models` to share one VisionModels with the face pipeline. */
export function createPersonSegmenter(deps: SegmentPhotoDeps & { models?: VisionModels }): PersonSegmenter {
  return new PersonSegmenter(deps.models ?? new VisionModels(deps), deps.logger);
}

export async function segmentPhoto(deps: SegmentPhotoDeps, path: string, options: SegmentOptions = {}): Promise<SegmentedPhoto> {
  const image = await decodeImage(path, options.signal ? { signal: options.signal } : {});
  const segmentation = await createPersonSegmenter(deps).segment(image, options);
  return { path, image, segmentation };
}

/** A [0, 1] map as an 8-bit grey picture (three equal channels: the encoder writes RGB or RGBA). */
export function greyPicture(values: Float32Array | Uint8Array, width: number, height: number): RasterImage {
  const data = new Uint8Array(width * height * 3);
  const scale = values instanceof Float32Array ? 255 : 1;
  for (let i = 0; i < width * height; i++) {
    const v = Math.round(values[i]! * scale);
    const byte = v < 0 ? 0 : v > 255 ? 255 : v;
    data[i * 3] = byte;
    data[i * 3 + 1] = byte;
    data[i * 3 + 2] = byte;
  }
  return { width, height, channels: 3, data };
}

export interface WriteAlphaOptions {
  /** Write the model's output resized bilinearly instead of the guided upsampling (for comparison). */
  bilinear?: boolean;
}

export async function writeAlphaImage(outputPath: string, photo: SegmentedPhoto, options: WriteAlphaOptions = {}): Promise<void> {
  const { segmentation: s } = photo;
  const alpha = options.bilinear ? bilinearUpsample(s.low, s.width, s.height) : s.alpha;
  await encodeImageFile(outputPath, greyPicture(alpha, s.width, s.height), {
    provenance: {
      software: `Seam ${appVersion()}`,
      operations: [`person alpha of ${basename(photo.path)}: ${s.modelId}, ${options.bilinear ? 'bilinear' : 'guided-filter'} upsampling to ${s.width}×${s.height}`],
    },
    protect: [photo.path],
    grey: true,
  });
}
