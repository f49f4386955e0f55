/**
 * A preview cut to the box around the pixels its edit changed. A face edit touches a few percent
 * of a photo; sending only that box (RGBA and region) is what lets a slider's preview cross the
 * web host's socket and reach the canvas within a frame or two, instead of 10 MB per step at 1080p.
 */
import { weightsBox } from '../edit/pixel/color/pixel-box';
import type { RasterImage } from '../image/image';

export interface PreviewBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface CroppedPreview {
  /** Empty (width and height 0) when the edit changed nothing. */
  box: PreviewBox;
  /** RGBA of the box, row-major. */
  pixels: Uint8Array;
  /** The region (0..255) of the box, row-major. */
  region: Uint8Array;
}

/** `image` and its `region` (one value per photo pixel) cut to the box where the region is above 0. */
export function cropToRegion(image: RasterImage, region: Uint8Array): CroppedPreview {
  const { width, height, channels, data } = image;
  const found = weightsBox(region, width, height);
  if (!found) return { box: { x: 0, y: 0, width: 0, height: 0 }, pixels: new Uint8Array(0), region: new Uint8Array(0) };
  const box = { x: found.x0, y: found.y0, width: found.x1 - found.x0, height: found.y1 - found.y0 };
  const pixels = new Uint8Array(box.width * box.height * 4);
  const cut = new Uint8Array(box.width * box.height);
  for (let row = 0; row < box.height; row++) {
    const sourceRow = (box.y + row) * width + box.x;
    cut.set(region.subarray(sourceRow, sourceRow + box.width), row * box.width);
    if (channels === 4) {
      pixels.set(data.subarray(sourceRow * 4, (sourceRow + box.width) * 4), row * box.width * 4);
      continue;
    }
    for (let x = 0, p = sourceRow * 3, q = row * box.width * 4; x < box.width; x++, p += 3, q += 4) {
      pixels[q] = data[p]!;
      pixels[q + 1] = data[p + 1]!;
      pixels[q + 2] = data[p + 2]!;
      pixels[q + 3] = 255;
    }
  }
  return { box, pixels, region: cut };
}
