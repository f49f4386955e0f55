/**
 * The video pipeline's own ffmpeg arguments, pure like src/engine/media/ffmpeg-args.ts (which
 * this folder may not change): joining the rendered segments with the source's sound, the
 * concat list that join reads, and the container an output path asks for. Decoding and each
 * segment's encode use the media builders unchanged.
 */
import { SeamError } from '../../shared/errors';
import {
  audioEncodeArgs,
  buildDecodeToRawArgs,
  outputArgs,
  type AudioHandling,
  type EvenDimensionMode,
  type OutputContainer,
  type SeamMetadata,
  type VideoCodec,
} from '../media/ffmpeg-args';
import { ffmpegPath, validateTimeRange, type TimeRange } from '../media/ffmpeg-options';
import { muxerForCodec } from '../media/video-codec-args';

const CONTAINER_BY_EXTENSION: Readonly<Record<string, OutputContainer>> = {
  mp4: 'mp4',
  m4v: 'mp4',
  mov: 'mov',
  mkv: 'matroska',
};

/** The container an output file name asks for; anything else is refused before any work starts. */
export function containerForOutput(path: string): OutputContainer {
  const extension = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  const container = CONTAINER_BY_EXTENSION[extension];
  if (!container) {
    throw new SeamError('BAD_INPUT', `Cannot write video to ${path}: use a .mp4, .m4v, .mov or .mkv file name.`, { output: path });
  }
  return container;
}

export interface ConcatEntry {
  /** A file name in the list's own folder (ours, so it needs no escaping; checked anyway). */
  file: string;
  durationSeconds: number;
}

/**
 * An ffconcat list. Each entry states its duration: the concat demuxer otherwise takes an mp4's
 * duration from its millisecond movie header, and the rounding (1.235 s for 37 frames at
 * 30000/1001) would leave a gap between segments that players show as a stutter.
 */
