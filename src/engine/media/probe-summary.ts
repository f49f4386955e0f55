/**
 * ffprobe's JSON (-show_format -show_streams) turned into the few facts the engine uses. Pure: the
 * spawning is in run-ffmpeg.ts. ffprobe writes most numbers as strings and leaves fields out when
 * a container does not know them (mkv has no nb_frames), so every such field is optional here.
 */

export interface FrameRate {
  /** Exactly as ffprobe wrote it ("30000/1001"): pass this to the encoder, not the float. */
  text: string;
  value: number;
}

export interface VideoStreamSummary {
  index: number;
  codec: string;
  profile?: string;
  /** Coded size, as stored. */
  width: number;
  height: number;
  /** Size after rotation: the size decoded frames come out at (ffmpeg rotates them upright). */
  displayWidth: number;
  displayHeight: number;
  pixelFormat?: string;
  bitDepth?: number;
  /** The stream's colour tags as ffprobe names them (absent when untagged). */
  colour?: ColourTags;
  /** r_frame_rate: the base rate every timestamp fits (what a constant-rate encode should use). */
  realFrameRate?: FrameRate;
  /** avg_frame_rate: frames / duration; differs from realFrameRate for variable-rate footage. */
  averageFrameRate?: FrameRate;
  /** nb_frames from the container, when it stores one. */
  frameCount?: number;
  /** Degrees clockwise the frames must turn to display upright: 0, 90, 180 or 270. */
  rotation: number;
  durationSeconds?: number;
  /** Cover art in an audio file or mp4 shows up as a one-frame "video" stream. */
  isAttachedPicture: boolean;
}

/** ffprobe's color_space, color_primaries, color_transfer and color_range ("unknown" left out). */
export interface ColourTags {
  space?: string;
  primaries?: string;
  transfer?: string;
  range?: string;
}

export interface AudioStreamSummary {
  index: number;
  codec: string;
  channels?: number;
  channelLayout?: string;
  sampleRate?: number;
  durationSeconds?: number;
}

export interface MediaSummary {
  file: string;
  /** ffprobe's format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm". */
  container: string;
  durationSeconds?: number;
  sizeBytes?: number;
  bitRate?: number;
  tags: Record<string, string>;
  /** The stream decoding uses: the first video stream that is not cover art. */
  video?: VideoStreamSummary;
  videoStreams: VideoStreamSummary[];
  audioStreams: AudioStreamSummary[];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function num(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number.parseFloat(value) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function stringTags(value: unknown): Record<string, string> {
  const tags: Record<string, string> = {};
  if (isObject(value)) for (const [key, tag] of Object.entries(value)) if (typeof tag === 'string') tags[key] = tag;
  return tags;
}

/** "30000/1001" → { text, value }; "0/0" (unknown, as for audio streams) → undefined. */
export function parseFrameRate(text: unknown): FrameRate | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]) / Number(match[2]);
  return Number.isFinite(value) && value > 0 ? { text, value } : undefined;
}

/**
 * Clockwise degrees to display upright. The display matrix's `rotation` is counter-clockwise
 * (a phone's portrait clip reads -90) while the old `rotate` tag is clockwise (90).
 */
export function rotationOf(stream: Record<string, unknown>): number {
  const sideData = Array.isArray(stream.side_data_list) ? stream.side_data_list : [];
  const matrix = sideData.find((entry) => isObject(entry) && entry.side_data_type === 'Display Matrix');
  const counterClockwise = isObject(matrix) ? num(matrix.rotation) : undefined;
  const clockwise = counterClockwise !== undefined ? -counterClockwise : num(stringTags(stream.tags).rotate);
  if (clockwise === undefined) return 0;
  // Snap to a quarter turn; a matrix can carry float noise (89.99).
  return (((Math.round(clockwise / 90) * 90) % 360) + 360) % 360;
}

