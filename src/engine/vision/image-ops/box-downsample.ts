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

/** The RGB case, unrolled: it is the one every detector input and face crop goes through. */
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