export function buildConcatList(entries: readonly ConcatEntry[]): string {
  if (entries.length === 0) throw new SeamError('INTERNAL', 'No segments to join.');
  const lines = ['ffconcat version 1.0'];
  for (const entry of entries) {
    if (!/^[A-Za-z0-9._-]+$/.test(entry.file)) throw new SeamError('INTERNAL', `Unexpected segment file name ${entry.file}.`);
    if (!(entry.durationSeconds > 0)) throw new SeamError('INTERNAL', `Segment ${entry.file} has no duration.`);
    lines.push(`file ${entry.file}`, `duration ${seconds(entry.durationSeconds)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Exact seconds of `frames` frames at a rate given as ffprobe's rational text or a number. */
export function framesDuration(frames: number, frameRate: string | number): number {
  if (typeof frameRate === 'number') return frames / frameRate;
  const [num, den] = frameRate.split('/').map(Number);
  return (frames * (den ?? 1)) / num!;
}

export interface JoinSegmentsOptions {
  /** The ffconcat list (buildConcatList) beside the segments. */
  concatList: string;
  /** A temp path; renamed into place by the caller after success. */
  output: string;
  container: OutputContainer;
  /** The segments' codec (default libx264): the container may need flags for it, and must be able to hold it. */
  codec?: VideoCodec;
  /** The source whose sound is muxed in, trimmed to the range the frames came from; absent: no sound. */
  audio?: TimeRange & { source: string; codec: AudioHandling; bitrateKbps?: number };
  metadata?: SeamMetadata;
}

/**
 * Segments joined by stream copy (no second encode: each segment already is the final video) and
 * the source's audio copied, or re-encoded to AAC where the container cannot hold it. The concat
 * demuxer reads the segments' parts (MP4, or QuickTime for ProRes) the same way for every codec
 * here; each part starts on a keyframe, so the copied stream decodes straight through.
 */
export function buildJoinSegmentsArgs(options: JoinSegmentsOptions): string[] {
  const muxer = muxerForCodec(options.codec ?? 'libx264', options.container);
  const args = [
    '-hide_banner',
    '-nostdin',
    '-v', 'error',
    '-nostats',
    '-progress', 'pipe:2',
    '-y',
    // Segment names are plain relative names, so the demuxer's safe mode (the default) accepts them.
    '-f', 'concat',
    '-i', ffmpegPath(options.concatList),
  ];
  const audio = options.audio;
  if (audio) {
    validateTimeRange(audio, 'audio range');
    const start = audio.startSeconds ?? 0;
    if (start > 0) args.push('-ss', seconds(start));
    if (audio.endSeconds !== undefined) args.push('-t', seconds(audio.endSeconds - start));
    args.push('-i', ffmpegPath(audio.source));
  }
  args.push('-map', '0:v:0');
  // `?`: the source may have no sound; every audio stream it has is kept (languages, commentary).
  if (audio) args.push('-map', '1:a?');
  args.push('-c:v', 'copy', ...muxer.args);
  if (audio) args.push(...audioEncodeArgs(audio.codec, audio.bitrateKbps));
  args.push(...outputArgs(options.output, muxer.muxer, options.metadata));
  return args;
}


function seconds(value: number): string {
  return value.toFixed(6).replace(/\.?0+$/, '');
}

/** Timescale of variable-rate segments: 90 kHz holds 1/600, 1/1000 and 1/30000 sources' times exactly. */
export const TIMED_TIMESCALE = 90000;

/** ffprobe arguments listing each decoded frame's time and the file's start time, as csv ("frame,t", "format,t"). */
export function buildFrameTimesArgs(input: string): string[] {
  return ['-v', 'error', '-select_streams', 'V:0', '-show_entries', 'format=start_time:frame=best_effort_timestamp_time', '-of', 'csv', ffmpegPath(input)];
}

/**
 * The decoded frames' times in seconds from the first frame of `range`, in the order the decoder
 * gives them (which is the order the pipeline receives them). ffmpeg's input -ss/-t keep frames
 * with start + ss ≤ t < start + ss + duration, measured from the file's start time; so does this.
 */
export function parseFrameTimes(csv: string, range: TimeRange): number[] {
  const times: number[] = [];
  let fileStart = 0;
  for (const line of csv.split('\n')) {
    const frame = /^frame,(-?\d+(?:\.\d+)?)/.exec(line);
    if (frame) times.push(Number(frame[1]));
    const format = /^format,(-?\d+(?:\.\d+)?)/.exec(line);
    if (format) fileStart = Number(format[1]);
  }
  // ffprobe prints six decimals; half a microsecond is the rounding it may have done.
  const epsilon = 5e-7;
  const from = fileStart + (range.startSeconds ?? 0) - epsilon;
  const to = range.endSeconds === undefined ? Infinity : fileStart + range.endSeconds - epsilon;
  const kept = times.filter((t) => t >= from && t < to);
  const first = kept[0] ?? 0;
  // Strictly increasing by at least one tick: a muxer refuses a frame that does not move time on.
  const relative: number[] = [];
  for (const t of kept) relative.push(Math.max(t - first, (relative.at(-1) ?? -Infinity) + 1 / TIMED_TIMESCALE));
  return relative;
}

/**
 * A setpts expression giving frame N (counted within the segment) the time `times[N]` seconds;
 * frames past the list continue at `fallbackStep` seconds apart.
 */
export function setptsExpression(times: readonly number[], fallbackStep: number): string {
  if (times.length === 0) throw new SeamError('INTERNAL', 'No frame times for a timed segment.');
  const last = times.length - 1;
  let expression = `${seconds(times[last]!)}+(N-${last})*${seconds(fallbackStep)}`;
  for (let n = last - 1; n >= 0; n--) expression = `if(eq(N,${n}),${seconds(times[n]!)},${expression})`;
  return expression;
}

/**
 * An encode from buildEncodeFromRawArgs turned into one that writes each frame at its own time:
 * the filters move to a filter script (the expression is long) that first sets the times, and
 * the encoder and the output keep them (90 kHz time base and track, passthrough). The colour handling stays the media
 * builder's, defined once.
 */
export function withFrameTimes(
  encodeArgs: readonly string[],
  times: readonly number[],
  fallbackStep: number,
  scriptPath: string,
  frameRateFlag: 'fps_mode' | 'vsync',
): { args: string[]; script: string } {
  const args = [...encodeArgs];
  const timing = `settb=1/${TIMED_TIMESCALE},setpts='(${setptsExpression(times, fallbackStep)})/TB'`;
  const vf = args.indexOf('-vf');
  const codec = args.indexOf('-c:v');
  if (codec < 0 || args.lastIndexOf('-f') < codec) throw new SeamError('INTERNAL', 'The encode arguments have no -c:v before the output.');
  let script = timing;
  if (vf >= 0) {
    script = `${timing},${args[vf + 1]}`;
    args.splice(vf, 2, '-filter_script:v', ffmpegPath(scriptPath));
  } else {
    args.splice(codec, 0, '-filter_script:v', ffmpegPath(scriptPath));
  }
  // The encoder's own time base would be 1/rate (ffmpeg's default for video), rounding every time
  // to the average rate's grid; passthrough stops ffmpeg evening the frames out to that rate.
  args.splice(
    args.lastIndexOf('-f'),
    0,
    '-enc_time_base:v', `1:${TIMED_TIMESCALE}`,
    `-${frameRateFlag}`, 'passthrough',
    '-video_track_timescale', String(TIMED_TIMESCALE),
  );
  return { args, script };
}

/** ffprobe: the file's start time and the presentation time of every packet of the decoded video stream (no decoding). */
export function buildPacketTimesArgs(input: string): string[] {
  return ['-v', 'error', '-select_streams', 'V:0', '-show_entries', 'format=start_time:packet=pts_time', '-of', 'csv', ffmpegPath(input)];
}

/**
 * Frame times from the packet list, from the file's start (what ffmpeg's input -ss measures), in
 * presentation order: packets come in decode order (B-frames), so they are sorted. A packet
 * without a time (some raw streams) makes the list untrustworthy: every frame then gets
 * index / rate.
 */
export function parsePacketTimes(csv: string, frameRate: number): number[] {
  let fileStart = 0;
  const times: number[] = [];
  let untimed = 0;
  for (const line of csv.split('\n')) {
    const format = /^format,(-?\d+(?:\.\d+)?)/.exec(line);
    if (format) fileStart = Number(format[1]);
    if (!line.startsWith('packet,')) continue;
    const time = /^packet,(-?\d+(?:\.\d+)?)/.exec(line);
    if (time) times.push(Number(time[1]));
    else untimed++;
  }
  if (untimed > 0) return Array.from({ length: times.length + untimed }, (_, i) => i / frameRate);
  return times.sort((a, b) => a - b).map((t) => t - fileStart);
}

export interface DecodeOneFrameOptions {
  input: string;
  /** Where the accurate input seek starts: the first frame at or after it is the one decoded. */
  startSeconds: number;
  frameRateFlag: 'fps_mode' | 'vsync';
  /** As the render makes an odd size even (render-plan.ts); not for a thumbnail. */
  evenDimensions?: EvenDimensionMode;
  /** Scaled to this size, as rgb24 (thumbnails); absent: as the render decodes it (yuv420p, upright size). */
  size?: { width: number; height: number };
}

/**
 * One frame as raw bytes on stdout: the render's own decode arguments (the same pixels) with the
 * seek and a one-frame limit; a thumbnail is scaled and converted to rgb24 by ffmpeg.
 */
export function buildDecodeOneFrameArgs(options: DecodeOneFrameOptions): string[] {
  const pixelFormat = options.size ? 'rgb24' : 'yuv420p';
  // A thumbnail is scaled to an even size of its own; a frame is made even as the render does.
  const even = options.size || !options.evenDimensions ? {} : { evenDimensions: options.evenDimensions };
  const args = buildDecodeToRawArgs({ input: options.input, pixelFormat, frameRateFlag: options.frameRateFlag, startSeconds: options.startSeconds, ...even });
  const tail = ['-frames:v', '1'];
  if (options.size) tail.push('-vf', `scale=${options.size.width}:${options.size.height}:flags=area`);
  // Output options go before the output, which is the last argument.
  return [...args.slice(0, -1), ...tail, args.at(-1)!];
}