/** bits_per_raw_sample when the decoder reports it, else read from the pixel format name. */
export function bitDepthOf(pixelFormat: string | undefined, bitsPerRawSample: unknown): number | undefined {
  const raw = num(bitsPerRawSample);
  if (raw !== undefined && raw > 0) return raw;
  if (pixelFormat === undefined) return undefined;
  const deep =
    /p(9|10|12|14|16)(le|be)?$/.exec(pixelFormat) ?? // planar YUV: yuv420p10le
    /^p0(10|12|16)(le|be)?$/.exec(pixelFormat) ?? // semi-planar from hardware decoders: p010le
    /^(?:rgb|bgr|rgba|bgra|gray)(16|48|64)(le|be)?$/.exec(pixelFormat);
  if (deep?.[1] !== undefined) {
    const bits = Number(deep[1]);
    // rgb48/rgba64 name the whole pixel, not one channel.
    return bits === 48 || bits === 64 ? 16 : bits;
  }
  return /^(yuvj?4[0-4][0-9]p|yuva4[0-4][0-9]p|nv12|nv21|rgb24|bgr24|rgba|bgra|argb|abgr|gray|pal8)$/.test(pixelFormat) ? 8 : undefined;
}

function videoStream(stream: Json): VideoStreamSummary | undefined {
  const width = num(stream.width);
  const height = num(stream.height);
  if (width === undefined || height === undefined || width <= 0 || height <= 0) return undefined;
  const rotation = rotationOf(stream);
  const sideways = rotation === 90 || rotation === 270;
  const pixelFormat = str(stream.pix_fmt);
  const disposition = isObject(stream.disposition) ? stream.disposition : {};
  const summary: VideoStreamSummary = {
    index: num(stream.index) ?? 0,
    codec: str(stream.codec_name) ?? 'unknown',
    width,
    height,
    displayWidth: sideways ? height : width,
    displayHeight: sideways ? width : height,
    rotation,
    isAttachedPicture: num(disposition.attached_pic) === 1,
  };
  const optional = {
    profile: str(stream.profile),
    pixelFormat,
    bitDepth: bitDepthOf(pixelFormat, stream.bits_per_raw_sample),
    realFrameRate: parseFrameRate(stream.r_frame_rate),
    averageFrameRate: parseFrameRate(stream.avg_frame_rate),
    frameCount: num(stream.nb_frames),
    durationSeconds: num(stream.duration),
    colour: colourTags(stream),
  };
  return Object.assign(summary, withoutUndefined(optional));
}

function colourTags(stream: Json): ColourTags | undefined {
  const tag = (value: unknown) => {
    const text = str(value);
    return text === undefined || text === 'unknown' || text === 'unspecified' ? undefined : text;
  };
  const tags = withoutUndefined({ space: tag(stream.color_space), primaries: tag(stream.color_primaries), transfer: tag(stream.color_transfer), range: tag(stream.color_range) });
  return Object.keys(tags).length > 0 ? tags : undefined;
}

function audioStream(stream: Json): AudioStreamSummary {
  const summary: AudioStreamSummary = { index: num(stream.index) ?? 0, codec: str(stream.codec_name) ?? 'unknown' };
  const optional = {
    channels: num(stream.channels),
    channelLayout: str(stream.channel_layout),
    sampleRate: num(stream.sample_rate),
    durationSeconds: num(stream.duration),
  };
  return Object.assign(summary, withoutUndefined(optional));
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Returns undefined when the JSON is not ffprobe output at all (the caller reports bad input). */
export function summarizeProbe(file: string, probe: unknown): MediaSummary | undefined {
  if (!isObject(probe) || !isObject(probe.format)) return undefined;
  const streams = Array.isArray(probe.streams) ? probe.streams.filter(isObject) : [];
  const videoStreams = streams
    .filter((stream) => stream.codec_type === 'video')
    .map(videoStream)
    .filter((stream): stream is VideoStreamSummary => stream !== undefined);
  const audioStreams = streams.filter((stream) => stream.codec_type === 'audio').map(audioStream);
  const format = probe.format;
  const summary: MediaSummary = {
    file,
    container: str(format.format_name) ?? 'unknown',
    tags: stringTags(format.tags),
    videoStreams,
    audioStreams,
  };
  const optional = {
    durationSeconds: num(format.duration),
    sizeBytes: num(format.size),
    bitRate: num(format.bit_rate),
    video: videoStreams.find((stream) => !stream.isAttachedPicture),
  };
  return Object.assign(summary, withoutUndefined(optional));
}

/** nb_frames when the container stores it, else duration × average rate (rounded). */
export function estimatedFrameCount(summary: MediaSummary): number | undefined {
  const video = summary.video;
  if (!video) return undefined;
  if (video.frameCount !== undefined && video.frameCount > 0) return video.frameCount;
  const duration = video.durationSeconds ?? summary.durationSeconds;
  const rate = video.averageFrameRate ?? video.realFrameRate;
  return duration !== undefined && rate !== undefined ? Math.round(duration * rate.value) : undefined;
}
