/**
 * Which encoders an ffmpeg build has: `ffmpeg -hide_banner -encoders`, read by a pure parser, asked
 * once per located binary. Builds differ (an LGPL build has no x264 or x265; a static one may lack
 * SVT-AV1), so a codec is offered, and rendered, only where this ffmpeg lists its encoder.
 */
import { execFile } from 'node:child_process';
import { SeamError } from '../../shared/errors';
import { VIDEO_CODECS, type VideoCodec } from '../../shared/video-codecs';
import type { LocatedMediaTool } from './locate-ffmpeg';
import { CODEC_ENCODING, codecLabel } from './video-codec-args';

export interface EncoderEntry {
  name: string;
  kind: 'video' | 'audio' | 'subtitle';
  description: string;
}

const KINDS = { V: 'video', A: 'audio', S: 'subtitle' } as const;

/**
 * The encoder lines of `ffmpeg -encoders`: after the legend, which ends in a dashed line, each line
 * is six capability flags (the first says video, audio or subtitle), the name, the description.
 */
export function parseEncoderList(text: string): EncoderEntry[] {
  const lines = text.split(/\r?\n/);
  const legendEnd = lines.findIndex((line) => /^\s*-{6}\s*$/.test(line));
  const entries: EncoderEntry[] = [];
  for (const line of lines.slice(legendEnd + 1)) {
    const match = /^\s*([VAS])[A-Z.]{5}\s+(\S+)\s+(.*)$/.exec(line);
    if (!match) continue;
    entries.push({ kind: KINDS[match[1] as keyof typeof KINDS], name: match[2]!, description: match[3]!.trim() });
  }
  return entries;
}

/** The codecs of VIDEO_CODECS whose encoder is in the list, in the table's order. */
export function videoCodecsIn(encoders: readonly EncoderEntry[]): VideoCodec[] {
  const video = new Set(encoders.filter((e) => e.kind === 'video').map((e) => e.name));
  return VIDEO_CODECS.filter((codec) => video.has(CODEC_ENCODING[codec].encoder));
}

/** The refusal for a codec this ffmpeg cannot write; undefined when it can. */
export function missingEncoderError(codec: VideoCodec, ffmpeg: Pick<LocatedMediaTool, 'path' | 'version'>, available: readonly VideoCodec[]): SeamError | undefined {
  if (available.includes(codec)) return undefined;
  const encoder = CODEC_ENCODING[codec].encoder;
  const others = available.length > 0 ? `it can write ${available.join(', ')}` : 'it has none of the encoders Seam uses';
  return new SeamError(
    'BAD_INPUT',
    `${codecLabel(codec)} cannot be written: this ffmpeg (${ffmpeg.path}, ${ffmpeg.version}) has no ${encoder} encoder; ${others}. ` +
      'Choose another codec, or point FFMPEG_PATH at an ffmpeg built with it.',
    { option: 'codec', codec, ffmpeg: ffmpeg.path },
  );
}

function readEncoderList(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(path, ['-hide_banner', '-encoders'], { timeout: 10_000, windowsHide: true, maxBuffer: 4 << 20 }, (error, stdout) => {
      if (error) reject(new SeamError('MISSING_DEPENDENCY', `Could not list the encoders of ffmpeg at ${path}: ${error.message}`, { ffmpeg: path }));
      else resolve(String(stdout));
    });
  });
}

// Per binary and version (a replaced binary at the same path is asked again). Promises, so
// concurrent first calls share one run; a failure is not kept.
const listed = new Map<string, Promise<EncoderEntry[]>>();

/** This ffmpeg's encoders, asked once per binary. */
export function listEncoders(ffmpeg: Pick<LocatedMediaTool, 'path' | 'versionLine'>): Promise<EncoderEntry[]> {
  const key = `${ffmpeg.path}\0${ffmpeg.versionLine}`;
  let promise = listed.get(key);
  if (!promise) {
    promise = readEncoderList(ffmpeg.path).then(parseEncoderList);
    promise.catch(() => listed.delete(key));
    listed.set(key, promise);
  }
  return promise;
}

/** The codecs a render can use with this ffmpeg. */
export async function availableVideoCodecs(ffmpeg: Pick<LocatedMediaTool, 'path' | 'versionLine'>): Promise<VideoCodec[]> {
  return videoCodecsIn(await listEncoders(ffmpeg));
}

/** Throws BAD_INPUT naming the codec when this ffmpeg has no encoder for it. */
export async function requireVideoEncoder(ffmpeg: Pick<LocatedMediaTool, 'path' | 'version' | 'versionLine'>, codec: VideoCodec): Promise<void> {
  const error = missingEncoderError(codec, ffmpeg, await availableVideoCodecs(ffmpeg));
  if (error) throw error;
}
