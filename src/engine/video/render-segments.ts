/**
 * The frame loop: decoded frames come out of a bounded queue in order, frames of segments kept
 * from an earlier run are only shown to `replayFrame`, the rest are edited and written to the
 * current segment's encoder. Up to `framesInFlight` frames are being edited at once (their
 * processor calls start in frame order; frames are written in frame order as they finish). A
 * full segment is finished (ffmpeg flushed, file hashed, journal rewritten) while the next one is
 * already being rendered; at most two encoders are alive.
 */
import { join } from 'node:path';
import type { Logger } from '../context';
import { rawFrameBytes, type EvenDimensionMode, type SeamMetadata, type TimeRange } from '../media/ffmpeg-args';
import type { ResolvedVideoQuality } from '../../shared/video-codecs';
import type { LocatedMediaTool } from '../media/locate-ffmpeg';
import { BoundedQueue } from './bounded-queue';
import { framesDuration } from './ffmpeg-video-args';
import { decodeFrames, FrameBuffers, type DecodedFrame, type DecodeOutcome } from './frame-decoder';
import type { FrameObserver, FrameProcessor } from './frame-processor';
import { writeJournal, type RenderJournal } from './render-journal';
import type { RenderPlan } from './render-plan';
import { RenderRate, renderProgress, type RenderProgress } from './render-progress';
import { SegmentEncoder } from './segment-encoder';
import { segmentFileName } from './work-folder';

export interface SegmentLoopOptions {
  ffmpeg: LocatedMediaTool;
  input: string;
  range: TimeRange;
  plan: RenderPlan;
  quality: ResolvedVideoQuality;
  evenDimensions: EvenDimensionMode;
  metadata: SeamMetadata;
  segmentFrames: number;
  queueFrames: number;
  workDir: string;
  /** Holds the segments kept from an earlier run; finished segments are appended and saved. */
  journal: RenderJournal;
  frameProcessor: FrameProcessor;
  /** Frames handed to frameProcessor before the earliest of them is done (1: one at a time). */
  framesInFlight: number;
  replayFrame?: FrameObserver;
  /** Variable-rate clips: each frame's time from the first (readFrameTimes); absent: a constant rate. */
  frameTimes?: Float64Array;
  frameRateFlag: 'fps_mode' | 'vsync';
  logger: Logger;
  /** The render's own controller: aborted here on any failure, so every ffmpeg child ends. */
  stop: AbortController;
  onProgress(progress: RenderProgress): void;
}

export interface SegmentLoopResult {
  totalFrames: number;
  renderedFrames: number;
  resumedFrames: number;
  /** From the first frame edited in this run to the last segment finished (not the replay). */
  renderSeconds: number;
  decode: DecodeOutcome;
}

const PROGRESS_INTERVAL_MS = 250;

