/**
 * ffmpeg/ffprobe argument builders: pure functions from options to string[]. No I/O, no spawning
 * (that lives in run-ffmpeg.ts), so every flag can be pinned by a unit test without ffmpeg.
 * Each builder validates its options and throws SeamError('BAD_INPUT') naming the bad option.
 */
import { SeamError } from '../../shared/errors';
import type { VideoCodec } from '../../shared/video-codecs';
import type { ColourTags } from './probe-summary';
import { codecEncodeArgs, muxerForCodec, resolveVideoQuality, type Muxer } from './video-codec-args';
import {
  ffmpegPath,
  validateEvenDimensionMode,
  validateFrameRate,
  validateFrameSize,
  validateMetadata,
  validateOneOf,
  validateTimeRange,
  type TimeRange,
} from './ffmpeg-options';

export type { TimeRange } from './ffmpeg-options';

/**
 * Raw frame layouts on a pipe. `yuv420p` is what video decoders give and H.264 takes: frames that
 * travel as it cost ffmpeg no colour conversion either way and half the bytes of rgb24.
 */
export const RAW_PIXEL_FORMATS = ['rgb24', 'rgba', 'yuv420p'] as const;
export type RawPixelFormat = (typeof RAW_PIXEL_FORMATS)[number];

/** Bytes of one raw frame, packed as ffmpeg's rawvideo writes it (no row padding; 4:2:0 chroma rounds up). */
export function rawFrameBytes(format: RawPixelFormat, width: number, height: number): number {
  if (format === 'yuv420p') return width * height + 2 * Math.ceil(width / 2) * Math.ceil(height / 2);
  return width * height * (format === 'rgba' ? 4 : 3);
}

/** Containers we write; the temp output's extension is meaningless, so the muxer is named with -f. */
export const OUTPUT_CONTAINERS = ['mp4', 'mov', 'matroska'] as const;
export type OutputContainer = (typeof OUTPUT_CONTAINERS)[number];

/**
 * The codecs a render can write, their quality scales and the files that hold them: one table in
 * src/shared/video-codecs.ts (what users choose), mapped to encoder flags in video-codec-args.ts.
 */
export { VIDEO_CODECS, X264_PRESETS, type VideoCodec, type X264Preset } from '../../shared/video-codecs';

export const AUDIO_HANDLINGS = ['copy', 'aac'] as const;
/** `copy` keeps the source's audio bit for bit; `aac` re-encodes it where the container needs that. */
export type AudioHandling = (typeof AUDIO_HANDLINGS)[number];

export const EVEN_DIMENSION_MODES = ['crop', 'pad'] as const;
/** yuv420p needs even sizes: `crop` drops the last odd row/column, `pad` adds a black one. */
export type EvenDimensionMode = (typeof EVEN_DIMENSION_MODES)[number];

/** -fps_mode arrived in ffmpeg 5.1 and -vsync is deprecated there; older builds only know -vsync. */
export type FrameRateFlag = 'fps_mode' | 'vsync';

/**
 * A codec and its quality, each on the codec's own scale (VIDEO_CODEC_FACTS); an absent field is
 * the codec's default (nothing at all: libx264, CRF 18, medium, as Seam always wrote), and a field
 * the codec does not have (a CRF for ProRes) is BAD_INPUT.
 */
export interface VideoQuality {
  codec?: VideoCodec;
  /** Constant Rate Factor, lower is better: 0–51 for x264 and x265 (18 is visually lossless for most footage with x264), 0–63 for VP9, 1–63 for AV1. */
  crf?: number;
  /** The speed/size trade-off: x264/x265 preset names, VP9's -cpu-used and SVT-AV1's preset numbers as text. */
  preset?: string;
  /** ProRes only: proxy, lt, standard or hq. */
  profile?: string;
}

export const DEFAULT_AAC_BITRATE_KBPS = 192;

