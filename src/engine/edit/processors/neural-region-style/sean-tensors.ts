/**
 * Between Seam's pixels and SEAN's tensors (docs/GENERATORS.md): NCHW, batch 1, images in
 * [-1, 1], labels one-hot with exactly one 1 per pixel; the output back to 0..255 as SEAN does,
 * (x + 1) / 2 · 255, left as floats (the paste rounds once, after blending).
 */
import { LABEL_COUNT } from '../../../../shared/labels';
import type { PixelSource } from '../../../vision/image-ops/pixel-source';

/** [19, size, size] with a 1 in each pixel's label channel. */
export function oneHotLabels(labels: Uint8Array, size: number): Float32Array {
  const plane = size * size;
  if (labels.length !== plane) throw new RangeError(`label crop holds ${labels.length} values, expected ${size}×${size}`);
  const out = new Float32Array(LABEL_COUNT * plane);
  for (let p = 0; p < plane; p++) {
    const id = labels[p]!;
    if (id >= LABEL_COUNT) throw new RangeError(`label id ${id} at pixel ${p} is not in 0..${LABEL_COUNT - 1}`);
    out[id * plane + p] = 1;
  }
  return out;
}

/** Interleaved RGB (size × size × 3) → planar [3, size, size]. */
export function toPlanar(rgb: Float32Array, size: number): Float32Array {
  const plane = size * size;
  const out = new Float32Array(3 * plane);
  for (let p = 0; p < plane; p++) {
    out[p] = rgb[p * 3]!;
    out[plane + p] = rgb[p * 3 + 1]!;
    out[2 * plane + p] = rgb[p * 3 + 2]!;
  }
  return out;
}

/** The generator's [3, size, size] in [-1, 1] as an interleaved 0..255 float crop. */
export function generatedCrop(planar: Float32Array, size: number): PixelSource & { data: Float32Array } {
  const plane = size * size;
  if (planar.length !== 3 * plane) throw new RangeError(`generator output holds ${planar.length} values, expected 3×${size}×${size}`);
  const data = new Float32Array(3 * plane);
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) {
      const v = ((planar[c * plane + p]! + 1) / 2) * 255;
      data[p * 3 + c] = v <= 0 ? 0 : v >= 255 ? 255 : v;
    }
  }
  return { width: size, height: size, channels: 3, data };
}
