/**
 * The inverse of the alignment: a generated size × size crop goes back into the photo through the
 * inverse warp, blended with a weight the caller gives (the regions it may change, already
 * feathered) times a fade at the crop's own edge (the crop border is where replicated edge pixels
 * and the generator's padding live, and it must not show as a square). The blend weight is
 * quantised to a byte first and that byte is also the returned `region`, so "region 0" and
 * "pixel unchanged" are one fact: pixels outside it keep their exact bytes.
 *
 * The crop is read back bilinearly, never sharpened: when the face is larger than the crop, the
 * result is honestly a 256-pixel rendering enlarged.
 */
import type { RasterImage } from '../../image/image';
import { sampleBilinear } from '../image-ops/bilinear';
import type { PixelSource } from '../image-ops/pixel-source';
import { cropQuad, type FaceAlignment } from './face-alignment';

/** The fade at the crop's edge, as a share of its side: 6% (15 px at 256). */
export const EDGE_FADE = 0.06;

export interface PastedCrop {
  image: RasterImage;
  /** 0..255 per photo pixel: the blend weight each got; 0 exactly where the photo is unchanged. */
  region: Uint8Array;
}

/**
 * Blends `crop` (size × size RGB, 0..255, float or bytes) into a copy of `image`. `weight` is one
 * value in [0, 1] per photo pixel (row-major, the photo's size); the crop's footprint and its edge
 * fade limit it further.
 */
export function pasteAligned(image: RasterImage, crop: PixelSource, alignment: FaceAlignment, weight: Float32Array): PastedCrop {
  const { width, height, channels: stride } = image;
  if (crop.width !== alignment.size || crop.height !== alignment.size || crop.channels < 3) {
    throw new RangeError(`the crop is ${crop.width}×${crop.height}×${crop.channels}, expected ${alignment.size}×${alignment.size} RGB`);
  }
  if (weight.length !== width * height) throw new RangeError(`the weight holds ${weight.length} values, expected ${width}×${height}`);
  const out = { ...image, data: image.data.slice() };
  const region = new Uint8Array(width * height);
  const quad = cropQuad(alignment);
  const x0 = Math.max(0, Math.floor(Math.min(...quad.map((p) => p.x))));
  const y0 = Math.max(0, Math.floor(Math.min(...quad.map((p) => p.y))));
  const x1 = Math.min(width, Math.ceil(Math.max(...quad.map((p) => p.x))));
  const y1 = Math.min(height, Math.ceil(Math.max(...quad.map((p) => p.y))));
  const m = alignment.toCrop;
  const size = alignment.size;
  const fade = EDGE_FADE * size;
  const rgb = new Float32Array(3);
  for (let y = y0; y < y1; y++) {
    const cy = y + 0.5;
    for (let x = x0; x < x1; x++) {
      const p = y * width + x;
      const w = weight[p]!;
      if (!(w > 0)) continue;
      const cx = x + 0.5;
      const u = m.a * cx + m.b * cy + m.c;
      const v = m.d * cx + m.e * cy + m.f;
      const edge = Math.min(u, v, size - u, size - v);
      if (edge <= 0) continue;
      const a = w * Math.min(1, edge / fade);
      const byte = a >= 1 ? 255 : Math.round(a * 255);
      if (byte === 0) continue;
      region[p] = byte;
      sampleBilinear(crop, u, v, 'replicate', 3, rgb, 0);
      const t = byte / 255;
      const o = p * stride;
      for (let c = 0; c < 3; c++) {
        const s = out.data[o + c]!;
        const value = s + t * (rgb[c]! - s);
        out.data[o + c] = value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
      }
    }
  }
  return { image: out, region };
}
