/**
 * Test clips made at test time with ffmpeg (lavfi sources and the fixture clip), and the ways the
 * tests look at outputs: decoded RGB frames, per-frame md5 of the decoded picture, the audio
 * packets' md5, stream facts from ffprobe.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { RasterImage } from '../../src/engine/image/image';
import { editAsRgb, type FrameProcessor } from '../../src/engine/video/frame-processor';
import { buildDecodeToRawArgs, frameRateFlagFor, type VideoQuality } from '../../src/engine/media/ffmpeg-args';
import type { LocatedMediaTool } from '../../src/engine/media/locate-ffmpeg';
import { runFfmpeg, startFfmpeg } from '../../src/engine/media/run-ffmpeg';

export const FIXTURE_CLIP = new URL('../fixtures/media/cap12_cut.mp4', import.meta.url).pathname;
/** Fast enough for tests; every comparison encodes both sides with the same settings. */
export const TEST_QUALITY: VideoQuality = { crf: 18, preset: 'veryfast' };

/** A filled box that moves one pixel right per frame: what a processor that edits a region does. */
export function movingBox(index: number) {
  return { x: 60 + index, y: 80, width: 90, height: 70 };
}

export function inMovingBox(x: number, y: number, index: number, margin = 0): boolean {
  const b = movingBox(index);
  return x >= b.x - margin && x < b.x + b.width + margin && y >= b.y - margin && y < b.y + b.height + margin;
}

/** Paints the moving box into an RGB frame. */
export async function drawMovingBoxRgb(frame: RasterImage, index: number): Promise<RasterImage> {
  const b = movingBox(index);
  for (let y = b.y; y < b.y + b.height; y++) for (let x = b.x; x < b.x + b.width; x++) frame.data.set([250, 30, 200], (y * frame.width + x) * 3);
  return frame;
}

/** The moving box as the pipeline's processor: the frame converted to RGB, painted, written back. */
export const drawMovingBox: FrameProcessor = editAsRgb(drawMovingBoxRgb);
const QUIET = ['-hide_banner', '-nostdin', '-v', 'error', '-y'];

/** Test clips are fixtures, not product code, so their ffmpeg arguments are written out here. */
export function makeClip(ffmpeg: LocatedMediaTool, args: string[], output: string): Promise<unknown> {
  return runFfmpeg(ffmpeg.path, [...QUIET, ...args, output], { task: `making ${output}` });
}

/** ffmpeg's output on stdout, as text. */
async function ffmpegText(ffmpeg: LocatedMediaTool, args: string[], task: string): Promise<string> {
  const run = startFfmpeg(ffmpeg.path, [...QUIET, ...args, '-'], { task, stdout: true });
  const chunks: Buffer[] = [];
  run.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  await run.done;
  return Buffer.concat(chunks).toString('utf8');
}

/** Decodes every frame to rgb24, concatenated (small clips only). */
export function decodeRgb(ffmpeg: LocatedMediaTool, input: string): Promise<Buffer> {
  return decodeRaw(ffmpeg, input, 'rgb24');
}

/** Decodes a whole file to yuv420p (I420 frames back to back) in memory: the pipeline's own frames. */
export function decodeYuv(ffmpeg: LocatedMediaTool, input: string): Promise<Buffer> {
  return decodeRaw(ffmpeg, input, 'yuv420p');
}

async function decodeRaw(ffmpeg: LocatedMediaTool, input: string, pixelFormat: 'rgb24' | 'yuv420p'): Promise<Buffer> {
  const decoder = startFfmpeg(ffmpeg.path, buildDecodeToRawArgs({ input, pixelFormat, frameRateFlag: frameRateFlagFor(ffmpeg) }), { task: `decoding ${input}`, stdout: true });
  const chunks: Buffer[] = [];
  decoder.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  await decoder.done;
  return Buffer.concat(chunks);
}

/** One line per decoded video frame: timestamp, size and md5 of its pixels (headers dropped). */
export async function videoFrameMd5(ffmpeg: LocatedMediaTool, input: string): Promise<string[]> {
  const text = await ffmpegText(ffmpeg, ['-i', input, '-map', '0:v:0', '-f', 'framemd5'], `framemd5 of ${input}`);
  return text.split('\n').filter((line) => line.length > 0 && !line.startsWith('#'));
}

/** md5 of the audio packets exactly as stored (stream copy): equal means the sound was not touched. */
export async function audioPacketsMd5(ffmpeg: LocatedMediaTool, input: string): Promise<string> {
  return (await ffmpegText(ffmpeg, ['-i', input, '-map', '0:a', '-c', 'copy', '-f', 'md5'], `audio md5 of ${input}`)).trim();
}

export interface StreamFacts {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  nb_read_frames?: string;
  duration?: string;
  r_frame_rate?: string;
  pix_fmt?: string;
  side_data_list?: Array<Record<string, unknown>>;
}

/** ffprobe with -count_frames: the frames a player would really decode, per stream. */
export async function probeStreams(ffprobe: LocatedMediaTool, input: string): Promise<{ streams: StreamFacts[]; format: { duration?: string } }> {
  const run = startFfmpeg(ffprobe.path, ['-v', 'error', '-count_frames', '-print_format', 'json', '-show_streams', '-show_format', input], { task: `probing ${input}`, stdout: true });
  const chunks: Buffer[] = [];
  run.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  await run.done;
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { streams: StreamFacts[]; format: { duration?: string } };
}

export async function sha256OfFile(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

/** Mean absolute difference over the pixels where `include(x, y, frame)` holds. */
export function meanAbsDiff(a: Uint8Array, b: Uint8Array, width: number, height: number, include: (x: number, y: number, frame: number) => boolean = () => true): number {
  if (a.length !== b.length) throw new Error(`decoded sizes differ: ${a.length} vs ${b.length} bytes`);
  const frameBytes = width * height * 3;
  let sum = 0;
  let count = 0;
  for (let f = 0; f * frameBytes < a.length; f++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (!include(x, y, f)) continue;
        const i = f * frameBytes + (y * width + x) * 3;
        sum += Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!);
        count += 3;
      }
    }
  }
  return count === 0 ? 0 : sum / count;
}