export interface SeamMetadata {
  /** Appended to the comment: "Edited with Seam 0.1.0". */
  appVersion?: string;
  /** More tags (title, …). `comment` cannot be overridden: the Seam mark is an invariant. */
  extra?: Record<string, string>;
}

/** Every ffmpeg run starts like this: quiet stderr except errors, progress as key=value lines. */
function ffmpegPreamble(): string[] {
  return [
    '-hide_banner',
    // Never read keys from stdin: a stray byte would be taken as a command ('q' quits).
    '-nostdin',
    // Only errors on stderr, so the tail we keep for error messages is the failure, not chatter.
    '-v', 'error',
    // The human status line is replaced by machine-readable -progress blocks on stderr (stdout may
    // carry raw frames), which run-ffmpeg.ts parses.
    '-nostats',
    '-progress', 'pipe:2',
  ];
}

function seconds(value: number): string {
  // ffmpeg does not parse exponent notation (1e-7), so always print plain decimals.
  return value.toFixed(6).replace(/\.?0+$/, '');
}

/** Input-side trim: -ss before -i seeks fast and (when decoding) still frame-accurately; -t is a duration. */
function trimmedInput(path: string, range: TimeRange, what: string): string[] {
  validateTimeRange(range, what);
  const args: string[] = [];
  const start = range.startSeconds ?? 0;
  if (range.startSeconds !== undefined && range.startSeconds > 0) args.push('-ss', seconds(range.startSeconds));
  if (range.endSeconds !== undefined) args.push('-t', seconds(range.endSeconds - start));
  args.push('-i', ffmpegPath(path));
  return args;
}

/** `ffprobe` arguments for a JSON description of every stream and the container. */
export function buildProbeArgs(file: string): string[] {
  if (file.length === 0) throw new SeamError('BAD_INPUT', 'No file was given to probe.');
  return ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ffmpegPath(file)];
}

export interface DecodeToRawOptions extends TimeRange {
  input: string;
  pixelFormat?: RawPixelFormat;
  frameRateFlag?: FrameRateFlag;
  /**
   * Make odd sizes even before the conversion to the raw format (yuv420p frames bound for H.264
   * 4:2:0): converting first would subsample the chroma of an odd width, shifting it.
   */
  evenDimensions?: EvenDimensionMode;
}

/**
 * Decode the first real video stream to raw frames on stdout: width×height×bytesPerPixel bytes
 * per frame, top row first. Frames come out upright (ffmpeg applies the rotation matrix), so their
 * size is the probe's displayWidth×displayHeight.
 */
export function buildDecodeToRawArgs(options: DecodeToRawOptions): string[] {
  const pixelFormat = validateOneOf(options.pixelFormat ?? 'rgb24', RAW_PIXEL_FORMATS, 'pixelFormat');
  const frameRateFlag = validateOneOf(options.frameRateFlag ?? 'fps_mode', ['fps_mode', 'vsync'] as const, 'frameRateFlag');
  return [
    ...ffmpegPreamble(),
    ...trimmedInput(options.input, options, 'decode range'),
    // V (capital) skips attached pictures such as cover art, which would otherwise be "video".
    '-map', '0:V:0',
    // Frames only: no audio, subtitles or data in the raw stream.
    '-an', '-sn', '-dn',
    // Pass every decoded frame through: no duplicating or dropping to reach a constant rate, so
    // frame N of the output is frame N of the source.
    `-${frameRateFlag}`, 'passthrough',
    ...(options.evenDimensions ? ['-vf', evenSizeFilter(validateEvenDimensionMode(options.evenDimensions))] : []),
    '-f', 'rawvideo',
    '-pix_fmt', pixelFormat,
    'pipe:1',
  ];
}

/** A filter that makes the frame size even (a no-op on even sizes), keeping the top-left corner in place. */
function evenSizeFilter(mode: EvenDimensionMode): string {
  return mode === 'crop' ? 'crop=trunc(iw/2)*2:trunc(ih/2)*2:0:0' : 'pad=ceil(iw/2)*2:ceil(ih/2)*2:0:0';
}

