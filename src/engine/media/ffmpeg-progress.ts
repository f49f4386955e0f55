/**
 * Reads ffmpeg's stderr when it runs with `-progress pipe:2 -nostats -v error`: blocks of
 * key=value lines ending in `progress=continue|end`, interleaved with log lines. Pure (fed
 * chunks, calls back), so it is tested without ffmpeg.
 */

export interface FfmpegProgress {
  /** Frames written to the output so far. */
  frame?: number;
  fps?: number;
  /** Position in the output, seconds. */
  outTimeSeconds?: number;
  /** Multiple of real time, e.g. 2.5 for "2.5x". */
  speed?: number;
  totalSizeBytes?: number;
  /** True on the final block (`progress=end`). */
  ended: boolean;
}

/** The keys -progress writes; a log line that happens to contain '=' is not taken for one. */
const PROGRESS_KEYS = new Set([
  'frame',
  'fps',
  'bitrate',
  'total_size',
  'out_time_us',
  'out_time_ms',
  'out_time',
  'dup_frames',
  'drop_frames',
  'speed',
  'progress',
]);
// Per-stream quality lines look like stream_0_0_q=28.0.
const STREAM_QUALITY_KEY = /^stream_\d+_\d+_q$/;

function finiteNonNegative(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number.parseFloat(text);
  // ffmpeg writes N/A, and large negative sentinels before the first packet.
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** "00:01:02.500000" → 62.5; "N/A" or a negative time → undefined. */
export function parseClockSeconds(text: string | undefined): number | undefined {
  const match = text === undefined ? null : /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

export function progressFromFields(fields: ReadonlyMap<string, string>): FfmpegProgress {
  // out_time_ms is microseconds too (a long-standing ffmpeg misnomer); prefer out_time_us.
  const micros = finiteNonNegative(fields.get('out_time_us') ?? fields.get('out_time_ms'));
  const outTimeSeconds = micros !== undefined ? micros / 1e6 : parseClockSeconds(fields.get('out_time'));
  const progress: FfmpegProgress = { ended: fields.get('progress') === 'end' };
  const frame = finiteNonNegative(fields.get('frame'));
  const fps = finiteNonNegative(fields.get('fps'));
  const speed = finiteNonNegative(fields.get('speed')?.replace(/x$/, ''));
  const totalSizeBytes = finiteNonNegative(fields.get('total_size'));
  if (frame !== undefined) progress.frame = frame;
  if (fps !== undefined) progress.fps = fps;
  if (outTimeSeconds !== undefined) progress.outTimeSeconds = outTimeSeconds;
  if (speed !== undefined) progress.speed = speed;
  if (totalSizeBytes !== undefined) progress.totalSizeBytes = totalSizeBytes;
  return progress;
}

export interface StderrHandlers {
  onProgress(progress: FfmpegProgress): void;
  /** Every line that is not part of a progress block: ffmpeg's warnings and errors. */
  onLogLine(line: string): void;
}

/** Splits stderr into lines across chunk boundaries and routes them. */
export class FfmpegStderrParser {
  #partial = '';
  #fields = new Map<string, string>();
  readonly #handlers: StderrHandlers;

  constructor(handlers: StderrHandlers) {
    this.#handlers = handlers;
  }

  push(chunk: string): void {
    const text = this.#partial + chunk;
    // ffmpeg ends some lines with \r (status lines), so split on either.
    const lines = text.split(/\r\n|\r|\n/);
    this.#partial = lines.pop() ?? '';
    for (const line of lines) this.#line(line);
  }

  /** Call when stderr closes so a last line without a newline is not lost. */
  end(): void {
    if (this.#partial.length > 0) this.#line(this.#partial);
    this.#partial = '';
  }

  #line(line: string): void {
    const match = /^([a-z0-9_]+)=(.*)$/.exec(line.trim());
    const key = match?.[1];
    if (match && key !== undefined && (PROGRESS_KEYS.has(key) || STREAM_QUALITY_KEY.test(key))) {
      const value = (match[2] ?? '').trim();
      this.#fields.set(key, value);
      if (key === 'progress') {
        this.#handlers.onProgress(progressFromFields(this.#fields));
        this.#fields = new Map();
      }
      return;
    }
    if (line.trim().length > 0) this.#handlers.onLogLine(line.trimEnd());
  }
}

/**
 * ffmpeg's log de-duplication notice: it says nothing of its own, and as the last line it would
 * become the reason a user reads ("damaged (Last message repeated 1 times)").
 */
const REPEAT_NOTICE = /^\s*Last message repeated \d+ times?$/;

/** Keeps the last `limit` lines; ffmpeg's reason for failing is at the end of its stderr. */
export class LineTail {
  readonly #lines: string[] = [];
  constructor(readonly limit = 20) {}

  push(line: string): void {
    if (REPEAT_NOTICE.test(line)) return;
    this.#lines.push(line);
    if (this.#lines.length > this.limit) this.#lines.shift();
  }

  get lines(): readonly string[] {
    return this.#lines;
  }
}
