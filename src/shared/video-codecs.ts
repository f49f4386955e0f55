/**
 * The video codecs a render can write, as the user chooses them: one entry per codec with its
 * name for people, the output files that hold it, and its quality and speed scales. The contract
 * validates `renderVideo` against this table, the render dialog draws its controls from it, the CLI
 * prints it in --help, and the engine's ffmpeg builders (src/engine/media/video-codec-args.ts) map
 * each entry to encoder flags. Which of these the user's ffmpeg actually has is the engine's to say
 * (the `videoCodecs` method).
 *
 * Quality is each codec's own scale, not one generic number mapped per codec: a CRF means the same
 * thing here as in ffmpeg's and the codec's documentation (and existing x264 settings, scripts and
 * resumable renders keep working unchanged), and the dialog's slider simply takes the chosen codec's
 * range and default. ProRes has no CRF: its quality is the profile.
 */

export const VIDEO_CODECS = ['libx264', 'libx265', 'libvpx-vp9', 'libsvtav1', 'prores_ks'] as const;
export type VideoCodec = (typeof VIDEO_CODECS)[number];

/** The output files a render writes, by extension. */
export const VIDEO_CONTAINERS = ['mp4', 'mov', 'mkv'] as const;
export type VideoContainer = (typeof VIDEO_CONTAINERS)[number];

/** x264's presets, fastest first; x265 takes the same names. `placebo` is left out on purpose (hours of encoding for nothing visible). */
export const X264_PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'] as const;
export type X264Preset = (typeof X264_PRESETS)[number];

/** ProRes 422 profiles, smallest first (prores_ks's -profile:v 0–3). */
export const PRORES_PROFILES = ['proxy', 'lt', 'standard', 'hq'] as const;

export interface CrfScale {
  min: number;
  max: number;
  default: number;
  /** libvpx and SVT-AV1 take whole numbers only; x264 and x265 take fractions too. */
  wholeNumbers: boolean;
}

export interface NamedChoices {
  /** In the order a list shows them: presets fastest first, profiles smallest first. */
  names: readonly string[];
  default: string;
}

export interface VideoCodecFacts {
  codec: VideoCodec;
  label: string;
  /** Output files that can hold it, the usual one first. */
  containers: readonly VideoContainer[];
  /** Constant quality, lower is better (and larger). Absent where the quality is the profile. */
  crf?: CrfScale;
  /** The speed/size trade-off, fastest first: a slower preset makes a smaller file of the same quality. */
  presets?: NamedChoices;
  /** ProRes: the profile is the quality (and the size). */
  profiles?: NamedChoices & { labels: Readonly<Record<string, string>> };
}

/**
 * Defaults. x264's (CRF 18, medium) are what Seam always used. The others were chosen on this
 * project's 2-core test machine: CRFs that give test/fixtures/media/cap12_cut.mp4 about the SSIM
 * x264 reaches at CRF 23 (0.994; x264's 18 is higher still, which the newer codecs reach only at
 * x264's file size), and presets that encode 720p at about x264 medium's speed (x265 fast 26 fps,
 * VP9 speed 4 23 fps, SVT-AV1 preset 8 25 fps, x264 medium 29 fps). ProRes HQ is what editing
 * applications expect of an intermediate.
 */
export const VIDEO_CODEC_FACTS: Readonly<Record<VideoCodec, VideoCodecFacts>> = {
  libx264: {
    codec: 'libx264',
    label: 'H.264 (x264)',
    containers: ['mp4', 'mov', 'mkv'],
    crf: { min: 0, max: 51, default: 18, wholeNumbers: false },
    presets: { names: X264_PRESETS, default: 'medium' },
  },
  libx265: {
    codec: 'libx265',
    label: 'H.265 / HEVC (x265)',
    containers: ['mp4', 'mov', 'mkv'],
    crf: { min: 0, max: 51, default: 20, wholeNumbers: false },
    presets: { names: X264_PRESETS, default: 'fast' },
  },
  'libvpx-vp9': {
    codec: 'libvpx-vp9',
    label: 'VP9 (libvpx)',
    // ffmpeg's QuickTime muxer refuses VP9 ("vp9 only supported in MP4").
    containers: ['mp4', 'mkv'],
    crf: { min: 0, max: 63, default: 20, wholeNumbers: true },
    // libvpx's -cpu-used under the "good" deadline: 5 is the fastest it has there, 0 the slowest.
    presets: { names: ['5', '4', '3', '2', '1', '0'], default: '4' },
  },
  libsvtav1: {
    codec: 'libsvtav1',
    label: 'AV1 (SVT-AV1)',
    // ffmpeg's QuickTime muxer refuses AV1 ("av1 only supported in MP4 and AVIF").
    containers: ['mp4', 'mkv'],
    // ffmpeg's libsvtav1 reads a CRF of 0 as "not set" and falls back to another rate control.
    crf: { min: 1, max: 63, default: 28, wholeNumbers: true },
    presets: { names: ['13', '12', '11', '10', '9', '8', '7', '6', '5', '4', '3', '2', '1', '0'], default: '8' },
  },
  prores_ks: {
    codec: 'prores_ks',
    label: 'Apple ProRes 422',
    // ProRes has no MP4 sample entry, and players expect it in QuickTime files.
    containers: ['mov'],
    profiles: { names: PRORES_PROFILES, default: 'hq', labels: { proxy: 'Proxy', lt: 'LT', standard: '422', hq: 'HQ' } },
  },
};

