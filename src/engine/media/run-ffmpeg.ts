/**
 * Running ffmpeg and ffprobe: spawn (never through a shell), progress from `-progress` blocks,
 * cancel through the job's AbortSignal, and an error built from the end of stderr. Argument lists
 * come from ffmpeg-args.ts; this file does not decide any flag.
 */
import { spawn } from 'node:child_process';
import { rm, stat } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { SeamError, type SeamErrorCode } from '../../shared/errors';
import { silentLogger, type JobContext } from '../context';
import { buildProbeArgs } from './ffmpeg-args';
import { ffmpegPath } from './ffmpeg-options';
import { FfmpegStderrParser, LineTail, type FfmpegProgress } from './ffmpeg-progress';
import { locateFfprobe, type LocateOptions } from './locate-ffmpeg';
import { summarizeProbe, type MediaSummary } from './probe-summary';

export interface FfmpegProgressPlan {
  /** Progress.stage, e.g. 'decode' or 'encode'. */
  stage: string;
  /** When known, progress counts frames against it… */
  totalFrames?: number;
  /** …else output seconds against this. */
  totalSeconds?: number;
}

export interface FfmpegRunOptions {
  /** What the run does, for messages: "encoding /tmp/seam-123/out.mp4". */
  task: string;
  context?: Partial<JobContext>;
  /** Hand the caller a writable stdin (raw frames in). */
  stdin?: boolean;
  /** Hand the caller stdout (raw frames, or ffprobe's JSON, out). */
  stdout?: boolean;
  progress?: FfmpegProgressPlan;
  /** Every parsed -progress block, for callers that want more than JobContext.onProgress carries. */
  onFfmpegProgress?: (progress: FfmpegProgress) => void;
  /** Files the run writes; removed when it fails or is cancelled so nothing half-written stays. */
  outputPaths?: readonly string[];
  /** The code of the error a non-zero exit becomes (default INTERNAL; BAD_INPUT when the input is to blame). */
  failureCode?: SeamErrorCode;
}

export interface FfmpegResult {
  /** ffmpeg's last log lines (warnings on success). */
  stderrTail: readonly string[];
  lastProgress?: FfmpegProgress;
}

export interface FfmpegProcess {
  /** Present when options.stdin was set. Write errors (EPIPE) mean the process ended: see `done`. */
  stdin: Writable | null;
  /** Present when options.stdout was set; it must be read, or ffmpeg stalls when the pipe fills. */
  stdout: Readable | null;
  /** Resolves on exit 0; rejects with SeamError CANCELLED, MISSING_DEPENDENCY or options.failureCode. */
  done: Promise<FfmpegResult>;
}

function cancelled(task: string): SeamError {
  return new SeamError('CANCELLED', `Cancelled while ${task}.`);
}

function toJobProgress(plan: FfmpegProgressPlan, progress: FfmpegProgress) {
  const frame = progress.frame ?? 0;
  const speed = progress.speed === undefined ? '' : `, ${progress.speed}x`;
  const message = `frame ${frame}${speed}`;
  if (plan.totalFrames !== undefined) return { stage: plan.stage, done: Math.min(frame, plan.totalFrames), total: plan.totalFrames, message };
  if (plan.totalSeconds !== undefined) {
    const seconds = Math.min(progress.outTimeSeconds ?? 0, plan.totalSeconds);
    return { stage: plan.stage, done: seconds, total: plan.totalSeconds, message };
  }
  return { stage: plan.stage, done: frame, message };
}

