/**
 * Affine warps with bilinear sampling: a model input tensor or an 8-bit image sampled from a
 * source through a transform that maps output pixel coordinates to source coordinates. A crop,
 * a rotated face crop, a letterbox and a plain resize are all this one operation.
 */
import { affineScale, composeAffine, applyAffine, scaleTranslate, type Affine } from './affine';
import { sampleBilinear } from './bilinear';
import { boxDownsample } from './box-downsample';
import { assertPixelSource, type BorderMode, type PixelSource, type ValueRange } from './pixel-source';

export interface WarpOptions {
  /** Default 'zero'. */
  border?: BorderMode;
  /**
   * Average the source down first when the warp shrinks it by 2× or more (default true), so the
   * output does not alias. Sampling positions are unchanged: only the source is prefiltered.
   */
  antialias?: boolean;
}

export interface TensorWarpOptions extends WarpOptions {
  /** The range 0..255 maps onto, e.g. [-1, 1] for the face detectors. */
  range: ValueRange;
  /** Write into this buffer (width × height × 3) instead of allocating one. */
  into?: Float32Array;
}

/**
 * The block size a warp through `dstToSrc` averages its source over first: 1 (none) when it
 * shrinks less than 2× or antialiasing is off. From 2 on, the warp reads only the averaged copy
 * (or the source's own boxAverage), never the source's full-size pixels.
 */
export function prefilterFactor(dstToSrc: Affine, options: WarpOptions = {}): number {
  const factor = Math.floor(affineScale(dstToSrc));
  return options.antialias === false || factor < 2 ? 1 : factor;
}

/** The source to sample and the transform into it, prefiltered when the warp shrinks a lot. */
function prefiltered(source: PixelSource, dstToSrc: Affine, width: number, height: number, options: WarpOptions) {
  const factor = prefilterFactor(dstToSrc, options);
  if (factor === 1) return { source, dstToSrc };
  // Only the part of the image the output can reach is averaged (a face crop from a 4K frame
  // touches a small corner of it), with a block of margin for the bilinear taps.
  const corners = [
    applyAffine(dstToSrc, 0, 0),
    applyAffine(dstToSrc, width, 0),
    applyAffine(dstToSrc, 0, height),
    applyAffine(dstToSrc, width, height),
  ];
  const margin = factor;
  const left = Math.max(0, Math.floor(Math.min(...corners.map((p) => p.x)) - margin));
  const top = Math.max(0, Math.floor(Math.min(...corners.map((p) => p.y)) - margin));
  const right = Math.min(source.width, Math.ceil(Math.max(...corners.map((p) => p.x)) + margin));
  const bottom = Math.min(source.height, Math.ceil(Math.max(...corners.map((p) => p.y)) + margin));
  if (right <= left || bottom <= top) return { source, dstToSrc };
  const region = { left, top, width: right - left, height: bottom - top };
  const small = source.boxAverage?.(region, factor) ?? boxDownsample(source, region, factor);
  // Source coordinate s lands at (s - origin) / factor in the averaged image.
  const srcToSmall = scaleTranslate(1 / factor, 1 / factor, -left / factor, -top / factor);
  // The margin keeps every bilinear tap inside the averaged region, except where the region is
  // cut by the image edge: there the border mode applies, as it would on the full image.
  return { source: small, dstToSrc: composeAffine(srcToSmall, dstToSrc) };
}

/** Samples RGB (alpha dropped) into a float NHWC tensor of height × width × 3 scaled to `range`. */
export function warpToTensor(
  source: PixelSource,
  dstToSrc: Affine,
  width: number,
  height: number,
  options: TensorWarpOptions,
): Float32Array {
  assertPixelSource(source);
  if (source.channels < 3) throw new RangeError(`a tensor warp needs RGB input, got ${source.channels} channel(s)`);
  const out = options.into ?? new Float32Array(width * height * 3);
  if (out.length !== width * height * 3) throw new RangeError(`output buffer holds ${out.length} values, expected ${width * height * 3}`);
  const { source: src, dstToSrc: m } = prefiltered(source, dstToSrc, width, height, options);
  const [lo, hi] = options.range;
  sampleRgbInto(src, m, width, height, options.border ?? 'zero', (hi - lo) / 255, lo, out);
  return out;
}

