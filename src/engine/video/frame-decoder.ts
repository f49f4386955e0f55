/**
 * The decode side of the pipeline: ffmpeg decodes the clip (or a range of it) to raw yuv420p on a
 * pipe, frames are cut from the byte stream (FrameCutter) and put into a BoundedQueue. Every frame is passed
 * through (no rate conversion), upright, in presentation order.
 */
import type { Readable } from 'node:stream';
import type { Logger } from '../context';
import { buildDecodeToRawArgs, frameRateFlagFor, rawFrameBytes, type EvenDimensionMode, type TimeRange } from '../media/ffmpeg-args';
import type { LocatedMediaTool } from '../media/locate-ffmpeg';
import { startFfmpeg, type FfmpegResult } from '../media/run-ffmpeg';
import type { BoundedQueue } from './bounded-queue';
import { VideoFrame, type FrameColour } from './video-frame';

export interface DecodedFrame {
  /** Frame number in the output (0 is the first frame of the range). */
  index: number;
  image: VideoFrame;
}

export interface FrameDecoderOptions {
  ffmpeg: LocatedMediaTool;
  input: string;
  range: TimeRange;
  /** Frame size: the probe's upright display size made even (render-plan.ts). */
  width: number;
  height: number;
  /** How the display size was made even (absent: crop). */
  evenDimensions?: EvenDimensionMode;
  /** What the decoded values mean (render-plan.ts). */
  colour: FrameColour;
  queue: BoundedQueue<DecodedFrame>;
  logger: Logger;
  /** The render's own signal: aborting it kills ffmpeg. */
  signal: AbortSignal;
  /** Where frame buffers come from; the consumer gives each back once it is done with the frame. */
  buffers?: FrameBuffers;
}

export interface DecodeOutcome {
  frames: number;
  /** Bytes of an incomplete last frame: the stream ended inside a frame (a damaged file). */
  leftoverBytes: number;
  /** ffmpeg's error lines; with `-v error` any line at all means it met damage it skipped. */
  stderrTail: readonly string[];
}

/**
 * Runs ffmpeg and fills `queue` until the clip ends (then closes it) or fails (then fails it, so
 * the consumer sees the error after the frames already queued). Resolves when ffmpeg has exited.
 */
export async function decodeFrames(options: FrameDecoderOptions): Promise<DecodeOutcome> {
  const { ffmpeg, input, queue, width, height } = options;
  const args = buildDecodeToRawArgs({ input, pixelFormat: 'yuv420p', frameRateFlag: frameRateFlagFor(ffmpeg), evenDimensions: options.evenDimensions ?? 'crop', ...options.range });
  const decoder = startFfmpeg(ffmpeg.path, args, {
    task: `decoding ${input}`,
    context: { logger: options.logger, signal: options.signal },
    stdout: true,
    failureCode: 'BAD_INPUT',
  });
  // Awaited below; until then a rejection (cancel, damage) must not count as unhandled.
  decoder.done.catch(() => undefined);
  const assembler = new FrameCutter(rawFrameBytes('yuv420p', width, height), options.buffers);
  let index = 0;
  try {
    for await (const chunk of decoder.stdout as Readable) {
      for (const data of assembler.push(chunk as Buffer)) {
        // A closed queue means the consumer stopped: stop reading, ffmpeg is being killed.
        if (!(await queue.put({ index, image: new VideoFrame(width, height, data, options.colour) }))) break;
        index++;
      }
    }
    const result: FfmpegResult = await decoder.done;
    queue.close();
    return { frames: index, leftoverBytes: assembler.leftoverBytes, stderrTail: result.stderrTail };
  } catch (error) {
    queue.fail(error);
    await decoder.done.catch(() => undefined);
    throw error;
  }
}

/**
 * Frame buffers handed back by the consumer once a frame is encoded (or tracked), and handed out
 * again for the frames that follow: a render then allocates about as many buffers as frames can
 * be in flight, not one per frame. A megabyte-sized allocation per frame is an mmap, page faults
 * on every page and a munmap, and its garbage makes the collector run every few frames; at 720p
 * that was about a tenth of what Node spent passing a frame through.
 */
export class FrameBuffers {
  readonly #free: Uint8Array[] = [];

  constructor(
    readonly frameBytes: number,
    /** Buffers kept for reuse at most; more given back are left to the collector. */
    readonly keep: number,
  ) {}

  /** A buffer of frameBytes, reused or new. Its bytes are whatever was there: the cutter fills them all. */
  take(): Uint8Array {
    return this.#free.pop() ?? Buffer.allocUnsafeSlow(this.frameBytes);
  }

  /** `buffer` is no longer read or written by anyone: it may back a later frame. */
  give(buffer: Uint8Array): void {
    if (buffer.length === this.frameBytes && this.#free.length < this.keep && !this.#free.includes(buffer)) this.#free.push(buffer);
  }
}

/**
 * Cuts the byte stream into frames, copying each byte once, straight into the frame it belongs to
 * (a concatenation of chunks and then a typed-array copy would be two copies per frame; at 1080p
 * that is 6 MB a frame moved for nothing).
 */
export class FrameCutter {
  #frame: Uint8Array | undefined;
  #filled = 0;

  constructor(
    private readonly frameBytes: number,
    private readonly buffers?: FrameBuffers,
  ) {
    if (buffers && buffers.frameBytes !== frameBytes) throw new RangeError(`frame buffers of ${buffers.frameBytes} bytes given for frames of ${frameBytes}`);
  }

  push(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      // Not zero-filled: every byte is written before the frame is handed out.
      const frame = (this.#frame ??= this.buffers?.take() ?? Buffer.allocUnsafeSlow(this.frameBytes));
      const take = Math.min(this.frameBytes - this.#filled, chunk.length - offset);
      frame.set(chunk.subarray(offset, offset + take), this.#filled);
      this.#filled += take;
      offset += take;
      if (this.#filled === this.frameBytes) {
        frames.push(frame);
        this.#frame = undefined;
        this.#filled = 0;
      }
    }
    return frames;
  }

  /** Bytes of an incomplete last frame (a truncated stream). */
  get leftoverBytes(): number {
    return this.#filled;
  }
}