/** Starts ffmpeg/ffprobe at `binaryPath` and returns its pipes and a promise of the outcome. */
export function startFfmpeg(binaryPath: string, args: readonly string[], options: FfmpegRunOptions): FfmpegProcess {
  const { task } = options;
  const logger = options.context?.logger ?? silentLogger;
  const signal = options.context?.signal;
  const removeOutputs = () => Promise.all((options.outputPaths ?? []).map((path) => rm(path, { force: true })));

  if (signal?.aborted) {
    return { stdin: null, stdout: null, done: removeOutputs().then(() => Promise.reject(cancelled(task))) };
  }

  logger.debug('spawning ffmpeg', { task, binaryPath, args });
  const child = spawn(binaryPath, args, {
    stdio: [options.stdin ? 'pipe' : 'ignore', options.stdout ? 'pipe' : 'ignore', 'pipe'],
    // No console window flashing up on Windows for every run.
    windowsHide: true,
  });

  const tail = new LineTail(20);
  let lastProgress: FfmpegProgress | undefined;
  const parser = new FfmpegStderrParser({
    onLogLine: (line) => {
      tail.push(line);
      logger.debug('ffmpeg', { task, line });
    },
    onProgress: (progress) => {
      lastProgress = progress;
      options.onFfmpegProgress?.(progress);
      if (options.progress && options.context?.onProgress) options.context.onProgress(toJobProgress(options.progress, progress));
    },
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => parser.push(chunk));
  // Once ffmpeg is gone, writes fail with EPIPE; the caller learns why from `done`, so an unheard
  // 'error' event must not crash the engine host.
  child.stdin?.on('error', (error) => logger.debug('ffmpeg stdin closed', { task, error: error.message }));
  child.stdout?.on('error', (error) => logger.debug('ffmpeg stdout error', { task, error: error.message }));

  let aborted = false;
  const onAbort = () => {
    aborted = true;
    // SIGKILL, not SIGTERM: on SIGTERM ffmpeg finishes writing the file we are about to delete.
    child.kill('SIGKILL');
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  const done = new Promise<FfmpegResult>((resolve, reject) => {
    let spawnError: NodeJS.ErrnoException | undefined;
    child.once('error', (error: NodeJS.ErrnoException) => {
      spawnError = error;
    });
    // 'close' comes after the process exited and its pipes drained, so the stderr tail is complete.
    child.once('close', (code, killedBy) => {
      signal?.removeEventListener('abort', onAbort);
      parser.end();
      const settle = async () => {
        if (aborted) throw cancelled(task);
        if (spawnError) {
          throw new SeamError('MISSING_DEPENDENCY', `Could not start ${binaryPath} while ${task}: ${spawnError.code ?? spawnError.message}.`, {
            binaryPath,
          });
        }
        if (code !== 0) {
          const reason = tail.lines.length > 0 ? tail.lines.slice(-5).join('\n') : 'no error output';
          const exit = code === null ? `was killed by ${killedBy ?? 'a signal'}` : `exited with code ${code}`;
          throw new SeamError(options.failureCode ?? 'INTERNAL', `ffmpeg failed while ${task} (${exit}):\n${reason}`, {
            exitCode: code,
            signal: killedBy,
            stderrTail: [...tail.lines],
          });
        }
        const result: FfmpegResult = { stderrTail: [...tail.lines] };
        if (lastProgress) result.lastProgress = lastProgress;
        return result;
      };
      settle().then(resolve, async (error: unknown) => {
        await removeOutputs().catch((cleanupError: unknown) => logger.warn('could not remove partial output', { task, error: String(cleanupError) }));
        reject(error);
      });
    });
  });

  return { stdin: child.stdin, stdout: child.stdout, done };
}

/** Runs to the end with no pipes to feed: re-encodes, test clips, anything file to file. */
export function runFfmpeg(binaryPath: string, args: readonly string[], options: Omit<FfmpegRunOptions, 'stdin' | 'stdout'>): Promise<FfmpegResult> {
  return startFfmpeg(binaryPath, args, { ...options, stdin: false, stdout: false }).done;
}

export interface ProbeOptions extends LocateOptions {
  /** An ffprobe already located; otherwise locateFfprobe(options) finds one. */
  ffprobePath?: string;
  context?: Partial<JobContext>;
  /** Default true: a file without a video stream is bad input for the video pipeline. */
  requireVideo?: boolean;
}

/** Describes a media file; anything that is not a readable video is SeamError('BAD_INPUT') naming the file. */
export async function probeMedia(file: string, options: ProbeOptions = {}): Promise<MediaSummary> {
  const info = await stat(file).catch(() => undefined);
  if (!info) throw new SeamError('BAD_INPUT', `No such file: ${file}`, { file });
  if (!info.isFile()) throw new SeamError('BAD_INPUT', `Not a file: ${file}`, { file });

  const ffprobePath = options.ffprobePath ?? (await locateFfprobe(options)).path;
  const probe = startFfmpeg(ffprobePath, buildProbeArgs(file), {
    task: `reading ${file}`,
    context: options.context ?? {},
    stdout: true,
    failureCode: 'BAD_INPUT',
  });
  const chunks: Buffer[] = [];
  probe.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  try {
    await probe.done;
  } catch (error) {
    if (error instanceof SeamError && error.code === 'BAD_INPUT') {
      const lastLine = (error.details?.stderrTail as string[] | undefined)?.at(-1) ?? 'unreadable';
      // ffprobe starts the line with the path, which the message already names.
      const reason = lastLine.replace(`${ffmpegPath(file)}: `, '');
      throw new SeamError('BAD_INPUT', `${file} is not a media file Seam can read (${reason}).`, { file, ...error.details });
    }
    throw error;
  }

  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    json = undefined;
  }
  const summary = summarizeProbe(file, json);
  if (!summary) throw new SeamError('BAD_INPUT', `${file} is not a media file Seam can read (ffprobe gave no description).`, { file });
  if ((options.requireVideo ?? true) && !summary.video) {
    throw new SeamError('BAD_INPUT', `${file} has no video stream.`, { file, container: summary.container });
  }
  return summary;
}