export interface SourceAudio extends TimeRange {
  /** The original file whose audio goes into the output (same range as the frames were decoded from). */
  source: string;
  codec: AudioHandling;
  bitrateKbps?: number;
}

export interface EncodeFromRawOptions {
  /** A temp path: the caller renames it into place only after ffmpeg succeeded. */
  output: string;
  container: OutputContainer;
  width: number;
  height: number;
  /** Frames per second, as a number or the probe's exact rational ("30000/1001"). */
  frameRate: number | string;
  pixelFormat?: RawPixelFormat;
  /**
   * yuv420p frames only: the source's colour tags, written on the output so players decode its
   * untouched YUV as they decoded the source's (RGB frames are converted to BT.709 and tagged so).
   */
  colour?: ColourTags;
  quality?: VideoQuality;
  evenDimensions?: EvenDimensionMode;
  audio?: SourceAudio;
  metadata?: SeamMetadata;
}

/** The size frames of width×height are encoded at, after making both sides even. */
export function evenFrameSize(width: number, height: number, mode: EvenDimensionMode = 'crop'): { width: number; height: number } {
  const even = (n: number) => (n % 2 === 0 ? n : mode === 'crop' ? n - 1 : n + 1);
  return { width: even(width), height: even(height) };
}

/**
 * Encode raw frames read from stdin with the chosen codec (H.264 yuv420p unless asked otherwise),
 * optionally with the source's audio. RGB frames are converted (BT.709, limited range); yuv420p
 * frames are encoded as they are (or converted to the codec's own layout: 4:2:2 10-bit for ProRes).
 */
export function buildEncodeFromRawArgs(options: EncodeFromRawOptions): string[] {
  const pixelFormat = validateOneOf(options.pixelFormat ?? 'rgb24', RAW_PIXEL_FORMATS, 'pixelFormat');
  const container = validateOneOf(options.container, OUTPUT_CONTAINERS, 'container');
  validateFrameSize(options.width, options.height);
  const frameRate = validateFrameRate(options.frameRate);
  const mode = validateEvenDimensionMode(options.evenDimensions);

  const args = [
    ...ffmpegPreamble(),
    // The temp output is ours to overwrite (and -nostdin would turn the "overwrite?" prompt into a failure).
    '-y',
    // Raw frames carry no header, so their layout, size and rate must be stated before the input.
    '-f', 'rawvideo',
    '-pix_fmt', pixelFormat,
    '-s', `${options.width}x${options.height}`,
    '-r', frameRate,
    '-i', 'pipe:0',
  ];
  if (options.audio) args.push(...trimmedInput(options.audio.source, options.audio, 'audio range'));
  args.push('-map', '0:v:0');
  // `?`: a source without sound is fine, the output just has none.
  if (options.audio) args.push('-map', '1:a?');

  const size = evenFrameSize(options.width, options.height, mode);
  const needsResize = size.width !== options.width || size.height !== options.height;
  const resize = needsResize ? [`${mode}=${size.width}:${size.height}:0:0`] : [];
  const colour: EncodeColour = pixelFormat === 'yuv420p' ? { tags: options.colour ?? {} } : 'from-rgb';
  const video = videoEncodeArgs(resize, options.quality, colour, container);
  args.push(...video.args);
  if (options.audio) args.push(...audioEncodeArgs(options.audio.codec, options.audio.bitrateKbps));
  args.push(...outputArgs(options.output, video.muxer, options.metadata));
  return args;
}

export interface ReencodeOptions extends TimeRange {
  input: string;
  output: string;
  container: OutputContainer;
  quality?: VideoQuality;
  evenDimensions?: EvenDimensionMode;
  /** `none` drops the sound; otherwise it is copied or re-encoded like in buildEncodeFromRawArgs. */
  audio?: AudioHandling | 'none';
  audioBitrateKbps?: number;
  frameRateFlag?: FrameRateFlag;
  metadata?: SeamMetadata;
}

