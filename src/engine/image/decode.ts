/**
 * Reading images with sharp: every format libvips reads (JPEG, PNG, WebP, TIFF, AVIF, HEIF...),
 * EXIF orientation applied, declared size checked against a pixel budget before any pixel is
 * decoded, and every failure a BAD_INPUT error that names the file and the problem.
 */
import { stat } from 'node:fs/promises';
import sharp, { type Metadata } from 'sharp';
import { SeamError } from '../../shared/errors';
import type { RasterImage } from './image';

/** 100 megapixels: beyond any camera a user edits on, far below what would exhaust memory. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

export interface DecodeOptions {
  /** Refuse images whose declared width × height exceeds this (decompression bombs). */
  maxPixels?: number;
  /** Keep an alpha channel when the file has one (RGBA); otherwise flatten to RGB. */
  keepAlpha?: boolean;
  signal?: AbortSignal;
}

export interface ImageInfo {
  width: number;
  height: number;
  format: string;
  /** EXIF orientation 1–8 as stored; the decoded pixels are already upright. */
  orientation: number;
  hasAlpha: boolean;
}

/**
 * Where pixels come from: a file path, or bytes the user handed over (the editor sends the file's
 * bytes from the page). `name` is what error messages call it.
 */
export type ImageInput = string | { bytes: Uint8Array; name: string };

function inputOf(input: ImageInput): { source: string | Buffer; path: string } {
  if (typeof input === 'string') return { source: input, path: input };
  return { source: Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength), path: input.name };
}

/** Reads only the header: format, declared size (after orientation), alpha. */
export async function readImageInfo(input: ImageInput, options: DecodeOptions = {}): Promise<ImageInfo> {
  const { source, path } = inputOf(input);
  if (typeof source === 'string') await assertReadableFile(source);
  else if (source.byteLength === 0) throw new SeamError('BAD_INPUT', `${path} is empty (0 bytes).`);
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  let metadata: Metadata;
  try {
    // limitInputPixels false here: the header read allocates nothing; the budget is checked below
    // so the message can say how large the image claims to be.
    metadata = await sharp(source, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new SeamError('BAD_INPUT', `${path} is not an image Seam can read: ${cleanSharpMessage(error)}`);
  }
  const { width, height, format } = metadata;
  if (!width || !height || !format) throw new SeamError('BAD_INPUT', `${path} has no readable image size or format.`);
  if (width * height > maxPixels) {
    throw new SeamError(
      'BAD_INPUT',
      `${path} declares ${width}×${height} pixels (${((width * height) / 1e6).toFixed(0)} MP), more than the ${(maxPixels / 1e6).toFixed(0)} MP Seam opens.`,
    );
  }
  const orientation = metadata.orientation ?? 1;
  const swapped = orientation >= 5;
  return {
    width: swapped ? height : width,
    height: swapped ? width : height,
    format,
    orientation,
    hasAlpha: metadata.hasAlpha ?? false,
  };
}

export async function decodeImage(input: ImageInput, options: DecodeOptions = {}): Promise<RasterImage> {
  const info = await readImageInfo(input, options);
  const { source, path } = inputOf(input);
  options.signal?.throwIfAborted();
  const keepAlpha = options.keepAlpha === true && info.hasAlpha;
  try {
    let pipeline = sharp(source, { limitInputPixels: options.maxPixels ?? DEFAULT_MAX_PIXELS, failOn: 'error' })
      .autoOrient()
      .toColourspace('srgb');
    pipeline = keepAlpha ? pipeline.ensureAlpha() : pipeline.removeAlpha();
    const { data, info: out } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    return {
      width: out.width,
      height: out.height,
      channels: keepAlpha ? 4 : 3,
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    };
  } catch (error) {
    throw new SeamError('BAD_INPUT', `${path} could not be decoded (damaged or truncated?): ${cleanSharpMessage(error)}`);
  }
}

async function assertReadableFile(path: string): Promise<void> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new SeamError('BAD_INPUT', `${path} is not a file.`);
    size = info.size;
  } catch (error) {
    if (error instanceof SeamError) throw error;
    throw new SeamError('NOT_FOUND', `${path} does not exist or cannot be read.`);
  }
  if (size === 0) throw new SeamError('BAD_INPUT', `${path} is empty (0 bytes).`);
}

function cleanSharpMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^Input file /, '').split('\n')[0] ?? message;
}
