/**
 * Shared by the vision tests: the fixture photos and hand annotations, one face pipeline per
 * test process, and the synthetic scenes built from the photos with sharp (a side-by-side
 * composite, a small face on a 1280×720 canvas, faceless images, an EXIF-rotated copy).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp, { type Sharp } from 'sharp';
import { silentLogger } from '../../src/engine/context';
import type { RasterImage } from '../../src/engine/image/image';
import { SessionPool } from '../../src/engine/inference/session-pool';
import { resolvePaths } from '../../src/engine/paths';
import { FacePipeline } from '../../src/engine/vision/faces/face-pipeline';
import type { Box } from '../../src/engine/vision/faces/face-types';

export const mediaPath = (name: string) => fileURLToPath(new URL(`../fixtures/media/${name}`, import.meta.url));

/** The fixture clip of a man talking to a webcam (400×300), which the video tests paste as a picture-in-picture. */
export const WEBCAM_CLIP = mediaPath('cap12_cut.mp4');
const WEBCAM_CLIP_SIZE = { width: 400, height: 300 };

/** Where a picture of WEBCAM_CLIP sits on a frame, and how much it is shrunk. */
export interface WebcamPicture {
  x: number;
  y: number;
  scale: number;
}

export function webcamBox(picture: WebcamPicture): Box {
  return { x: picture.x, y: picture.y, width: WEBCAM_CLIP_SIZE.width * picture.scale, height: WEBCAM_CLIP_SIZE.height * picture.scale };
}

export type AnnotatedPoint = 'rightEyeOuter' | 'rightEyeInner' | 'leftEyeInner' | 'leftEyeOuter' | 'noseTip' | 'mouthRight' | 'mouthLeft';

export interface Annotations {
  meshIndex: Record<AnnotatedPoint, number>;
  photos: Record<string, { width: number; height: number; points: Record<AnnotatedPoint, [number, number]> }>;
}

export function loadAnnotations(): Annotations {
  return JSON.parse(readFileSync(new URL('../fixtures/vision/annotations.json', import.meta.url), 'utf8')) as Annotations;
}

/** CPU only and no warm-up noise: the tests measure what the models say, not which provider loads. */
export function testPipeline(): { pipeline: FacePipeline; pool: SessionPool } {
  const pool = new SessionPool({ providers: ['cpu'], logger: silentLogger });
  return { pool, pipeline: FacePipeline.create({ paths: resolvePaths(), pool, logger: silentLogger }) };
}

async function raw(image: Sharp): Promise<RasterImage> {
  const { data, info } = await image.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** `left` and `right` side by side on a grey canvas as tall as the taller one. */
export async function sideBySide(left: string, right: string): Promise<RasterImage> {
  const [a, b] = await Promise.all([sharp(left).metadata(), sharp(right).metadata()]);
  const width = a.width! + b.width!;
  const height = Math.max(a.height!, b.height!);
  return raw(
    sharp({ create: { width, height, channels: 3, background: { r: 128, g: 128, b: 128 } } }).composite([
      { input: left, left: 0, top: 0 },
      { input: right, left: a.width!, top: 0 },
    ]),
  );
}

/**
 * The astronaut's head scaled so her face (the detector's box, ~100 px in the photo) is about
 * `faceWidth` px, pasted at (x, y) on a 1280×720 wall-grey canvas.
 */
export async function smallFaceScene(faceWidth: number, x: number, y: number): Promise<{ image: RasterImage; pasted: { x: number; y: number; width: number; height: number } }> {
  const head = { left: 150, top: 40, width: 150, height: 170 };
  const scale = faceWidth / 100;
  const width = Math.round(head.width * scale);
  const height = Math.round(head.height * scale);
  const patch = await sharp(mediaPath('astronaut.png')).extract(head).resize(width, height, { kernel: 'lanczos3' }).png().toBuffer();
  const image = await raw(
    sharp({ create: { width: 1280, height: 720, channels: 3, background: { r: 120, g: 130, b: 140 } } }).composite([{ input: patch, left: x, top: y }]),
  );
  return { image, pasted: { x, y, width, height } };
}

/** A smooth two-colour gradient: nothing a detector should call a face. */
export function gradient(width: number, height: number): RasterImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = Math.round((255 * x) / (width - 1));
      data[i + 1] = Math.round((200 * y) / (height - 1));
      data[i + 2] = 90;
    }
  }
  return { width, height, channels: 3, data };
}

/** A region of a fixture photo (e.g. the suit and helmet below the astronaut's face). */
export function photoRegion(name: string, region: { left: number; top: number; width: number; height: number }): Promise<RasterImage> {
  return raw(sharp(mediaPath(name)).extract(region));
}

/**
 * Writes `name` to `outPath` as a JPEG whose stored pixels are turned a quarter turn
 * anticlockwise, with EXIF orientation 6 ("turn 90° clockwise to display"): upright once decoded.
 */
export async function exifRotatedCopy(name: string, outPath: string): Promise<void> {
  await sharp(mediaPath(name)).rotate(-90).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toFile(outPath);
}
