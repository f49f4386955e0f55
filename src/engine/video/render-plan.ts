/**
 * What a render of a given clip will be, decided from the probe before any frame is decoded:
 * frame size, frame rate, expected frame count, what happens to the sound, and the notes the
 * user should read (rotation applied, odd size cropped, 10-bit brought to 8-bit, variable rate).
 */
import { SeamError } from '../../shared/errors';
import { chooseAudioHandling, evenFrameSize, type AudioHandling, type EvenDimensionMode, type OutputContainer, type TimeRange } from '../media/ffmpeg-args';
import { estimatedFrameCount, type ColourTags, type MediaSummary, type VideoStreamSummary } from '../media/probe-summary';
import { frameColourOf, type FrameColour } from './video-frame';

export interface RenderPlan {
  /** The frames' size as decoded, edited and written: upright, made even (see evenDimensions). */
  width: number;
  height: number;
  /** The upright size of the source's frames, before being made even. */
  displayWidth: number;
  displayHeight: number;
  /** How an odd size is made even, in the decode (frame-decoder.ts): crop or pad the last row/column. */
  evenDimensions: EvenDimensionMode;
  /** The encoder's constant rate, as exact rational text where ffprobe gave one. */
  frameRate: string;
  frameRateValue: number;
  variableFrameRate: boolean;
  /** Frames the clip (or range) should have; absent when the container does not say. */
  expectedFrames?: number;
  /** From the container's frame count, for catching a file that ends early (only without a range). */
  containerFrames?: number;
  /**
   * Where the container states no frame count (Matroska, WebM): its stated duration × rate. Only
   * an estimate (rates round, VFR varies), so it is checked with a margin and only when the decode
   * itself reported damage.
   */
  durationFrames?: number;
  /** undefined: the source has no sound. */
  audio?: AudioHandling;
  /** What the decoded yuv420p frames' values mean (for edits that need RGB). */
  colour: FrameColour;
  /** The tags the output carries: the source's, for the same YUV values (see decodedColourTags). */
  colourTags: ColourTags;
  notes: string[];
}

/** Average rates closer than this to the base rate are the same rate (container rounding). */
const SAME_RATE_TOLERANCE = 0.01;

/**
 * The rate the encoder is told. A constant-rate clip is written at exactly that rate. For a
 * variable-rate clip (a phone's) each frame is then written at its own time (frame-times.ts); the
 * average rate is only the step for a frame past the known times and the encoder's hint, while
 * r_frame_rate (often 2× or 120 there) would be wrong for both.
 */
export function outputFrameRate(video: VideoStreamSummary): { text: string; value: number; variable: boolean } | undefined {
  const real = video.realFrameRate;
  const average = video.averageFrameRate;
  if (real && average && Math.abs(average.value - real.value) / real.value > SAME_RATE_TOLERANCE) {
    return { text: average.text, value: average.value, variable: true };
  }
  const rate = real ?? average;
  return rate ? { text: rate.text, value: rate.value, variable: false } : undefined;
}

export function planRender(summary: MediaSummary, container: OutputContainer, range: TimeRange, evenDimensions: EvenDimensionMode): RenderPlan {
  const video = summary.video;
  if (!video) throw new SeamError('BAD_INPUT', `${summary.file} has no video stream.`, { file: summary.file });
  const rate = outputFrameRate(video);
  if (!rate) throw new SeamError('BAD_INPUT', `${summary.file} states no frame rate; Seam cannot keep its timing.`, { file: summary.file });
  const width = video.displayWidth;
  const height = video.displayHeight;
  const size = evenFrameSize(width, height, evenDimensions);
  const notes: string[] = [];
  if (video.rotation !== 0) notes.push(`The clip is stored turned ${video.rotation}°; the output holds upright frames and no rotation flag, so it displays the same.`);
  if (size.width !== width || size.height !== height) {
    notes.push(`${width}×${height} is not even, which H.264 4:2:0 needs; the output is ${size.width}×${size.height} (${evenDimensions === 'crop' ? 'last row/column cropped' : 'padded'}).`);
  }
  if ((video.bitDepth ?? 8) > 8) notes.push(`The clip is ${video.bitDepth}-bit; frames are edited and written as 8-bit.`);
  if (rate.variable) notes.push(`The clip has a variable frame rate (${rate.value.toFixed(3)} fps on average); every frame is kept at its own time.`);

  const durationSeconds = video.durationSeconds ?? summary.durationSeconds;
  const containerFrames = estimatedFrameCount(summary);
  let expectedFrames = containerFrames;
  const start = range.startSeconds ?? 0;
  if (range.startSeconds !== undefined || range.endSeconds !== undefined) {
    const end = Math.min(range.endSeconds ?? Infinity, durationSeconds ?? Infinity);
    expectedFrames = Number.isFinite(end) ? Math.max(0, Math.round((end - start) * rate.value)) : undefined;
    if (durationSeconds !== undefined && start >= durationSeconds) {
      throw new SeamError('BAD_INPUT', `${summary.file} is ${durationSeconds.toFixed(2)} s long; the range starts at ${start} s.`, { file: summary.file });
    }
  }
  if (expectedFrames === 0) throw new SeamError('BAD_INPUT', `${summary.file} has no video frames${range.startSeconds !== undefined || range.endSeconds !== undefined ? ' in the chosen range' : ''}.`, { file: summary.file });

  const codecs = summary.audioStreams.map((stream) => stream.codec);
  const colourTags = decodedColourTags(video);
  const plan: RenderPlan = {
    width: size.width,
    height: size.height,
    displayWidth: width,
    displayHeight: height,
    evenDimensions,
    frameRate: rate.text,
    frameRateValue: rate.value,
    variableFrameRate: rate.variable,
    colour: frameColourOf(colourTags, height),
    colourTags,
    notes,
  };
  if (expectedFrames !== undefined) plan.expectedFrames = expectedFrames;
  const ranged = range.startSeconds !== undefined || range.endSeconds !== undefined;
  if (containerFrames !== undefined && !ranged && video.frameCount !== undefined) plan.containerFrames = containerFrames;
  else if (containerFrames !== undefined && !ranged) plan.durationFrames = containerFrames;
  if (codecs.length > 0) {
    plan.audio = chooseAudioHandling(container, codecs);
    if (plan.audio === 'aac') notes.push(`The sound (${codecs.join(', ')}) cannot go into this container as it is; it is re-encoded to AAC.`);
  }
  return plan;
}

/**
 * The colour tags of the source's frames once decoded to yuv420p: its own, except where ffmpeg's
 * conversion to yuv420p changed their meaning. JPEG-range formats (yuvj…) come out limited range;
 * RGB sources are converted by ffmpeg's default matrix, BT.601, limited range.
 */
export function decodedColourTags(video: VideoStreamSummary): ColourTags {
  const format = video.pixelFormat ?? '';
  if (/^(rgb|bgr|gbr|argb|abgr|0rgb|0bgr|pal8)/.test(format)) return { space: 'smpte170m', range: 'tv' };
  const tags = { ...video.colour };
  if (format.startsWith('yuvj')) tags.range = 'tv';
  return tags;
}