export async function renderSegments(o: SegmentLoopOptions): Promise<SegmentLoopResult> {
  const { plan, journal, stop } = o;
  const resumedFrames = journal.segments.reduce((sum, segment) => sum + segment.frames, 0);
  const queue = new BoundedQueue<DecodedFrame>(o.queueFrames);
  // Enough for every frame that can be alive at once: queued, those being edited, the one in
  // Node's pipe to the encoder, and the one the cutter is filling.
  const buffers = new FrameBuffers(rawFrameBytes('yuv420p', plan.width, plan.height), o.queueFrames + o.framesInFlight + 2);
  const decoding = decodeFrames({ ffmpeg: o.ffmpeg, input: o.input, range: o.range, width: plan.width, height: plan.height, evenDimensions: plan.evenDimensions, colour: plan.colour, queue, buffers, logger: o.logger, signal: stop.signal });
  decoding.catch(() => undefined);

  const rate = new RenderRate();
  let lastReport = -Infinity;
  let framesDone = 0;
  const report = (force: boolean) => {
    const now = performance.now();
    if (!force && now - lastReport < PROGRESS_INTERVAL_MS) return;
    lastReport = now;
    o.onProgress(renderProgress(framesDone, Math.min(resumedFrames, framesDone), rate.fps, plan.expectedFrames));
  };

  let encoder: SegmentEncoder | undefined;
  let current = { index: journal.segments.length, firstFrame: resumedFrames };
  let nextIndex = journal.segments.length;
  let finishing: Promise<void> = Promise.resolve();
  let finishFailure: { error: unknown } | undefined;
  // Segments finish one after another (so the journal lists them in order) while the next renders.
  const finishCurrent = async (segment: SegmentEncoder, { index, firstFrame } = current) => {
    await finishing;
    finishing = (async () => {
      const done = await segment.finish();
      const durationSeconds = segmentDuration(o, firstFrame, done.frames);
      journal.segments.push({ index, firstFrame, frames: done.frames, durationSeconds, file: segmentFileName(index), bytes: done.bytes, sha256: done.sha256 });
      await writeJournal(o.workDir, journal);
    })();
    finishing.catch((error: unknown) => (finishFailure ??= { error }));
  };

  let renderedFrames = 0;
  let renderStart: number | undefined;
  // Frames being edited, oldest first; each is written once it and every frame before it are done.
  const editing: Array<{ frame: DecodedFrame; edited: Promise<void> }> = [];
  const writeOldest = async () => {
    const { frame, edited } = editing[0]!;
    await edited;
    editing.shift();
    if (finishFailure) throw finishFailure.error;
    if (!encoder) {
      current = { index: nextIndex++, firstFrame: frame.index };
      encoder = await startEncoder(o, current.index, frame.index);
    }
    const yuv = frame.image.yuv;
    await encoder.write(yuv, () => buffers.give(yuv));
    renderedFrames++;
    framesDone = frame.index + 1;
    rate.frameRendered();
    report(false);
    if (encoder.frames === o.segmentFrames) {
      await finishCurrent(encoder);
      encoder = undefined;
    }
  };

  try {
    for (let frame = await queue.take(); frame; frame = await queue.take()) {
      if (finishFailure) throw finishFailure.error;
      const seconds = o.frameTimes?.[frame.index] ?? frame.index / plan.frameRateValue;
      if (frame.index < resumedFrames) {
        framesDone = frame.index + 1;
        if (o.replayFrame) await o.replayFrame(frame.image, frame.index, seconds);
        buffers.give(frame.image.yuv);
        report(false);
        continue;
      }
      renderStart ??= performance.now();
      const edited = o.frameProcessor(frame.image, frame.index, seconds);
      // Seen here so a frame that fails while earlier ones are written is not an unhandled rejection.
      edited.catch(() => undefined);
      editing.push({ frame, edited });
      while (editing.length >= o.framesInFlight) await writeOldest();
    }
    while (editing.length > 0) await writeOldest();
    const decode = await decoding;
    if (encoder) await finishCurrent(encoder);
    encoder = undefined;
    await finishing;
    report(true);
    const renderSeconds = renderStart === undefined ? 0 : (performance.now() - renderStart) / 1000;
    return { totalFrames: decode.frames, renderedFrames, resumedFrames, renderSeconds, decode };
  } catch (error) {
    stop.abort();
    queue.abandon();
    // The frames still being edited end (cancelled or not) before their buffers are let go.
    await Promise.allSettled(editing.map(({ edited }) => edited));
    await decoding.catch(() => undefined);
    await encoder?.settled();
    await finishing.catch(() => undefined);
    throw error;
  }
}

function startEncoder(o: SegmentLoopOptions, index: number, firstFrame: number): Promise<SegmentEncoder> {
  const step = 1 / o.plan.frameRateValue;
  const times = o.frameTimes ? segmentTimes(o.frameTimes, firstFrame, o.segmentFrames) : undefined;
  return SegmentEncoder.start({
    ffmpeg: o.ffmpeg,
    path: join(o.workDir, segmentFileName(index)),
    width: o.plan.width,
    height: o.plan.height,
    colourTags: o.plan.colourTags,
    frameRate: o.plan.frameRate,
    quality: o.quality,
    evenDimensions: o.evenDimensions,
    metadata: o.metadata,
    logger: o.logger,
    signal: o.stop.signal,
    ...(times && times.length > 0 ? { frameTimes: { times, fallbackStep: step, frameRateFlag: o.frameRateFlag } } : {}),
  });
}

/** The segment's frames' times from its first frame. */
function segmentTimes(all: Float64Array, firstFrame: number, frames: number): number[] {
  const start = all[firstFrame];
  if (start === undefined) return [];
  return Array.from(all.subarray(firstFrame, firstFrame + frames), (t) => t - start);
}

/** How long the segment lasts in the joined video: up to the next segment's first frame. */
function segmentDuration(o: SegmentLoopOptions, firstFrame: number, frames: number): number {
  const times = o.frameTimes;
  const start = times?.[firstFrame];
  if (!times || start === undefined) return framesDuration(frames, o.plan.frameRate);
  const lastFrame = Math.min(firstFrame + frames - 1, times.length - 1);
  const end = times[firstFrame + frames] ?? times[lastFrame]! + (firstFrame + frames - lastFrame) / o.plan.frameRateValue;
  return end - start;
}
