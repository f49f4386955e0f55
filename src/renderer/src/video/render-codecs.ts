/**
 * The render dialog's codec settings: what changes when the user picks another codec, and the
 * fields a render call carries for it. The codecs, their scales and the files that hold them come
 * from src/shared/video-codecs.ts, the table the contract validates with; which of them this
 * engine's ffmpeg has comes from the `videoCodecs` method.
 */
import { VIDEO_CODEC_FACTS, type VideoCodec, type VideoContainer } from '../../../shared/video-codecs';

export interface RenderSettings {
  container: VideoContainer;
  codec: VideoCodec;
  /** On the codec's own scale; null where the codec's quality is its profile (ProRes). */
  crf: number | null;
  /** One of the codec's presets; null where it has none. */
  preset: string | null;
  /** ProRes's profile; null for the other codecs. */
  profile: string | null;
  fromFrame: number;
  toFrame: number;
}

/**
 * The settings with another codec: its default quality and speed (each codec's scale is its own,
 * so a CRF does not carry over), and the file type kept where it can hold the codec, else the
 * codec's usual one.
 */
export function settingsForCodec(settings: RenderSettings, codec: VideoCodec): RenderSettings {
  const facts = VIDEO_CODEC_FACTS[codec];
  return {
    ...settings,
    codec,
    container: facts.containers.includes(settings.container) ? settings.container : facts.containers[0]!,
    crf: facts.crf?.default ?? null,
    preset: facts.presets?.default ?? null,
    profile: facts.profiles?.default ?? null,
  };
}

/** The codec fields of a renderVideo call: only those the codec has. */
export function qualityFields(settings: RenderSettings): { codec: VideoCodec; crf?: number; preset?: string; profile?: string } {
  return {
    codec: settings.codec,
    ...(settings.crf !== null ? { crf: settings.crf } : {}),
    ...(settings.preset !== null ? { preset: settings.preset } : {}),
    ...(settings.profile !== null ? { profile: settings.profile } : {}),
  };
}

/** The settings a new clip starts with: x264 at its defaults, in an MP4. */
export function defaultRenderSettings(toFrame: number): RenderSettings {
  return settingsForCodec({ container: 'mp4', codec: 'libx264', crf: null, preset: null, profile: null, fromFrame: 0, toFrame }, 'libx264');
}

/** The container's name in the dialog. */
export const CONTAINER_LABELS: Readonly<Record<VideoContainer, string>> = { mp4: 'MP4', mov: 'QuickTime (MOV)', mkv: 'Matroska (MKV)' };