/** What a render is asked for; each field absent means the codec's default. */
export interface VideoQualityChoice {
  codec?: string;
  crf?: number;
  preset?: string;
  profile?: string;
}

/** A choice with the codec's defaults filled in, and only the fields that codec has. */
export interface ResolvedVideoQuality {
  codec: VideoCodec;
  crf?: number;
  preset?: string;
  profile?: string;
}

export interface VideoQualityProblem {
  option: 'codec' | 'crf' | 'preset' | 'profile' | 'container';
  value: unknown;
  message: string;
}

export function isVideoCodec(value: unknown): value is VideoCodec {
  return typeof value === 'string' && (VIDEO_CODECS as readonly string[]).includes(value);
}

/**
 * The first thing wrong with a codec choice (and, given one, the output container), or undefined.
 * The one set of rules: the contract reports a problem as a validation issue, the engine as
 * BAD_INPUT naming the option.
 */
export function videoQualityProblem(choice: VideoQualityChoice, container?: VideoContainer): VideoQualityProblem | undefined {
  const codec = choice.codec ?? 'libx264';
  if (!isVideoCodec(codec)) {
    return { option: 'codec', value: codec, message: `Unsupported codec "${codec}"; expected one of: ${VIDEO_CODECS.join(', ')}.` };
  }
  const facts = VIDEO_CODEC_FACTS[codec];
  const { crf, preset, profile } = choice;
  if (crf !== undefined) {
    const scale = facts.crf;
    if (!scale) {
      return { option: 'crf', value: crf, message: `${facts.label} has no CRF: its quality is the profile (${facts.profiles?.names.join(', ')}).` };
    }
    const whole = scale.wholeNumbers ? 'a whole number ' : '';
    if (!Number.isFinite(crf) || crf < scale.min || crf > scale.max || (scale.wholeNumbers && !Number.isInteger(crf))) {
      return { option: 'crf', value: crf, message: `CRF for ${facts.label} must be ${whole}from ${scale.min} to ${scale.max}, got ${crf}.` };
    }
  }
  if (preset !== undefined) {
    if (!facts.presets) return { option: 'preset', value: preset, message: `${facts.label} has no presets${facts.profiles ? `: choose a profile (${facts.profiles.names.join(', ')})` : ''}.` };
    if (!facts.presets.names.includes(preset)) {
      return { option: 'preset', value: preset, message: `Unsupported preset "${preset}" for ${facts.label}; expected one of: ${facts.presets.names.join(', ')} (fastest first).` };
    }
  }
  if (profile !== undefined) {
    if (!facts.profiles) return { option: 'profile', value: profile, message: `${facts.label} has no profiles; only ProRes takes one.` };
    if (!facts.profiles.names.includes(profile)) {
      return { option: 'profile', value: profile, message: `Unsupported profile "${profile}" for ${facts.label}; expected one of: ${facts.profiles.names.join(', ')}.` };
    }
  }
  if (container !== undefined && !facts.containers.includes(container)) {
    const others = facts.containers.map((c) => `.${c}`).join(' or ');
    return { option: 'container', value: container, message: `${facts.label} cannot be written to a .${container} file; use ${others}, or another codec.` };
  }
  return undefined;
}

/** The choice with the codec's defaults; call after videoQualityProblem found nothing. */
export function resolveVideoQualityChoice(choice: VideoQualityChoice): ResolvedVideoQuality {
  const codec = (choice.codec ?? 'libx264') as VideoCodec;
  const facts = VIDEO_CODEC_FACTS[codec];
  return {
    codec,
    ...(facts.crf ? { crf: choice.crf ?? facts.crf.default } : {}),
    ...(facts.presets ? { preset: choice.preset ?? facts.presets.default } : {}),
    ...(facts.profiles ? { profile: choice.profile ?? facts.profiles.default } : {}),
  };
}
