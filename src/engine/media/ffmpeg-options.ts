/**
 * Validation of the options the argument builders take, and the one rule for writing a file path
 * into an ffmpeg argument list. Pure; every failure is SeamError('BAD_INPUT') naming the option.
 */
import { SeamError } from '../../shared/errors';

export interface TimeRange {
  /** Seconds from the start of the source; absent means the beginning. */
  startSeconds?: number;
  /** Seconds from the start of the source (not a duration); absent means the end. */
  endSeconds?: number;
}

/** Large enough for 8K and H.264's level limits; larger is a bug or a hostile file, not a video. */
export const MAX_FRAME_SIDE = 16384;

function bad(option: string, value: unknown, message: string): SeamError {
  return new SeamError('BAD_INPUT', message, { option, value });
}

export function validateOneOf<T extends string>(value: string, allowed: readonly T[], option: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw bad(option, value, `Unsupported ${option} "${value}"; expected one of: ${allowed.join(', ')}.`);
  }
  return value as T;
}

export function validateEvenDimensionMode(value: string | undefined): 'crop' | 'pad' {
  return validateOneOf(value ?? 'crop', ['crop', 'pad'] as const, 'evenDimensions');
}

export function validateFrameSize(width: number, height: number): void {
  for (const [option, value] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(value) || value < 1 || value > MAX_FRAME_SIDE) {
      throw bad(option, value, `Frame ${option} must be a whole number from 1 to ${MAX_FRAME_SIDE}, got ${value}.`);
    }
  }
}

/**
 * A frame rate as ffmpeg's -r takes it. Rational strings pass through unchanged so NTSC rates
 * (30000/1001) are not rounded to 29.97, which would drift the audio by a frame a minute.
 */
export function validateFrameRate(rate: number | string): string {
  let value = Number.NaN;
  if (typeof rate === 'number') value = rate;
  else {
    const match = /^(\d+(?:\.\d+)?)(?:\/(\d+))?$/.exec(rate.trim());
    if (match) value = Number(match[1]) / (match[2] === undefined ? 1 : Number(match[2]));
  }
  if (!Number.isFinite(value) || value <= 0 || value > 1000) {
    throw bad('frameRate', rate, `Frame rate must be a positive number of frames per second up to 1000, got "${rate}".`);
  }
  return typeof rate === 'number' ? String(rate) : rate.trim();
}

export function validateTimeRange(range: TimeRange, what: string): void {
  const { startSeconds, endSeconds } = range;
  if (startSeconds !== undefined && (!Number.isFinite(startSeconds) || startSeconds < 0)) {
    throw bad('startSeconds', startSeconds, `The ${what} must start at 0 seconds or later, got ${startSeconds}.`);
  }
  if (endSeconds !== undefined && (!Number.isFinite(endSeconds) || endSeconds <= (startSeconds ?? 0))) {
    throw bad('endSeconds', endSeconds, `The ${what} must end after it starts (${startSeconds ?? 0} s), got ${endSeconds}.`);
  }
}

/** Tag names ffmpeg's -metadata key=value can carry; '=' or spaces in a key would split it wrongly. */
export function validateMetadata(extra: Record<string, string>): Record<string, string> {
  for (const [key, value] of Object.entries(extra)) {
    if (!/^[A-Za-z0-9_.-]+$/.test(key)) throw bad('metadata', key, `Metadata key "${key}" may only use letters, digits, _ . -.`);
    if (key.toLowerCase() === 'comment') throw bad('metadata', key, 'The comment tag is reserved for "Edited with Seam".');
    if (typeof value !== 'string') throw bad('metadata', key, `Metadata "${key}" must be a string.`);
  }
  return extra;
}

/**
 * A file path as an ffmpeg input or output. ffmpeg reads "name:rest" as protocol "name" (a file
 * called "clip:1.mp4" fails, "concat:a|b" opens other files) and "-x.mp4" as an option, so such
 * paths get the explicit file: protocol. Windows drive paths (C:\…) are already understood.
 */
export function ffmpegPath(path: string): string {
  if (path.length === 0) throw bad('path', path, 'An empty file path was given to ffmpeg.');
  const windowsDrive = /^[A-Za-z]:[\\/]/.test(path);
  // ffmpeg's own test for a protocol prefix: scheme characters up to the first ':'.
  const looksLikeProtocol = /^[A-Za-z0-9+.-]+:/.test(path);
  if (path.startsWith('-') || (looksLikeProtocol && !windowsDrive)) return `file:${path}`;
  return path;
}
