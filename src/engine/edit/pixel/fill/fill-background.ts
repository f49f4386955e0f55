/**
 * Background fill for the part of a photo an edit uncovers (where a person stood before being
 * moved or made smaller). By default the hole is synthesised from patches of the background
 * around it (patch-fill.ts), so a mottled studio backdrop stays mottled and an edge that runs
 * into the hole carries on; the 'smooth' method is the push-pull membrane alone (its colours
 * carried inward from every side) plus grain at the surroundings' noise level, so it does not
 * look like plastic next to a grainy background.
 *
 * Only the hole's bounding box, grown by its size (the surroundings drawn from), is worked on;
 * outside it, and wherever the hole weight is 0, the bytes are the input's.
 */
import type { RasterImage } from '../../../image/image';
import { boxMean } from '../../../vision/segmentation/box-filter';
import { growBox, weightsBox, type PixelBox } from '../color/pixel-box';
import { patchFill } from './patch-fill';
import { pushPullFill } from './push-pull-fill';
import { seededUniform } from './seeded-random';

export interface FillBackgroundOptions {
  /**
   * 'texture' (default): patches of the surroundings, synthesised coarse to fine (patch-fill.ts).
   * 'smooth': the push-pull membrane alone, with grain — much faster, blurry over large holes.
   */
  method?: 'texture' | 'smooth';
  /** With 'smooth': add noise at the surroundings' fine-detail level (default true). Deterministic: seeded. */
  grain?: boolean;
  /** Seed of the grain's generator (default 1): the same input gives the same output. */
  seed?: number;
}

/**
 * A copy of `image` with the hole filled: each pixel becomes input + h·(fill − input), h the hole
 * weight in [0, 1]. Pixels with any hole weight are not trusted as surroundings.
 */
export function fillBackground(image: RasterImage, hole: Float32Array, options: FillBackgroundOptions = {}): RasterImage {
  const { width, height, channels } = image;
  const out: RasterImage = { ...image, data: image.data.slice() };
  const box = holeWorkBox(hole, width, height);
  if (!box) return out;
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const values = new Float32Array(bw * bh * 3);
  const known = new Float32Array(bw * bh);
  const unknown = new Uint8Array(bw * bh);
  let knownCount = 0;
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const b = y * bw + x;
      const i = (y + box.y0) * width + x + box.x0;
      if (hole[i]! > 0) unknown[b] = 1;
      else {
        known[b] = 1;
        knownCount++;
      }
      for (let c = 0; c < 3; c++) values[b * 3 + c] = image.data[i * channels + c]!;
    }
  }
  if (knownCount === 0) return out; // nothing to draw from: the whole frame is hole
  const source = { width: bw, height: bh, channels: 3, data: values };
  const texture = (options.method ?? 'texture') === 'texture';
  const filled = texture ? patchFill(source, unknown, { seed: options.seed ?? 1 }).data : pushPullFill(source, known).data;
  const sigma = texture || options.grain === false ? 0 : grainLevel(values, known, bw, bh);
  const random = gaussianRandom(options.seed ?? 1);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const b = y * bw + x;
      const i = (y + box.y0) * width + x + box.x0;
      const h = Math.min(1, hole[i]!);
      if (h <= 0) continue;
      const grain = sigma > 0 ? sigma * random() : 0;
      for (let c = 0; c < 3; c++) {
        const o = i * channels + c;
        const v = image.data[o]! + h * (filled[b * 3 + c]! + grain - image.data[o]!);
        out.data[o] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
      }
    }
  }
  return out;
}

/** The hole's bounding box grown by its larger side (clamped to the image); null without a hole. */
function holeWorkBox(hole: Float32Array, width: number, height: number): PixelBox | null {
  const box = weightsBox(hole, width, height);
  if (!box) return null;
  return growBox(box, Math.max(32, Math.max(box.x1 - box.x0, box.y1 - box.y0)), width, height);
}

/**
 * The surroundings' grain: the RMS of luminance minus its 5×5 mean over known pixels away from
 * the hole's edge, capped so that real texture (a flag's stripes) is not mistaken for noise.
 */
function grainLevel(values: Float32Array, known: Float32Array, width: number, height: number): number {
  const luma = new Float32Array(width * height);
  for (let i = 0; i < luma.length; i++) luma[i] = 0.299 * values[i * 3]! + 0.587 * values[i * 3 + 1]! + 0.114 * values[i * 3 + 2]!;
  const mean = boxMean(luma, width, height, 2);
  const knownAround = boxMean(known, width, height, 2);
  const residuals: number[] = [];
  for (let i = 0; i < luma.length; i += 3) if (knownAround[i]! >= 1) residuals.push(Math.abs(luma[i]! - mean[i]!));
  if (residuals.length < 64) return 0;
  // The median absolute residual, as a standard deviation (×1.4826): robust against edges.
  residuals.sort((a, b) => a - b);
  return Math.min(MAX_GRAIN, 1.4826 * residuals[residuals.length >> 1]!);
}

const MAX_GRAIN = 6;

/** Standard normal samples from a seeded generator (Box–Muller). */
function gaussianRandom(seed: number): () => number {
  const uniform = seededUniform(seed);
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}