/**
 * Re-encode a clip with the same video settings as the editing pipeline and no edits: the baseline
 * tests and benchmarks compare against (what quality and time the encode alone costs).
 */
export function buildReencodeArgs(options: ReencodeOptions): string[] {
  const container = validateOneOf(options.container, OUTPUT_CONTAINERS, 'container');
  const mode = validateEvenDimensionMode(options.evenDimensions);
  const audio = validateOneOf(options.audio ?? 'copy', [...AUDIO_HANDLINGS, 'none'] as const, 'audio');
  const frameRateFlag = validateOneOf(options.frameRateFlag ?? 'fps_mode', ['fps_mode', 'vsync'] as const, 'frameRateFlag');
  // The size is not known here, so the even-size step is an expression (a no-op on even sizes).
  const resize = evenSizeFilter(mode);
  const args = [
    ...ffmpegPreamble(),
    '-y',
    ...trimmedInput(options.input, options, 're-encode range'),
    '-map', '0:V:0',
    // Same frame handling as the decode step, so the baseline has exactly the pipeline's frames.
    `-${frameRateFlag}`, 'passthrough',
  ];
  if (audio !== 'none') args.push('-map', '0:a?');
  // The decoded frames' own colour tags reach the encoder by themselves: no conversion, as in the pipeline.
  const video = videoEncodeArgs([resize], options.quality, { tags: {} }, container);
  args.push(...video.args);
  if (audio !== 'none') args.push(...audioEncodeArgs(audio, options.audioBitrateKbps));
  args.push(...outputArgs(options.output, video.muxer, options.metadata));
  return args;
}

/** RGB frames are converted to YUV here; YUV frames pass as they are, with the tags given (if any). */
type EncodeColour = 'from-rgb' | { tags: ColourTags };

/**
 * The video half of an encode: filters, the codec's encoder and quality flags, the pixel format it
 * takes, colour tags, and the muxer (with the flags it needs for the codec) that writes `container`.
 */
function videoEncodeArgs(resizeFilters: string[], quality: VideoQuality = {}, colour: EncodeColour, container: OutputContainer): { args: string[]; muxer: Muxer } {
  const resolved = resolveVideoQuality(quality);
  const encoder = codecEncodeArgs(resolved);
  const muxer = muxerForCodec(resolved.codec, container);
  const filters = [...resizeFilters];
  if (colour === 'from-rgb') {
    filters.push(
      // Convert RGB to YUV with the BT.709 matrix in limited range ourselves and tag the stream so:
      // players assume 709 for video, and ffmpeg's implicit conversion would use 601 untagged, which
      // shifts colours visibly (greens and reds) on every player that guesses 709.
      'scale=out_color_matrix=bt709:out_range=tv',
      // The codec's own layout (4:2:0 for the delivery codecs, which every hardware decoder and
      // browser plays); x264 would pick 4:4:4 for RGB input.
      `format=${encoder.pixelFormat}`,
    );
  }
  const tags = colour === 'from-rgb' ? { space: 'bt709', primaries: 'bt709', transfer: 'bt709', range: 'tv' } : colour.tags;
  const frameTags = encoder.tagsFromFrames ? frameTagFilter(tags) : undefined;
  if (frameTags) filters.push(frameTags);
  const args = [
    ...(filters.length > 0 ? ['-vf', filters.join(',')] : []),
    ...encoder.args,
    '-pix_fmt', encoder.pixelFormat,
    // Tags saying how the YUV was made, so decoders undo it with the same matrix and range.
    ...colourTagArgs(tags),
    ...muxer.args,
  ];
  return { args, muxer: muxer.muxer };
}

// The names are ffprobe's (libavutil's own names, which ffmpeg's options take back); anything
// else in a file's tags is dropped rather than passed on as an argument.
const TAG_NAME = /^[a-z0-9_-]+$/;

