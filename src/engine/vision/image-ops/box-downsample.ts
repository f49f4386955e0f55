/**
 * Area averaging by an integer factor over a region of an image: the prefilter that keeps a
 * bilinear warp from aliasing when it shrinks a large photo (a 1080p frame into a 128-pixel
 * detector input skips 14 of every 15 pixels otherwise, and fine texture turns into noise).
 */
import type { PixelSource } from './pixel-source';

export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Averages factor×factor blocks of `region` (inside the image) into a float image of
 * ceil(width/factor) × ceil(height/factor). Blocks cut by the region's edge average what they hold.
 */
export function boxDownsample(source: PixelSource, region: Region, factor: number): PixelSource & { data: Float32Array } {
  if (source.channels === 3 && source.data instanceof Uint8Array) return rgbBytesDownsample(source.data, source.width, region, factor);
  const { channels, data } = source;
  const outWidth = Math.ceil(region.width / factor);
  const outHeight = Math.ceil(region.height / factor);
  const out = new Float32Array(outWidth * outHeight * channels);
  // One output row at a time: sum the block's source rows column-block by column-block, then divide.
  const rowSums = new Float64Array(outWidth * channels);
  for (let oy = 0; oy < outHeight; oy++) {
    rowSums.fill(0);
    const y0 = oy * factor;
    const y1 = Math.min(region.height, y0 + factor);
    for (let y = y0; y < y1; y++) {
      const rowStart = ((region.top + y) * source.width + region.left) * channels;
      if (channels === 3) sumRow3(data, rowStart, region.width, factor, outWidth, rowSums);
      else sumRow(data, rowStart, region.width, factor, outWidth, channels, rowSums);
    }
    const rows = y1 - y0;
    const outRow = oy * outWidth * channels;
    for (let ox = 0; ox < outWidth; ox++) {
      const cols = Math.min(region.width, (ox + 1) * factor) - ox * factor;
      const inv = 1 / (rows * cols);
      for (let c = 0; c < channels; c++) out[outRow + ox * channels + c] = rowSums[ox * channels + c]! * inv;
    }
  }
  return { width: outWidth, height: outHeight, channels, data: out };
}

/**
 * 8-bit RGB (every video frame and photo the detector and the landmarker see), block by block:
 * a block's sum is an integer whatever the order it is added in, and it is divided as the
 * general loop divides it (sum × 1/count), so the averages are the same floats. Factors 2 and 3
 * (detector tiles, face crops) have their blocks written out; a loop per block is most of the cost.
 */
function rgbBytesDownsample(data: Uint8Array, sourceWidth: number, region: Region, factor: number): PixelSource & { data: Float32Array } {
  const outWidth = Math.ceil(region.width / factor);
  const outHeight = Math.ceil(region.height / factor);
  const out = new Float32Array(outWidth * outHeight * 3);
  const stride = sourceWidth * 3;
  const fullColumns = Math.floor(region.width / factor);
  for (let oy = 0; oy < outHeight; oy++) {
    const y0 = oy * factor;
    const rows = Math.min(region.height, y0 + factor) - y0;
    const rowStart = ((region.top + y0) * sourceWidth + region.left) * 3;
    const outRow = oy * outWidth * 3;
    let ox = 0;
    if (rows === factor && factor === 2) ox = averagePairs(data, rowStart, stride, fullColumns, out, outRow);
    else if (rows === factor && factor === 3) ox = averageTriples(data, rowStart, stride, fullColumns, out, outRow);
    for (; ox < outWidth; ox++) {
      const cols = Math.min(region.width, (ox + 1) * factor) - ox * factor;
      averageBlock(data, rowStart + ox * factor * 3, stride, rows, cols, out, outRow + ox * 3);
    }
  }
  return { width: outWidth, height: outHeight, channels: 3, data: out };
}

/** `count` 2×2 blocks side by side from `start`; returns how many it wrote. */
function averagePairs(data: Uint8Array, start: number, stride: number, count: number, out: Float32Array, o: number): number {
  const inv = 1 / 4;
  for (let i = 0, s = start, t = start + stride; i < count; i++, s += 6, t += 6, o += 3) {
    out[o] = (data[s]! + data[s + 3]! + data[t]! + data[t + 3]!) * inv;
    out[o + 1] = (data[s + 1]! + data[s + 4]! + data[t + 1]! + data[t + 4]!) * inv;
    out[o + 2] = (data[s + 2]! + data[s + 5]! + data[t + 2]! + data[t + 5]!) * inv;
  }
  return count;
}

/** `count` 3×3 blocks side by side from `start`; returns how many it wrote. */
function averageTriples(data: Uint8Array, start: number, stride: number, count: number, out: Float32Array, o: number): number {
  const inv = 1 / 9;
  for (let i = 0, s = start, t = start + stride, u = start + 2 * stride; i < count; i++, s += 9, t += 9, u += 9, o += 3) {
    out[o] = (data[s]! + data[s + 3]! + data[s + 6]! + data[t]! + data[t + 3]! + data[t + 6]! + data[u]! + data[u + 3]! + data[u + 6]!) * inv;
    out[o + 1] = (data[s + 1]! + data[s + 4]! + data[s + 7]! + data[t + 1]! + data[t + 4]! + data[t + 7]! + data[u + 1]! + data[u + 4]! + data[u + 7]!) * inv;
    out[o + 2] = (data[s + 2]! + data[s + 5]! + data[s + 8]! + data[t + 2]! + data[t + 5]! + data[t + 8]! + data[u + 2]! + data[u + 5]! + data[u + 8]!) * inv;
  }
  return count;
}

/** One rows × cols block from `start`. */
function averageBlock(data: Uint8Array, start: number, stride: number, rows: number, cols: number, out: Float32Array, o: number): void {
  let r = 0;
  let g = 0;
  let b = 0;
  for (let y = 0, row = start; y < rows; y++, row += stride) {
    for (let x = 0, s = row; x < cols; x++, s += 3) {
      r += data[s]!;
      g += data[s + 1]!;
      b += data[s + 2]!;
    }
  }
  const inv = 1 / (rows * cols);
  out[o] = r * inv;
  out[o + 1] = g * inv;
  out[o + 2] = b * inv;
}

/** The RGB case of float images, unrolled (8-bit RGB goes through rgbBytesDownsample). */
function sumRow3(data: Uint8Array | Float32Array, start: number, width: number, factor: number, outWidth: number, sums: Float64Array): void {
  let s = start;
  for (let ox = 0; ox < outWidth; ox++) {
    const end = Math.min(width, (ox + 1) * factor) - ox * factor;
    let r = 0;
    let g = 0;
    let b = 0;
    for (let x = 0; x < end; x++, s += 3) {
      r += data[s]!;
      g += data[s + 1]!;
      b += data[s + 2]!;
    }
    const o = ox * 3;
    sums[o] = sums[o]! + r;
    sums[o + 1] = sums[o + 1]! + g;
    sums[o + 2] = sums[o + 2]! + b;
  }
}

function sumRow(data: Uint8Array | Float32Array, start: number, width: number, factor: number, outWidth: number, channels: number, sums: Float64Array): void {
  let s = start;
  for (let ox = 0; ox < outWidth; ox++) {
    const end = Math.min(width, (ox + 1) * factor) - ox * factor;
    for (let x = 0; x < end; x++, s += channels) {
      for (let c = 0; c < channels; c++) sums[ox * channels + c] = sums[ox * channels + c]! + data[s + c]!;
    }
  }
}
