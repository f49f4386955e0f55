/**
 * Turns fixture photos into model input tensors (float32 NHWC, batch 1), the way MODELS.md says
 * each built-in model is fed: letterboxed for the detectors, stretched for segmentation, a square
 * face crop for landmarks. Test tooling only: the app has its own preprocessing.
 */
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { Sharp } from 'sharp';

export type Range = readonly [number, number];

export interface InputTensor {
  data: Float32Array;
  /** NHWC: [1, height, width, 3]. */
  shape: [1, number, number, 3];
}

/** A square in source pixels. */
export interface SquareBox {
  left: number;
  top: number;
  size: number;
}

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/media/${name}`, import.meta.url));
}

interface Rgb {
  data: Uint8Array;
  width: number;
  height: number;
}

async function rawRgb(image: Sharp): Promise<Rgb> {
  const { data, info } = await image.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** Maps 0..255 to [lo, hi] and writes the pixels into an NHWC tensor at (x0, y0). */
function blit(rgb: Rgb, out: Float32Array, outWidth: number, x0: number, y0: number, [lo, hi]: Range): void {
  const scale = (hi - lo) / 255;
  for (let y = 0; y < rgb.height; y++) {
    for (let x = 0; x < rgb.width; x++) {
      const src = (y * rgb.width + x) * 3;
      const dst = ((y + y0) * outWidth + (x + x0)) * 3;
      for (let c = 0; c < 3; c++) out[dst + c] = rgb.data[src + c]! * scale + lo;
    }
  }
}

/** Keep aspect, centre, fill the border with 0 in the tensor (MODELS.md: "zero border"). */
export async function letterbox(path: string, size: number, range: Range): Promise<InputTensor> {
  const rgb = await rawRgb(sharp(path).resize(size, size, { fit: 'inside', kernel: 'linear' }));
  const data = new Float32Array(size * size * 3);
  blit(rgb, data, size, Math.floor((size - rgb.width) / 2), Math.floor((size - rgb.height) / 2), range);
  return { data, shape: [1, size, size, 3] };
}

/** Resize to exactly width × height, ignoring aspect (the selfie models are fed this way). */
export async function stretch(path: string, width: number, height: number, range: Range): Promise<InputTensor> {
  const rgb = await rawRgb(sharp(path).resize(width, height, { fit: 'fill', kernel: 'linear' }));
  const data = new Float32Array(width * height * 3);
  blit(rgb, data, width, 0, 0, range);
  return { data, shape: [1, height, width, 3] };
}

/**
 * A square crop resized to size × size. Upright: the landmark model's crop is normally rotated
 * to level the eyes, but the faces in the fixtures are already upright, and for checking a
 * conversion any realistic face crop will do.
 */
export async function squareCrop(path: string, box: SquareBox, size: number, range: Range): Promise<InputTensor> {
  const region = { left: box.left, top: box.top, width: box.size, height: box.size };
  const rgb = await rawRgb(sharp(path).extract(region).resize(size, size, { kernel: 'linear' }));
  const data = new Float32Array(size * size * 3);
  blit(rgb, data, size, 0, 0, range);
  return { data, shape: [1, size, size, 3] };
}

/** Deterministic uniform noise in [lo, hi) (mulberry32), so a failing random case can be replayed. */
export function randomTensor(shape: [1, number, number, 3], [lo, hi]: Range, seed: number): InputTensor {
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    data[i] = lo + u * (hi - lo);
  }
  return { data, shape };
}
