/**
 * How ffmpeg is told to write each codec of src/shared/video-codecs.ts: the encoder, its quality
 * and speed flags, the pixel format it is fed, and what a container needs for it. Pure, like the
 * rest of the builders; a codec added to the shared table does not compile until it has an entry
 * here.
 */
import { SeamError } from '../../shared/errors';
import {
  PRORES_PROFILES,
  resolveVideoQualityChoice,
  VIDEO_CODEC_FACTS,
  videoQualityProblem,
  type ResolvedVideoQuality,
  type VideoCodec,
  type VideoContainer,
  type VideoQualityChoice,
} from '../../shared/video-codecs';

/** ffmpeg's muxer names for the containers we write (the `-f` value). */
export type Muxer = 'mp4' | 'mov' | 'matroska';

/** The pixel format an encoder is given; ffmpeg converts the 4:2:0 frames where it differs. */
export type EncodePixelFormat = 'yuv420p' | 'yuv422p10le';

interface CodecEncoding {
  /** The ffmpeg encoder (-c:v), as `ffmpeg -encoders` lists it. */
  encoder: string;
  pixelFormat: EncodePixelFormat;
  /** Quality and speed flags, from a choice checked against the shared table. */
  qualityArgs(quality: ResolvedVideoQuality): string[];
  /** Flags a muxer needs for this codec. */
  muxerArgs?: Partial<Record<Muxer, readonly string[]>>;
  /**
   * The encoder writes the colour tags from each frame's own properties, not from the -colorspace
   * family of options (prores_ks): the frames are tagged in the filter graph too.
   */
  tagsFromFrames?: boolean;
}

// Apple's players and browsers open HEVC in MP4/QuickTime only under the `hvc1` sample entry
// (parameter sets in the header); ffmpeg writes `hev1` by default, which they refuse.
const HVC1 = ['-tag:v', 'hvc1'] as const;

export const CODEC_ENCODING: Readonly<Record<VideoCodec, CodecEncoding>> = {
  libx264: {
    encoder: 'libx264',
    pixelFormat: 'yuv420p',
    qualityArgs: (q) => ['-preset', q.preset!, '-crf', String(q.crf)],
  },
  libx265: {
    encoder: 'libx265',
    pixelFormat: 'yuv420p',
    // x265 prints its settings and statistics on stderr whatever ffmpeg's -v says; only its errors
    // belong in the tail a failure's message is made from.
    qualityArgs: (q) => ['-preset', q.preset!, '-crf', String(q.crf), '-x265-params', 'log-level=error'],
    muxerArgs: { mp4: HVC1, mov: HVC1 },
  },
  'libvpx-vp9': {
    encoder: 'libvpx-vp9',
    pixelFormat: 'yuv420p',
    qualityArgs: (q) => [
      // -b:v 0 makes the CRF a constant quality; with a bitrate it would only be a floor.
      '-crf', String(q.crf), '-b:v', '0',
      // The "good" deadline with -cpu-used as the speed: "best" is many times slower for little,
      // "realtime" drops quality to keep a live pace nobody here needs.
      '-deadline', 'good', '-cpu-used', q.preset!,
      // Threads across rows of tiles: without it libvpx uses about one core at these sizes.
      '-row-mt', '1',
    ],
  },
  libsvtav1: {
    encoder: 'libsvtav1',
    pixelFormat: 'yuv420p',
    qualityArgs: (q) => ['-preset', q.preset!, '-crf', String(q.crf)],
  },
  prores_ks: {
    encoder: 'prores_ks',
    // ProRes 422 is 10-bit 4:2:2; ffmpeg upsamples the 4:2:0 frames.
    pixelFormat: 'yuv422p10le',
    // The profile's number, which every prores_ks knows (the names came later to its options).
    qualityArgs: (q) => ['-profile:v', String(PRORES_PROFILES.indexOf(q.profile as (typeof PRORES_PROFILES)[number]))],
    // Without it a ProRes file says nothing of its colours (measured with ffmpeg 5.1: "unknown").
    tagsFromFrames: true,
  },
};

/** The file kind of a muxer, as VIDEO_CODEC_FACTS lists containers. */
export function containerOfMuxer(muxer: Muxer): VideoContainer {
  return muxer === 'matroska' ? 'mkv' : muxer;
}

/** A quality choice checked against the codec's own scales, with its defaults; BAD_INPUT names the option. */
export function resolveVideoQuality(choice: VideoQualityChoice = {}): ResolvedVideoQuality {
  const problem = videoQualityProblem(choice);
  if (problem) throw new SeamError('BAD_INPUT', problem.message, { option: problem.option, value: problem.value });
  return resolveVideoQualityChoice(choice);
}

/** Refuses, before any work, an output file that cannot hold the codec (VP9 in .mov, ProRes in .mp4). */
export function checkCodecContainer(codec: VideoCodec, muxer: Muxer, output?: string): void {
  const facts = VIDEO_CODEC_FACTS[codec];
  const container = containerOfMuxer(muxer);
  if (facts.containers.includes(container)) return;
  const file = output ?? `a .${container} file`;
  const others = facts.containers.map((c) => `.${c}`).join(' or ');
  throw new SeamError('BAD_INPUT', `${facts.label} cannot be written to ${file}; use ${others}, or another codec.`, {
    option: 'container',
    codec,
    container,
  });
}

/**
 * The muxer that writes `codec` into a file of kind `muxer`, and the flags it needs. A container
 * that cannot hold the codec is BAD_INPUT naming both.
 */
export function muxerForCodec(codec: VideoCodec, muxer: Muxer): { muxer: Muxer; args: string[] } {
  checkCodecContainer(codec, muxer);
  return { muxer, args: [...(CODEC_ENCODING[codec].muxerArgs?.[muxer] ?? [])] };
}

/**
 * The muxer a render's segment parts of `codec` are written with: MP4 where the codec goes in one
 * (the join reads the parts by stream copy, whatever the output), else QuickTime (ProRes).
 */
export function segmentMuxer(codec: VideoCodec): 'mp4' | 'mov' {
  return VIDEO_CODEC_FACTS[codec].containers.includes('mp4') ? 'mp4' : 'mov';
}

/** The encoder flags for a resolved choice: -c:v, quality and speed, and the pixel format fed to it. */
export function codecEncodeArgs(quality: ResolvedVideoQuality): { args: string[]; pixelFormat: EncodePixelFormat; tagsFromFrames: boolean } {
  const encoding = CODEC_ENCODING[quality.codec];
  return { args: ['-c:v', encoding.encoder, ...encoding.qualityArgs(quality)], pixelFormat: encoding.pixelFormat, tagsFromFrames: encoding.tagsFromFrames === true };
}

/** The codec's name for people (messages). */
export function codecLabel(codec: VideoCodec): string {
  return VIDEO_CODEC_FACTS[codec].label;
}
