/**
 * Warps an image in place by a displacement field: inverse mapping (each output pixel reads the
 * input at q + d(q)) with bilinear sampling. Only the lattice's rectangle is visited, and a pixel
 * whose interpolated displacement is exactly zero is left as it was, so everything outside the
 * handles' reach keeps its exact bytes. The part of the input the warp reads is copied first, so
 * reading and writing the same image is safe. One pass, no allocation per pixel.
 */
import type { RasterImage } from '../../../image/image';
import { maxDisplacement, type DisplacementField } from './displacement-field';

/**
 * Warps `image` in place; marks 255 in `region` (one byte per image pixel) where a pixel was
 * resampled. Returns how many pixels were.
 */
export function applyDisplacementField(image: RasterImage, field: DisplacementField, region?: Uint8Array): number {
  const { width, height, channels, data } = image;
  const { left, top, step, cols, rows, dx, dy } = field;
  const right = Math.min(width - 1, left + (cols - 1) * step);
  const bottom = Math.min(height - 1, top + (rows - 1) * step);
  if (right < left || bottom < top) return 0;

  // The input the warp can read: the lattice's rectangle grown by the largest displacement.
  const margin = Math.ceil(maxDisplacement(field)) + 2;
  const sx0 = Math.max(0, left - margin);
  const sy0 = Math.max(0, top - margin);
  const sw = Math.min(width - 1, right + margin) - sx0 + 1;
  const sh = Math.min(height - 1, bottom + margin) - sy0 + 1;
  const source = new Uint8Array(sw * sh * channels);
  for (let y = 0; y < sh; y++) {
    const from = ((y + sy0) * width + sx0) * channels;
    source.set(data.subarray(from, from + sw * channels), y * sw * channels);
  }

  const span = right - left + 1;
  const cell = new Int32Array(span);
  const frac = new Float32Array(span);
  for (let x = 0; x < span; x++) {
    const u = x / step;
    const i = Math.min(cols - 2, Math.floor(u));
    cell[x] = i;
    frac[x] = u - i;
  }
  const rowNonZero = new Uint8Array(rows);
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      if (dx[j * cols + i] !== 0 || dy[j * cols + i] !== 0) {
        rowNonZero[j] = 1;
        break;
      }
    }
  }
  const rowDx = new Float32Array(cols);
  const rowDy = new Float32Array(cols);
  const maxX = sw - 1;
  const maxY = sh - 1;
  let changed = 0;
  for (let y = top; y <= bottom; y++) {
    const v = (y - top) / step;
    const j = Math.min(rows - 2, Math.floor(v));
    if (rowNonZero[j] === 0 && rowNonZero[j + 1] === 0) continue;
    const fv = v - j;
    for (let i = 0, a = j * cols, b = a + cols; i < cols; i++, a++, b++) {
      rowDx[i] = dx[a]! + (dx[b]! - dx[a]!) * fv;
      rowDy[i] = dy[a]! + (dy[b]! - dy[a]!) * fv;
    }
    for (let x = 0; x < span; x++) {
      const i = cell[x]!;
      const fu = frac[x]!;
      const ddx = rowDx[i]! + (rowDx[i + 1]! - rowDx[i]!) * fu;
      const ddy = rowDy[i]! + (rowDy[i + 1]! - rowDy[i]!) * fu;
      if (ddx === 0 && ddy === 0) continue;
      // Pixel centres are at index + 0.5, so the sample's index-space position is index + d.
      const px = left + x + ddx - sx0;
      const py = y + ddy - sy0;
      let x0 = Math.floor(px);
      let y0 = Math.floor(py);
      const fx = px - x0;
      const fy = py - y0;
      let x1 = x0 + 1;
      let y1 = y0 + 1;
      x0 = x0 < 0 ? 0 : x0 > maxX ? maxX : x0;
      x1 = x1 < 0 ? 0 : x1 > maxX ? maxX : x1;
      y0 = y0 < 0 ? 0 : y0 > maxY ? maxY : y0;
      y1 = y1 < 0 ? 0 : y1 > maxY ? maxY : y1;
      const w00 = (1 - fx) * (1 - fy);
      const w10 = fx * (1 - fy);
      const w01 = (1 - fx) * fy;
      const w11 = fx * fy;
      const s00 = (y0 * sw + x0) * channels;
      const s10 = (y0 * sw + x1) * channels;
      const s01 = (y1 * sw + x0) * channels;
      const s11 = (y1 * sw + x1) * channels;
      const p = y * width + left + x;
      const o = p * channels;
      for (let c = 0; c < channels; c++) {
        data[o + c] = (source[s00 + c]! * w00 + source[s10 + c]! * w10 + source[s01 + c]! * w01 + source[s11 + c]! * w11 + 0.5) | 0;
      }
      if (region) region[p] = 255;
      changed++;
    }
  }
  return changed;
}