/** Only the tags known: an untagged source stays untagged (players then guess as they did for it). */
function colourTagArgs(tags: ColourTags): string[] {
  const args: string[] = [];
  const add = (flag: string, value: string | undefined) => {
    if (value && TAG_NAME.test(value)) args.push(flag, value);
  };
  add('-colorspace', tags.space);
  add('-color_primaries', tags.primaries);
  add('-color_trc', tags.transfer);
  add('-color_range', tags.range);
  return args;
}

/** The same tags set on each frame (setparams), for encoders that read them there; none known: no filter. */
function frameTagFilter(tags: ColourTags): string | undefined {
  const params: string[] = [];
  const add = (name: string, value: string | undefined) => {
    // "reserved" is a name ffprobe prints that no option takes back.
    if (value && TAG_NAME.test(value) && value !== 'reserved') params.push(`${name}=${value}`);
  };
  add('range', tags.range);
  add('color_primaries', tags.primaries);
  add('color_trc', tags.transfer);
  add('colorspace', tags.space);
  return params.length > 0 ? `setparams=${params.join(':')}` : undefined;
}

/** The audio codec flags: copy as it is, or AAC at a bitrate (checked). */
export function audioEncodeArgs(codec: AudioHandling, bitrateKbps = DEFAULT_AAC_BITRATE_KBPS): string[] {
  const handling = validateOneOf(codec, AUDIO_HANDLINGS, 'audio codec');
  if (handling === 'copy') return ['-c:a', 'copy'];
  if (!Number.isInteger(bitrateKbps) || bitrateKbps < 32 || bitrateKbps > 512) {
    throw new SeamError('BAD_INPUT', `Audio bitrate must be a whole number of kbit/s from 32 to 512, got ${bitrateKbps}.`, {
      option: 'bitrateKbps',
      value: bitrateKbps,
    });
  }
  return ['-c:a', 'aac', '-b:a', `${bitrateKbps}k`];
}

/** Seam's metadata mark, faststart for MP4/MOV, the container and the output path. */
export function outputArgs(output: string, container: OutputContainer, metadata: SeamMetadata = {}): string[] {
  const extra = validateMetadata(metadata.extra ?? {});
  const comment = metadata.appVersion ? `Edited with Seam ${metadata.appVersion}` : 'Edited with Seam';
  const args = ['-metadata', `comment=${comment}`];
  for (const [key, value] of Object.entries(extra)) args.push('-metadata', `${key}=${value}`);
  // Move the index (moov) to the front so the file plays while it downloads or streams from disk.
  if (container !== 'matroska') args.push('-movflags', '+faststart');
  args.push('-f', container, ffmpegPath(output));
  return args;
}

/** Audio codecs each container takes as-is; anything else is re-encoded to AAC. */
const COPYABLE_AUDIO: Readonly<Record<OutputContainer, ReadonlySet<string> | 'any'>> = {
  mp4: new Set(['aac', 'mp3', 'ac3', 'eac3', 'alac']),
  mov: new Set(['aac', 'mp3', 'ac3', 'eac3', 'alac', 'pcm_s16le', 'pcm_s16be', 'pcm_s24le', 'pcm_s24be', 'pcm_f32le']),
  matroska: 'any',
};

/**
 * Whether the source's audio can be copied into the container or must become AAC. Pass the codec
 * names from probeMedia's audio streams; with no audio the answer does not matter ('copy').
 */
export function chooseAudioHandling(container: OutputContainer, sourceAudioCodecs: readonly string[]): AudioHandling {
  const copyable = COPYABLE_AUDIO[validateOneOf(container, OUTPUT_CONTAINERS, 'container')];
  if (copyable === 'any') return 'copy';
  return sourceAudioCodecs.every((codec) => copyable.has(codec)) ? 'copy' : 'aac';
}

/** True when this ffmpeg knows -fps_mode (5.1 and later, and git builds, which report no number). */
export function frameRateFlagFor(version: { major?: number; minor?: number }): FrameRateFlag {
  if (version.major === undefined) return 'fps_mode';
  return version.major > 5 || (version.major === 5 && (version.minor ?? 0) >= 1) ? 'fps_mode' : 'vsync';
}
