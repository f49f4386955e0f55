/**
 * One segment of the output: an ffmpeg encoder fed raw frames over its stdin, writing to a
 * `.part` file that becomes the segment only once ffmpeg has finished and the file is hashed.
 * Writes wait for the pipe to drain, so at most one frame is queued in Node's stream buffer.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import type { Logger } from '../context';
import { buildEncodeFromRawArgs, type EvenDimensionMode, type SeamMetadata } from '../media/ffmpeg-args';
import type { LocatedMediaTool } from '../media/locate-ffmpeg';
import { segmentMuxer } from '../media/video-codec-args';
import type { ResolvedVideoQuality } from '../../shared/video-codecs';
import type { ColourTags } from '../media/probe-summary';
import { startFfmpeg, type FfmpegProcess } from '../media/run-ffmpeg';
import { withFrameTimes } from './ffmpeg-video-args';

export interface SegmentEncoderOptions {
  ffmpeg: LocatedMediaTool;
  /** Where the finished segment goes; ffmpeg writes `${path}.part` first. */
  path: string;
  width: number;
  height: number;
  /** The source's colour tags: the frames are its decoded YUV (render-plan.ts). */
  colourTags: ColourTags;
  frameRate: string;
  /** Resolved by renderVideo: the codec is always named. */
  quality: ResolvedVideoQuality;
  evenDimensions: EvenDimensionMode;
  metadata: SeamMetadata;
  logger: Logger;
  signal: AbortSignal;
  /** Variable-rate clips: each frame's time from the segment's first frame (else a constant rate). */
  frameTimes?: { times: readonly number[]; fallbackStep: number; frameRateFlag: 'fps_mode' | 'vsync' };
}

export interface FinishedSegment {
  path: string;
  frames: number;
  bytes: number;
  sha256: string;
}

export class SegmentEncoder {
  readonly #process: FfmpegProcess;
  readonly #stdin: Writable | null;
  readonly #partPath: string;
  #frames = 0;

  /** Starts ffmpeg for the segment (writing its filter script first when frames carry their own times). */
  static async start(options: SegmentEncoderOptions): Promise<SegmentEncoder> {
    const partPath = `${options.path}.part`;
    let args = buildEncodeFromRawArgs({
      output: partPath,
      // The part's muxer follows the codec (ProRes needs QuickTime); the join copies from either.
      container: segmentMuxer(options.quality.codec),
      width: options.width,
      height: options.height,
      frameRate: options.frameRate,
      pixelFormat: 'yuv420p',
      colour: options.colourTags,
      quality: options.quality,
      evenDimensions: options.evenDimensions,
      metadata: options.metadata,
    });
    const scriptPath = `${options.path}.filter`;
    if (options.frameTimes) {
      const { times, fallbackStep, frameRateFlag } = options.frameTimes;
      const timed = withFrameTimes(args, times, fallbackStep, scriptPath, frameRateFlag);
      await writeFile(scriptPath, timed.script);
      args = timed.args;
    }
    return new SegmentEncoder(options, args, partPath, options.frameTimes ? scriptPath : undefined);
  }

  private constructor(
    private readonly options: SegmentEncoderOptions,
    args: string[],
    partPath: string,
    private readonly scriptPath: string | undefined,
  ) {
    this.#partPath = partPath;
    this.#process = startFfmpeg(options.ffmpeg.path, args, {
      task: `encoding ${options.path}`,
      context: { logger: options.logger, signal: options.signal },
      stdin: true,
      outputPaths: [partPath, ...(scriptPath ? [scriptPath] : [])],
    });
    // Awaited in finish(); a failure before that surfaces through write() or finish().
    this.#process.done.catch(() => undefined);
    // Null when the render was already cancelled: `done` then rejects with why.
    this.#stdin = this.#process.stdin;
  }

  get frames(): number {
    return this.#frames;
  }

  /**
   * Writes one frame; resolves once the pipe can take more. Rejects with ffmpeg's error if it
   * died. `written` is called once the frame's bytes are in the pipe (or the pipe broke), when
   * its buffer may be reused: a small frame can still be queued in Node when this resolves.
   */
  async write(frame: Uint8Array, written?: () => void): Promise<void> {
    this.#frames++;
    if (!this.#stdin) return this.#process.done.then(() => undefined);
    if (this.#stdin.write(frame, written)) return;
    // Either the pipe drains, or ffmpeg is gone and `done` rejects with why (a write error is only EPIPE).
    const stdin = this.#stdin;
    const drained = new Promise<void>((resolve) => stdin.once('drain', resolve));
    await Promise.race([drained, this.#process.done.then(() => undefined)]);
  }

  /** Ends the input, waits for ffmpeg, hashes the file and moves it into place. */
  async finish(): Promise<FinishedSegment> {
    this.#stdin?.end();
    await this.#process.done;
    if (this.scriptPath) await rm(this.scriptPath, { force: true });
    const sha256 = await sha256File(this.#partPath);
    const { size } = await stat(this.#partPath);
    await rename(this.#partPath, this.options.path);
    return { path: this.options.path, frames: this.#frames, bytes: size, sha256 };
  }

  /** Stops ffmpeg (through the signal the caller aborts) and waits, so nothing outlives the render. */
  async settled(): Promise<void> {
    this.#stdin?.destroy();
    await this.#process.done.catch(() => undefined);
  }
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