/**
 * warpToTensor's loop: every output pixel sampled and scaled to `value × scale + offset`. Where
 * all four taps are inside the source (all but a rim of the pixels) the border mode changes
 * nothing, so sampleBilinear's arithmetic is written out here for three channels, operation for
 * operation in the same order, and gives the same floats without a call per pixel (the tracker
 * samples every detector input and every face crop, tens of millions of pixels a minute of video).
 * The rim goes through sampleBilinear.
 */
function sampleRgbInto(src: PixelSource, m: Affine, width: number, height: number, border: BorderMode, scale: number, offset: number, out: Float32Array): void {
  const { width: srcWidth, height: srcHeight, channels, data } = src;
  const lastX = srcWidth - 1;
  const lastY = srcHeight - 1;
  const below = srcWidth * channels;
  const { a, c, d, f } = m;
  let o = 0;
  for (let v = 0; v < height; v++) {
    const cy = v + 0.5;
    // Only the products are hoisted: the sums stay (a·cx + b·cy) + c, rounded as before.
    const rowX = m.b * cy;
    const rowY = m.e * cy;
    for (let u = 0; u < width; u++, o += 3) {
      const cx = u + 0.5;
      const x = a * cx + rowX + c;
      const y = d * cx + rowY + f;
      const px = x - 0.5;
      const py = y - 0.5;
      const x0 = Math.floor(px);
      const y0 = Math.floor(py);
      if (x0 >= 0 && x0 < lastX && y0 >= 0 && y0 < lastY) {
        const fx = px - x0;
        const fy = py - y0;
        const w00 = (1 - fx) * (1 - fy);
        const w10 = fx * (1 - fy);
        const w01 = (1 - fx) * fy;
        const w11 = fx * fy;
        const i00 = (y0 * srcWidth + x0) * channels;
        const i10 = i00 + channels;
        const i01 = i00 + below;
        const i11 = i01 + channels;
        // fround: sampleBilinear's value is stored as a float32 before it is scaled.
        out[o] = Math.fround(data[i00]! * w00 + data[i10]! * w10 + data[i01]! * w01 + data[i11]! * w11) * scale + offset;
        out[o + 1] = Math.fround(data[i00 + 1]! * w00 + data[i10 + 1]! * w10 + data[i01 + 1]! * w01 + data[i11 + 1]! * w11) * scale + offset;
        out[o + 2] = Math.fround(data[i00 + 2]! * w00 + data[i10 + 2]! * w10 + data[i01 + 2]! * w01 + data[i11 + 2]! * w11) * scale + offset;
        continue;
      }
      sampleBilinear(src, x, y, border, 3, out, o);
      out[o] = out[o]! * scale + offset;
      out[o + 1] = out[o + 1]! * scale + offset;
      out[o + 2] = out[o + 2]! * scale + offset;
    }
  }
}

/** Samples every channel into a float image of the same channel count (masks, probability maps). */
export function warpToFloat(source: PixelSource, dstToSrc: Affine, width: number, height: number, options: WarpOptions = {}): PixelSource & { data: Float32Array } {
  assertPixelSource(source);
  const { source: src, dstToSrc: m } = prefiltered(source, dstToSrc, width, height, options);
  const border = options.border ?? 'zero';
  const channels = source.channels;
  const out = new Float32Array(width * height * channels);
  for (let v = 0, o = 0; v < height; v++) {
    const cy = v + 0.5;
    for (let u = 0; u < width; u++, o += channels) {
      const cx = u + 0.5;
      sampleBilinear(src, m.a * cx + m.b * cy + m.c, m.d * cx + m.e * cy + m.f, border, channels, out, o);
    }
  }
  return { width, height, channels, data: out };
}

/** Samples into an 8-bit image of the same channel count (previews, debug crops, overlays). */
export function warpToImage(source: PixelSource, dstToSrc: Affine, width: number, height: number, options: WarpOptions = {}): PixelSource & { data: Uint8Array } {
  const float = warpToFloat(source, dstToSrc, width, height, options);
  const data = new Uint8Array(float.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(float.data[i]!);
  return { width, height, channels: source.channels, data };
}
