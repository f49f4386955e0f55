/**
 * A clip rendered frame by frame: probe, decode to RGB over a pipe, edit each frame, encode in
 * segments of N frames, join them with the source's sound. The work folder beside the output
 * holds the segments and a journal, so a cancelled or crashed render resumes where it stopped;
 * the output appears only when complete; the source is only ever read.
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isAbortError, SeamError } from '../../shared/errors';
import { silentLogger, type JobContext } from '../context';
import { frameRateFlagFor, type AudioHandling, type EvenDimensionMode, type SeamMetadata, type TimeRange, type VideoQuality } from '../media/ffmpeg-args';
import { requireVideoEncoder } from '../media/ffmpeg-encoders';
import { validateEvenDimensionMode, validateTimeRange } from '../media/ffmpeg-options';
import { checkCodecContainer, resolveVideoQuality } from '../media/video-codec-args';
import { removeStaleTempFiles } from '../fs/atomic-write';
import { locateMediaTools, type LocateOptions } from '../media/locate-ffmpeg';
import { probeMedia } from '../media/run-ffmpeg';
import { containerForOutput } from './ffmpeg-video-args';
import type { FrameObserver, FrameProcessor } from './frame-processor';
import { readFrameTimes } from './frame-times';
import { joinSegments } from './join-segments';
import { fingerprintSource, settingsHash, writeJournal } from './render-journal';
import { planRender } from './render-plan';
import { toJobProgress, type RenderProgress } from './render-progress';
import { renderSegments } from './render-segments';
import { verifyDecodedFrames } from './verify-decode';
import { defaultWorkDir, prepareWorkFolder, removeWorkFolder } from './work-folder';

/** Where ffmpeg is found (SeamPaths.bundledFfmpegDir); nothing else is needed from the engine. */
export type RenderVideoDeps = LocateOptions;

export interface RenderVideoOptions {
  input: string;
  output: string;
  frameProcessor: FrameProcessor;
  /**
   * Frames handed to frameProcessor before the earliest of them is done (default 1: one at a
   * time). More only for a processor made for it (TrackedEdit, PlanEdit with step workers say
   * how many): it is called in frame order and must keep its own sequential state in order.
   */
  framesInFlight?: number;
  /** Shown the frames of segments kept on resume (see FrameObserver); stateless processors need none. */
  replayFrame?: FrameObserver;
  /** Says what frameProcessor does: a resume only keeps segments rendered with the same key. */
  processorKey?: string;
  quality?: VideoQuality;
  /** Render only this part of the clip (the output is that part, with its sound). */
  range?: TimeRange;
  /** Frames per checkpointed segment (default: about 10 seconds of the clip). */
  segmentFrames?: number;
  /** Default `.<output name>.seam-work` beside the output. */
  workDir?: string;
  /** Keep the finished segments of an earlier, unfinished render of the same output. */
  resume?: boolean;
  /** Decoded frames that may wait for the processor (memory: this × width × height × 3 bytes). */
  queueFrames?: number;
  evenDimensions?: EvenDimensionMode;
  metadata?: SeamMetadata;
  /** Structured progress; ctx.onProgress gets the same as a job Progress with a readable message. */
  onRenderProgress?: (progress: RenderProgress) => void;
}

export interface RenderVideoResult {
  output: string;
  frames: number;
  /** Frames edited in this run (the others were kept from an earlier one). */
  renderedFrames: number;
  resumedFrames: number;
  width: number;
  height: number;
  frameRate: string;
  durationSeconds: number;
  audio: AudioHandling | 'none';
  /** Frames edited and encoded per second in this run (not counting the probe, a resume's replay or the join). */
  fps: number;
  notes: string[];
}

const DEFAULT_QUEUE_FRAMES = 8;
/** ffmpeg's exit status after SIGINT/SIGTERM (`received_nb_signals ? 255 : …` in fftools). */
const FFMPEG_INTERRUPTED_EXIT = 255;
const SEGMENT_SECONDS = 10;

