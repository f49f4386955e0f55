/**
 * An opened clip, as the app's video methods need it: the probe and what a render of it will be
 * (render-plan.ts: rotation, odd size, 10-bit, variable rate, said in notes), every frame's time
 * (from the container's packet list: no decode), and single frames by exact index. A clip with
 * no video stream, no frames, fewer frames than its container promises, or a first frame that
 * does not decode is refused here, before the user starts editing it.
 */
import sharp from 'sharp';
import { SeamError } from '../../shared/errors';
import type { JobContext } from '../context';
import { frameRateFlagFor } from '../media/ffmpeg-args';
import type { LocatedMediaTool } from '../media/locate-ffmpeg';
import type { MediaSummary } from '../media/probe-summary';
import { probeMedia, startFfmpeg } from '../media/run-ffmpeg';
import { buildDecodeOneFrameArgs, buildPacketTimesArgs, parsePacketTimes } from './ffmpeg-video-args';
import { planRender, type RenderPlan } from './render-plan';
import { i420Bytes, VideoFrame } from './video-frame';

export interface VideoSource {
  path: string;
  summary: MediaSummary;
  plan: RenderPlan;
  frameCount: number;
  /** Each frame's presentation time from the file's start (what ffmpeg's input -ss measures). */
  seekTimes: Float64Array;
  /** Each frame's time from the first frame (what the render's processor is given). */
  frameTimes: Float64Array;
  durationSeconds: number;
  notes: string[];
}

export interface MediaTools {
  ffmpeg: LocatedMediaTool;
  ffprobe: LocatedMediaTool;
}

export async function inspectVideo(tools: MediaTools, path: string, ctx: JobContext): Promise<VideoSource> {
  const summary = await probeMedia(path, { ffprobePath: tools.ffprobe.path, context: ctx });
  const plan = planRender(summary, 'mp4', {}, 'crop');
  const listing = startFfmpeg(tools.ffprobe.path, buildPacketTimesArgs(path), { task: `listing the frames of ${path}`, context: ctx, stdout: true, failureCode: 'BAD_INPUT' });
  const chunks: Buffer[] = [];
  listing.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  const { stderrTail } = await listing.done;
  const seekTimes = Float64Array.from(parsePacketTimes(Buffer.concat(chunks).toString('utf8'), plan.frameRateValue));
  const frameCount = seekTimes.length;
  if (frameCount === 0) throw new SeamError('BAD_INPUT', `${path} has no video frames.`, { file: path });
  const promised = summary.video?.frameCount;
  if (promised !== undefined && frameCount < promised) {
    const reason = stderrTail.at(-1) ?? 'its data ends early';
    throw new SeamError('BAD_INPUT', `${path} is damaged or cut short: it should hold ${promised} frames but only ${frameCount} are there (${reason}).`, { file: path });
  }
  const first = seekTimes[0]!;
  const frameTimes = seekTimes.map((t) => t - first);
  const last = frameTimes[frameCount - 1]!;
  const step = frameCount > 1 ? last / (frameCount - 1) : 1 / plan.frameRateValue;
  const source: VideoSource = { path, summary, plan, frameCount, seekTimes, frameTimes, durationSeconds: last + step, notes: [...plan.notes] };
  // A clip whose index is fine but whose pictures are not (a wrong codec tag, garbage data).
  await readFrame(tools.ffmpeg, source, 0, ctx).catch((error: unknown) => {
    if (error instanceof SeamError && error.code === 'CANCELLED') throw error;
    throw new SeamError('BAD_INPUT', `${path} cannot be decoded: ${error instanceof Error ? error.message : String(error)}`, { file: path });
  });
  return source;
}

/** Where ffmpeg's accurate input seek lands exactly on frame `frame`: half-way from the frame before. */
export function seekPointOf(source: Pick<VideoSource, 'seekTimes' | 'plan'>, frame: number): number {
  const t = source.seekTimes[frame]!;
  const before = frame > 0 ? source.seekTimes[frame - 1]! : t - 1 / source.plan.frameRateValue;
  return Math.max(0, (t + before) / 2);
}

/**
 * Frame `frame`, upright, at the clip's display size, decoded exactly as the render decodes it
 * (same arguments, yuv420p), so a preview of the frame and the render's frame start equal.
 */
export async function readFrame(ffmpeg: LocatedMediaTool, source: VideoSource, frame: number, ctx: JobContext): Promise<VideoFrame> {
  if (!Number.isInteger(frame) || frame < 0 || frame >= source.frameCount) {
    throw new SeamError('BAD_INPUT', `Frame ${frame} is outside ${source.path}, which has frames 0 to ${source.frameCount - 1}.`);
  }
  const { width, height } = source.plan;
  const args = buildDecodeOneFrameArgs({ input: source.path, startSeconds: seekPointOf(source, frame), frameRateFlag: frameRateFlagFor(ffmpeg), evenDimensions: source.plan.evenDimensions });
  const bytes = await collect(ffmpeg, args, `decoding frame ${frame} of ${source.path}`, ctx);
  const expected = i420Bytes(width, height);
  if (bytes.length !== expected) {
    throw new SeamError('BAD_INPUT', `Frame ${frame} of ${source.path} could not be decoded (${bytes.length} of ${expected} bytes).`, { file: source.path, frame });
  }
  return new VideoFrame(width, height, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), source.plan.colour);
}

export interface Thumbnail {
  frame: number;
  seconds: number;
  width: number;
  height: number;
  jpeg: Uint8Array;
}

/** `count` frames spread evenly over the clip (first and last included), `height` pixels tall, as JPEG. */
export async function thumbnails(ffmpeg: LocatedMediaTool, source: VideoSource, count: number, height: number, ctx: JobContext): Promise<Thumbnail[]> {
  const width = Math.max(2, Math.round((height * source.plan.width) / source.plan.height / 2) * 2);
  const frames = evenFrames(source.frameCount, count);
  const out: Thumbnail[] = [];
  for (const frame of frames) {
    ctx.signal?.throwIfAborted();
    const args = buildDecodeOneFrameArgs({ input: source.path, startSeconds: seekPointOf(source, frame), frameRateFlag: frameRateFlagFor(ffmpeg), size: { width, height } });
    const rgb = await collect(ffmpeg, args, `a thumbnail of frame ${frame} of ${source.path}`, ctx);
    if (rgb.length !== width * height * 3) continue;
    const jpeg = await sharp(rgb, { raw: { width, height, channels: 3 } }).jpeg({ quality: 80 }).toBuffer();
    out.push({ frame, seconds: source.frameTimes[frame]!, width, height, jpeg: new Uint8Array(jpeg) });
    ctx.onProgress?.({ stage: 'thumbnails', done: out.length, total: frames.length });
  }
  return out;
}

/** `count` distinct frame indices from 0 to frameCount − 1, evenly spaced. */
export function evenFrames(frameCount: number, count: number): number[] {
  const n = Math.min(count, frameCount);
  if (n === 1) return [0];
  const frames = new Set<number>();
  for (let i = 0; i < n; i++) frames.add(Math.round((i * (frameCount - 1)) / (n - 1)));
  return [...frames];
}

async function collect(ffmpeg: LocatedMediaTool, args: string[], task: string, ctx: JobContext): Promise<Buffer> {
  const run = startFfmpeg(ffmpeg.path, args, { task, context: ctx, stdout: true, failureCode: 'BAD_INPUT' });
  const chunks: Buffer[] = [];
  run.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  await run.done;
  return Buffer.concat(chunks);
}
