/**
 * Putting an edited window back into the photo. The blend weight is quantised to 8 bits first and
 * that same byte is both the weight used and the `region` a processor reports, so "region is 0"
 * and "pixel unchanged" are the same fact (ProcessResult's rule), not two computations that could
 * drift apart.
 */
import type { RasterImage } from '../../../image/image';
import type { Region } from '../../../vision/image-ops/box-downsample';
import type { FloatPlane } from './float-plane';

/** round(255 · clamp(alpha · scale, 0, 1)) per pixel. */
export function quantizeAlpha(alpha: FloatPlane, scale = 1): Uint8Array {
  const out = new Uint8Array(alpha.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = alpha.data[i]! * scale;
    out[i] = v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255);
  }
  return out;
}

/**
 * image ← image + a/255 · (foreground − image) inside `window`, for the first `channels` of each
 * pixel (alpha channels stay); pixels with a = 0 are not touched. `foreground` is window-sized,
 * interleaved with `fgChannels` values per pixel.
 */
export function compositeInto(
  image: RasterImage,
  window: Region,
  foreground: Float32Array,
  fgChannels: number,
  alpha: Uint8Array,
  channels = Math.min(3, fgChannels),
): void {
  const { data, width } = image;
  const stride = image.channels;
  for (let y = 0; y < window.height; y++) {
    let o = ((window.top + y) * width + window.left) * stride;
    for (let x = 0, p = y * window.width; x < window.width; x++, p++, o += stride) {
      const a = alpha[p]!;
      if (a === 0) continue;
      const w = a / 255;
      const f = p * fgChannels;
      for (let c = 0; c < channels; c++) {
        const t = data[o + c]!;
        const v = t + w * (foreground[f + c]! - t);
        data[o + c] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
      }
    }
  }
}

/** Writes each window pixel's weight into a photo-sized region mask, keeping the larger value. */
export function mergeRegion(region: Uint8Array, imageWidth: number, window: Region, alpha: Uint8Array): void {
  for (let y = 0; y < window.height; y++) {
    const row = (window.top + y) * imageWidth + window.left;
    for (let x = 0, p = y * window.width; x < window.width; x++, p++) {
      if (alpha[p]! > region[row + x]!) region[row + x] = alpha[p]!;
    }
  }
}
