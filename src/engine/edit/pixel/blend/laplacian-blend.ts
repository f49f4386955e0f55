/**
 * Multi-band blending (Burt & Adelson, "A Multiresolution Spline with Application to Image
 * Mosaics", 1983): both images split into band-pass layers (a Laplacian pyramid), each band
 * blended with the mask blurred to that band's scale, and the bands added back up. Fine detail
 * changes over a short distance (no doubled edges, no smear) while colour and light change over
 * a long one (no visible step), which a single feather cannot do both of.
 *
 * The pyramid here halves with a 2×2 average after a [1 1 1]/3 blur and grows back bilinearly
 * (float-plane.ts's pixel-centre convention), so a level's expansion lines up with the level
 * below. Where the mask is zero at every level the result is the under image up to float
 * rounding; a caller that must report where pixels changed (ProcessResult.region) should compare,
 * since the coarse bands reach past the mask's own support by about 2^levels pixels.
 */
import { boxMean } from '../../../vision/segmentation/box-filter';
import { createPlane, downsamplePlane, upsamplePlane, type FloatPlane } from './float-plane';

/** Interleaved float pixels, `channels` per pixel. */
export interface FloatImage {
  width: number;
  height: number;
  channels: number;
  data: Float32Array;
}

function reduce(plane: FloatPlane): FloatPlane {
  const blurred = { width: plane.width, height: plane.height, data: boxMean(plane.data, plane.width, plane.height, 1) };
  return downsamplePlane(blurred, 2);
}

function expand(small: FloatPlane, width: number, height: number): FloatPlane {
  return upsamplePlane(small, 2, width, height);
}

function gaussianPyramid(plane: FloatPlane, levels: number): FloatPlane[] {
  const out = [plane];
  while (out.length < levels && out[out.length - 1]!.width > 1 && out[out.length - 1]!.height > 1) out.push(reduce(out[out.length - 1]!));
  return out;
}

/** Laplacian bands of a Gaussian pyramid; the last entry is the coarsest Gaussian level itself. */
function laplacianBands(gaussian: readonly FloatPlane[]): FloatPlane[] {
  return gaussian.map((level, k) => {
    if (k === gaussian.length - 1) return level;
    const up = expand(gaussian[k + 1]!, level.width, level.height);
    const band = createPlane(level.width, level.height);
    for (let i = 0; i < band.data.length; i++) band.data[i] = level.data[i]! - up.data[i]!;
    return band;
  });
}

function channelPlane(image: FloatImage, c: number): FloatPlane {
  const plane = createPlane(image.width, image.height);
  for (let p = 0; p < plane.data.length; p++) plane.data[p] = image.data[p * image.channels + c]!;
  return plane;
}

/**
 * under·(1 − mask) + over·mask, band by band over `levels` pyramid levels (1 is a plain blend).
 * The images and the mask must have the same size; the result is a new image.
 */
export function laplacianBlend(under: FloatImage, over: FloatImage, mask: FloatPlane, levels: number): FloatImage {
  const { width, height, channels } = under;
  if (over.width !== width || over.height !== height || over.channels !== channels || mask.width !== width || mask.height !== height) {
    throw new RangeError('laplacianBlend: the images and the mask must have the same size and channels');
  }
  const masks = gaussianPyramid(mask, Math.max(1, Math.floor(levels)));
  const out: FloatImage = { width, height, channels, data: new Float32Array(width * height * channels) };
  for (let c = 0; c < channels; c++) {
    const a = laplacianBands(gaussianPyramid(channelPlane(under, c), masks.length));
    const b = laplacianBands(gaussianPyramid(channelPlane(over, c), masks.length));
    let result: FloatPlane | null = null;
    for (let k = masks.length - 1; k >= 0; k--) {
      const m = masks[k]!.data;
      const level = createPlane(masks[k]!.width, masks[k]!.height);
      for (let i = 0; i < level.data.length; i++) level.data[i] = a[k]!.data[i]! + m[i]! * (b[k]!.data[i]! - a[k]!.data[i]!);
      if (result) {
        const up = expand(result, level.width, level.height);
        for (let i = 0; i < level.data.length; i++) level.data[i] = level.data[i]! + up.data[i]!;
      }
      result = level;
    }
    for (let p = 0; p < width * height; p++) out.data[p * channels + c] = result!.data[p]!;
  }
  return out;
}