export async function renderVideo(deps: RenderVideoDeps, options: RenderVideoOptions, ctx: JobContext): Promise<RenderVideoResult> {
  const logger = ctx.logger ?? silentLogger;
  const { input, output } = options;
  const container = containerForOutput(output);
  if (resolve(input) === resolve(output)) throw new SeamError('BAD_INPUT', `Refusing to overwrite the source ${input}: choose another output file.`);
  const outputDir = await stat(dirname(resolve(output))).catch(() => undefined);
  if (!outputDir?.isDirectory()) throw new SeamError('BAD_INPUT', `The folder for ${output} does not exist.`, { output });
  const range = options.range ?? {};
  validateTimeRange(range, 'range');
  // The codec's own scales, with its defaults (x264: CRF 18, medium, as always, so resume hashes hold).
  const quality = resolveVideoQuality(options.quality);
  checkCodecContainer(quality.codec, container, output);
  const evenDimensions = validateEvenDimensionMode(options.evenDimensions);
  const queueFrames = positiveWhole(options.queueFrames ?? DEFAULT_QUEUE_FRAMES, 'queueFrames');
  const framesInFlight = positiveWhole(options.framesInFlight ?? 1, 'framesInFlight');

  const { ffmpeg, ffprobe } = await locateMediaTools(deps);
  await requireVideoEncoder(ffmpeg, quality.codec);
  const summary = await probeMedia(input, { ffprobePath: ffprobe.path, context: ctx });
  const plan = planRender(summary, container, range, evenDimensions);
  const segmentFrames = positiveWhole(options.segmentFrames ?? Math.max(1, Math.round(plan.frameRateValue * SEGMENT_SECONDS)), 'segmentFrames');
  const metadata = options.metadata ?? {};
  // Variable-rate clips keep each frame's own time; that costs one extra decode, by ffprobe.
  const frameTimes = plan.variableFrameRate ? await readFrameTimes(ffprobe, input, range, ctx) : undefined;
  ctx.signal?.throwIfAborted();

  const workDir = resolve(options.workDir ?? defaultWorkDir(output));
  const hash = settingsHash({ processor: options.processorKey ?? '', quality, range, segmentFrames, evenDimensions, ffmpeg: ffmpeg.versionLine, metadata });
  const work = await prepareWorkFolder(workDir, await fingerprintSource(input), hash, options.resume === true);
  // A render killed during its join left that join's temp file beside the output.
  for (const name of await removeStaleTempFiles(output)) logger.info('removed a temp file a killed render left behind', { file: name });
  const notes = [...plan.notes];
  if (work.restartReason) notes.push(`Started from the beginning: ${work.restartReason}.`);

  // Our own controller, aborted by the job's signal or by any failure, so every child ends.
  const stop = new AbortController();
  const forward = () => stop.abort();
  ctx.signal?.addEventListener('abort', forward, { once: true });
  try {
    const journal = work.journal;
    let rendered = { renderedFrames: 0, resumedFrames: journal.totalFrames ?? 0, renderSeconds: 0 };
    if (journal.totalFrames === undefined) {
      const loop = await renderSegments({
        ffmpeg, input, range, plan, quality, evenDimensions, metadata, segmentFrames, queueFrames, framesInFlight, workDir, journal, logger, stop,
        frameProcessor: options.frameProcessor,
        frameRateFlag: frameRateFlagFor(ffmpeg),
        ...(frameTimes ? { frameTimes } : {}),
        ...(options.replayFrame ? { replayFrame: options.replayFrame } : {}),
        onProgress: (progress) => {
          options.onRenderProgress?.(progress);
          ctx.onProgress?.(toJobProgress(progress));
        },
      });
      verifyDecodedFrames(input, plan, loop.decode);
      journal.totalFrames = loop.totalFrames;
      await writeJournal(workDir, journal);
      rendered = loop;
    }
    await joinSegments({ ffmpeg, input, output, container, codec: quality.codec, range, plan, segments: journal.segments, workDir, metadata, logger, signal: stop.signal });
    await removeWorkFolder(workDir, logger);
    const frames = journal.totalFrames;
    return {
      output,
      frames,
      renderedFrames: rendered.renderedFrames,
      resumedFrames: rendered.resumedFrames,
      width: plan.width,
      height: plan.height,
      frameRate: plan.frameRate,
      durationSeconds: journal.segments.reduce((sum, segment) => sum + segment.durationSeconds, 0),
      audio: plan.audio ?? 'none',
      fps: rendered.renderSeconds > 0 ? rendered.renderedFrames / rendered.renderSeconds : 0,
      notes,
    };
  } catch (error) {
    stop.abort();
    // Ctrl-C in a terminal reaches the ffmpeg children too; ffmpeg then exits with 255, which may
    // be seen before our own signal handler runs. Either way it is a cancel, not damaged input.
    const interrupted = error instanceof SeamError && error.details?.exitCode === FFMPEG_INTERRUPTED_EXIT;
    if (ctx.signal?.aborted || isAbortError(error) || interrupted) {
      logger.info('render cancelled; finished segments are kept for --resume', { workDir });
      throw new SeamError('CANCELLED', `Cancelled while rendering ${output}; finished segments are kept in ${workDir} (resume to continue).`);
    }
    // A damaged source will not render better next time: nothing is worth keeping.
    if (error instanceof SeamError && error.code === 'BAD_INPUT') await removeWorkFolder(workDir, logger);
    throw error;
  } finally {
    ctx.signal?.removeEventListener('abort', forward);
  }
}

function positiveWhole(value: number, option: string): number {
  if (!Number.isInteger(value) || value < 1) throw new SeamError('BAD_INPUT', `${option} must be a whole number ≥ 1, got ${value}.`, { option });
  return value;
}
