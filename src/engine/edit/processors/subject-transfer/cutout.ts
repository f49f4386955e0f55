/**
 * The source person as a layer: their pixels and soft alpha cut to their bounding box, with the
 * colours at the soft edge freed of the source's background. An edge pixel of alpha a shows
 * I = a·F + (1 − a)·B (person colour F over background B); pasted as it is onto another scene,
 * the old background's share comes along as a fringe (a blue rim from a sky). B is estimated by
 * filling the person's area of the source from the background around it (the same push-pull fill
 * that repairs the target), and F solved for: F = (I − (1 − a)·B) / a.
 */
import type { RasterImage } from '../../../image/image';
import { boxMean } from '../../../vision/segmentation/box-filter';
import { imageToLab, labToImage, rgbToLab } from '../../pixel/color/color-space';
import { colorStats, type ColorStats } from '../../pixel/color/color-stats';
import { applyColorTransform, colorTransform, scaleTransform, transformColor, type ColorTransform } from '../../pixel/color/color-transfer';
import { cropWeights, growBox, weightsBox, type PixelBox } from '../../pixel/color/pixel-box';
import { fillBackground } from '../../pixel/fill/fill-background';

export interface SubjectCutout {
  /** Where the crop lies in the source photo. */
  box: PixelBox;
  /** Crop-sized RGB: the person's own colours (background share removed at soft edges). */
  image: RasterImage;
  /** Crop-sized alpha in [0, 1]. */
  alpha: Float32Array;
}

/** Alpha below this is background: not part of the cut-out. */
const MIN_ALPHA = 0.02;
/** F is solved with alpha at least this: below it the division would amplify the estimate's error. */
const MIN_SOLVE_ALPHA = 0.3;
/** Background around the person the edge estimate draws on (pixels). */
const CROP_MARGIN = 16;

/** The person cut out of the source; null when the alpha holds no person. */
export function cutOutSubject(source: RasterImage, alpha: Float32Array): SubjectCutout | null {
  const { width, height, channels } = source;
  const tight = weightsBox(alpha, width, height, MIN_ALPHA);
  if (!tight) return null;
  const box = growBox(tight, CROP_MARGIN, width, height);
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const crop = new Uint8Array(bw * bh * 3);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const s = ((y + box.y0) * width + x + box.x0) * channels;
      crop.set(source.data.subarray(s, s + 3), (y * bw + x) * 3);
    }
  }
  const image: RasterImage = { width: bw, height: bh, channels: 3, data: crop };
  const a = cropWeights(alpha, width, box);
  // The background under the person and its soft edge, two pixels beyond where alpha fades out.
  const person = Float32Array.from(a, (v) => (v > MIN_ALPHA ? 1 : 0));
  const hole = Float32Array.from(boxMean(person, bw, bh, 2), (v) => (v > 0 ? 1 : 0));
  const background = fillBackground(image, hole, { method: 'smooth', grain: false }).data;
  const colours = new Uint8Array(crop.length);
  for (let i = 0; i < a.length; i++) {
    const ai = a[i]!;
    for (let c = 0; c < 3; c++) {
      const o = i * 3 + c;
      if (ai >= 0.98 || ai <= MIN_ALPHA) {
        colours[o] = crop[o]!;
        continue;
      }
      const solveAlpha = Math.max(ai, MIN_SOLVE_ALPHA);
      const f = (crop[o]! - (1 - solveAlpha) * background[o]!) / solveAlpha;
      colours[o] = f <= 0 ? 0 : f >= 255 ? 255 : Math.round(f);
    }
  }
  for (let i = 0; i < a.length; i++) if (a[i]! <= MIN_ALPHA) a[i] = 0;
  return { box, image: { width: bw, height: bh, channels: 3, data: colours }, alpha: a };
}

/** Background pixels for the tone statistics: person alpha below this. */
const BACKGROUND_ALPHA = 0.1;
/** The background's statistics are taken on a grid of about this many samples (they are averages). */
const TONE_SAMPLES = 65_536;

/** Lab statistics of a photo's background (where the person alpha is low), sampled on a grid. */
export function backgroundStats(image: RasterImage, alpha: Float32Array): ColorStats | null {
  const { width, height, channels, data } = image;
  const step = Math.max(1, Math.round(Math.sqrt((width * height) / TONE_SAMPLES)));
  const lab: number[] = [];
  const one = [0, 0, 0];
  for (let y = step >> 1; y < height; y += step) {
    for (let x = step >> 1; x < width; x += step) {
      const i = y * width + x;
      if (alpha[i]! >= BACKGROUND_ALPHA) continue;
      rgbToLab(data[i * channels]!, data[i * channels + 1]!, data[i * channels + 2]!, one);
      lab.push(one[0]!, one[1]!, one[2]!);
    }
  }
  return colorStats(Float32Array.from(lab));
}

/** Largest lightness change (L units) and colour cast (a, b units) harmonising may make. */
const MAX_LIGHTNESS_SHIFT = 12;
const MAX_CAST_SHIFT = 4;
/** Largest contrast change (gain on L spread) harmonising may make. */
const MAX_CONTRAST_GAIN = 1.25;

/**
 * The tone change that fits the person into the target scene: the source background's Lab
 * statistics mapped onto the target background's, at `strength`, limited to a mild exposure,
 * contrast and colour-cast change. Backgrounds differ in content as well as light (a blue sky, a
 * grey studio wall); the limits keep a content difference from repainting the person.
 */
export function harmonizingTransform(sourceBackground: ColorStats, targetBackground: ColorStats, personMean: [number, number, number], strength: number): ColorTransform {
  const full = colorTransform(sourceBackground, targetBackground, 'mean-std', { maxGain: MAX_CONTRAST_GAIN });
  const partial = scaleTransform(full, strength);
  const moved: [number, number, number] = [0, 0, 0];
  transformColor(partial, personMean, 0, moved);
  const limits = [MAX_LIGHTNESS_SHIFT, MAX_CAST_SHIFT, MAX_CAST_SHIFT];
  for (let c = 0; c < 3; c++) {
    const shift = moved[c]! - personMean[c]!;
    const limited = Math.max(-limits[c]!, Math.min(limits[c]!, shift));
    partial.offset[c] = partial.offset[c]! + limited - shift;
  }
  return partial;
}

/** The cut-out with a colour transform applied to its person pixels (a new cut-out). */
export function recolorCutout(cutout: SubjectCutout, transform: ColorTransform): SubjectCutout {
  const lab = imageToLab(cutout.image);
  applyColorTransform(lab.data, transform, Float32Array.from(cutout.alpha, (a) => (a > 0 ? 1 : 0)));
  return { ...cutout, image: labToImage(lab) };
}
