/**
 * Colour matching between two image regions in one call, the form most edits want: "make the
 * pasted face's colours match the target's skin", "give the placed person the scene's tone".
 * Pixels outside the mask keep their exact bytes: only the mask's bounding box is converted to Lab
 * and back.
 */
import type { RasterImage } from '../../../image/image';
import { imageToLab, labToRgb } from './color-space';
import { colorStats, type ColorStats, type PixelWeights } from './color-stats';
import { applyColorTransform, colorTransform, scaleTransform, type ColorTransferLimits, type ColorTransferMethod } from './color-transfer';
import { applyChannelCurves, histogramMatchCurves } from './histogram-match';
import { cropWeights, weightsBox } from './pixel-box';

export interface TransferColorOptions {
  /** Default 'mean-std'. */
  method?: ColorTransferMethod | 'histogram';
  /** 0 leaves the image as it is, 1 matches fully (default 1). */
  strength?: number;
  limits?: ColorTransferLimits;
}

/** Lab statistics of the image's pixels under the mask (weighted); null when the mask is empty. */
export function regionLabStats(image: RasterImage, mask: PixelWeights): ColorStats | null {
  const box = weightsBox(mask, image.width, image.height);
  if (!box) return null;
  return colorStats(imageToLab(image, box).data, cropWeights(mask, image.width, box));
}

/**
 * `image` with the colours under `mask` moved toward those of `reference` under `referenceMask`
 * (Lab statistics; the masks weight pixels, so soft masks work). A copy: the input is untouched.
 */
export function transferColor(
  image: RasterImage,
  mask: PixelWeights,
  reference: RasterImage,
  referenceMask: PixelWeights,
  options: TransferColorOptions = {},
): RasterImage {
  const out: RasterImage = { ...image, data: image.data.slice() };
  const strength = options.strength ?? 1;
  const box = weightsBox(mask, image.width, image.height);
  const referenceBox = weightsBox(referenceMask, reference.width, reference.height);
  if (!box || !referenceBox || strength <= 0) return out;
  const lab = imageToLab(image, box);
  const weights = cropWeights(mask, image.width, box);
  const referenceLab = imageToLab(reference, referenceBox).data;
  const referenceWeights = cropWeights(referenceMask, reference.width, referenceBox);
  const method = options.method ?? 'mean-std';
  // The strength scales each pixel's weight for curves; for affine maps it scales the map itself.
  if (method === 'histogram') {
    const curves = histogramMatchCurves(lab.data, weights, referenceLab, referenceWeights);
    if (!curves) return out;
    const scaled = Float32Array.from(weights, (w) => (w * strength) / (weights instanceof Uint8Array ? 255 : 1));
    applyChannelCurves(lab.data, curves, scaled);
  } else {
    const from = colorStats(lab.data, weights);
    const to = colorStats(referenceLab, referenceWeights);
    if (!from || !to) return out;
    applyColorTransform(lab.data, scaleTransform(colorTransform(from, to, method, options.limits), strength), weights);
  }
  const bw = box.x1 - box.x0;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const b = (y - box.y0) * bw + (x - box.x0);
      if (weights[b] === 0) continue;
      labToRgb(lab.data[b * 3]!, lab.data[b * 3 + 1]!, lab.data[b * 3 + 2]!, out.data, (y * image.width + x) * image.channels);
    }
  }
  return out;
}
