/**
 * A video's frames as 8-bit RGB images, one at a time: ffmpeg decodes to raw rgb24 on a pipe and
 * exactly width × height × 3 bytes are cut from the stream per frame. Reading is pulled by the
 * consumer (the pipe pauses while a frame is being worked on), and stopping early (break, an
 * error, the signal) ends ffmpeg.
 */
import type { Readable } from 'node:stream';
import { SeamError } from '../../../shared/errors';
import { silentLogger, type JobContext } from '../../context';
import type { RasterImage } from '../../image/image';
import { buildDecodeToRawArgs, frameRateFlagFor, rawFrameBytes } from '../../media/ffmpeg-args';
import { locateFfmpeg, type LocateOptions } from '../../media/locate-ffmpeg';
import { estimatedFrameCount, type MediaSummary } from '../../media/probe-summary';
import { probeMedia, startFfmpeg } from '../../media/run-ffmpeg';

export interface VideoFrame {
  index: number;
  /** Seconds from the first frame, from the frame rate (raw frames carry no timestamps). */
  timeSeconds: number;
  image: RasterImage;
}

export interface VideoSource {
  summary: MediaSummary;
  width: number;
  height: number;
  /** Frames per second (the stream's average rate; 25 when ffprobe does not know it). */
  fps: number;
  /** From the container when it says, else estimated from the duration; absent when unknown. */
  frameCount?: number;
}

const FALLBACK_FPS = 25;

export async function openVideo(file: string, options: LocateOptions & { context?: Partial<JobContext> } = {}): Promise<VideoSource> {
  const summary = await probeMedia(file, options);
  const video = summary.video!;
  const fps = video.averageFrameRate?.value ?? video.realFrameRate?.value ?? FALLBACK_FPS;
  const frameCount = estimatedFrameCount(summary);
  return { summary, width: video.displayWidth, height: video.displayHeight, fps, ...(frameCount !== undefined ? { frameCount } : {}) };
}

/** Cuts a byte stream into fixed-size frames; copies only where a frame straddles two chunks. */
export class FrameAssembler {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly frameBytes: number) {}

  push(chunk: Buffer): Uint8Array[] {
    const frames: Uint8Array[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      const need = this.frameBytes - this.pendingBytes;
      const take = Math.min(need, chunk.length - offset);
      if (this.pendingBytes === 0 && take === this.frameBytes) {
        frames.push(new Uint8Array(chunk.buffer, chunk.byteOffset + offset, take).slice());
      } else {
        this.pending.push(chunk.subarray(offset, offset + take));
        this.pendingBytes += take;
        if (this.pendingBytes === this.frameBytes) {
          frames.push(new Uint8Array(Buffer.concat(this.pending, this.frameBytes)));
          this.pending = [];
          this.pendingBytes = 0;
        }
      }
      offset += take;
    }
    return frames;
  }

  /** Bytes of an incomplete last frame (a truncated stream). */
  get leftoverBytes(): number {
    return this.pendingBytes;
  }
}

export async function* readVideoFrames(
  source: VideoSource,
  options: LocateOptions & { context?: Partial<JobContext> } = {},
): AsyncGenerator<VideoFrame> {
  const logger = options.context?.logger ?? silentLogger;
  const file = source.summary.file;
  const ffmpeg = await locateFfmpeg(options);
  // Our own controller, so that a consumer who stops early can end ffmpeg without cancelling the job.
  const stop = new AbortController();
  const outer = options.context?.signal;
  const forward = () => stop.abort(outer?.reason);
  if (outer?.aborted) forward();
  outer?.addEventListener('abort', forward, { once: true });

  const args = buildDecodeToRawArgs({ input: file, pixelFormat: 'rgb24', frameRateFlag: frameRateFlagFor(ffmpeg) });
  const decoder = startFfmpeg(ffmpeg.path, args, {
    task: `decoding ${file}`,
    context: { ...options.context, signal: stop.signal },
    stdout: true,
    failureCode: 'BAD_INPUT',
    // No decode progress: the consumer reports progress per frame it has finished with.
  });
  // `done` is awaited at the end; until then a rejection must not count as unhandled.
  decoder.done.catch(() => undefined);
  const assembler = new FrameAssembler(rawFrameBytes('rgb24', source.width, source.height));
  let index = 0;
  let finished = false;
  try {
    for await (const chunk of decoder.stdout as Readable) {
      for (const data of assembler.push(chunk as Buffer)) {
        yield { index, timeSeconds: index / source.fps, image: { width: source.width, height: source.height, channels: 3, data } };
        index++;
      }
    }
    await decoder.done;
    finished = true;
    if (assembler.leftoverBytes > 0) logger.warn('video ended inside a frame; the partial frame was dropped', { file, frames: index, bytes: assembler.leftoverBytes });
  } catch (error) {
    if (outer?.aborted) throw new SeamError('CANCELLED', `Cancelled while decoding ${file}.`);
    throw error;
  } finally {
    outer?.removeEventListener('abort', forward);
    if (!finished) {
      // The consumer stopped early (or failed): end ffmpeg and wait, so no process outlives us.
      stop.abort();
      await decoder.done.catch(() => undefined);
    }
  }
}
