/**
 * Bilinear sampling at a continuous coordinate (pixel centres at i + 0.5). The inner loop of
 * every warp, kept free of allocation: it writes `count` channels into `out` at `offset`.
 */
import type { BorderMode, PixelSource } from './pixel-source';

export function sampleBilinear(
  source: PixelSource,
  x: number,
  y: number,
  border: BorderMode,
  count: number,
  out: Float32Array,
  offset: number,
): void {
  const { width, height, channels, data } = source;
  const px = x - 0.5;
  const py = y - 0.5;
  let x0 = Math.floor(px);
  let y0 = Math.floor(py);
  const fx = px - x0;
  const fy = py - y0;
  let x1 = x0 + 1;
  let y1 = y0 + 1;
  let w00 = (1 - fx) * (1 - fy);
  let w10 = fx * (1 - fy);
  let w01 = (1 - fx) * fy;
  let w11 = fx * fy;
  if (border === 'replicate') {
    x0 = x0 < 0 ? 0 : x0 >= width ? width - 1 : x0;
    x1 = x1 < 0 ? 0 : x1 >= width ? width - 1 : x1;
    y0 = y0 < 0 ? 0 : y0 >= height ? height - 1 : y0;
    y1 = y1 < 0 ? 0 : y1 >= height ? height - 1 : y1;
  } else {
    // Outside taps weigh nothing (they read zero); clamp the index so the read stays in bounds.
    if (x0 < 0 || x0 >= width) { w00 = 0; w01 = 0; x0 = 0; }
    if (x1 < 0 || x1 >= width) { w10 = 0; w11 = 0; x1 = 0; }
    if (y0 < 0 || y0 >= height) { w00 = 0; w10 = 0; y0 = 0; }
    if (y1 < 0 || y1 >= height) { w01 = 0; w11 = 0; y1 = 0; }
  }
  const i00 = (y0 * width + x0) * channels;
  const i10 = (y0 * width + x1) * channels;
  const i01 = (y1 * width + x0) * channels;
  const i11 = (y1 * width + x1) * channels;
  for (let c = 0; c < count; c++) {
    out[offset + c] = data[i00 + c]! * w00 + data[i10 + c]! * w10 + data[i01 + c]! * w01 + data[i11 + c]! * w11;
  }
}
