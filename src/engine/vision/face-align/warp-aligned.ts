/**
 * Pixels and labels into the aligned crop. Pixels are sampled bilinearly (antialiased when the
 * face is more than twice the crop's size); labels by nearest, because a label id between two
 * others means nothing (SEAN resizes its label maps with PIL's NEAREST for the same reason).
 * Outside the photo both repeat the nearest edge pixel, as a crop of a face at the frame's edge
 * should show more of that edge rather than a black bar the generator never saw in training.
 */
import type { LabelMap } from '../label-map/label-map';
import { warpToTensor } from '../image-ops/warp';
import type { PixelSource, ValueRange } from '../image-ops/pixel-source';
import type { FaceAlignment } from './face-alignment';

/** The crop's RGB as a size × size × 3 float tensor (NHWC) in `range` (SEAN: [-1, 1]). */
export function warpAlignedPixels(image: PixelSource, alignment: FaceAlignment, range: ValueRange): Float32Array {
  return warpToTensor(image, alignment.toImage, alignment.size, alignment.size, { range, border: 'replicate' });
}

/** The crop's label ids (size × size, row-major), each the label of the photo pixel under the crop pixel's centre. */
export function warpAlignedLabels(map: Pick<LabelMap, 'width' | 'height' | 'data'>, alignment: FaceAlignment): Uint8Array {
  const { size, toImage: m } = alignment;
  const { width, height, data } = map;
  const out = new Uint8Array(size * size);
  for (let v = 0, o = 0; v < size; v++) {
    const cy = v + 0.5;
    for (let u = 0; u < size; u++, o++) {
      const cx = u + 0.5;
      const x = Math.floor(m.a * cx + m.b * cy + m.c);
      const y = Math.floor(m.d * cx + m.e * cy + m.f);
      const px = x < 0 ? 0 : x >= width ? width - 1 : x;
      const py = y < 0 ? 0 : y >= height ? height - 1 : y;
      out[o] = data[py * width + px]!;
    }
  }
  return out;
}
