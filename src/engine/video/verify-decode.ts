/**
 * After the last frame: was that the whole clip? ffmpeg skips over damage and exits 0, so a file
 * cut short (a copy that stopped, a phone that died mid-recording) would otherwise render into a
 * shorter video without a word. The container's frame count is the promise checked against.
 */
import { SeamError } from '../../shared/errors';
import type { DecodeOutcome } from './frame-decoder';
import type { RenderPlan } from './render-plan';

export function verifyDecodedFrames(input: string, plan: RenderPlan, decode: DecodeOutcome): void {
  if (decode.frames === 0) {
    throw new SeamError('BAD_INPUT', `${input} has no video frames Seam can decode.`, { file: input });
  }
  const promised = plan.containerFrames;
  const damaged = decode.stderrTail.length > 0 || decode.leftoverBytes > 0;
  if (promised !== undefined && decode.frames < promised && damaged) {
    const reason = decode.stderrTail.at(-1) ?? 'the stream ends inside a frame';
    throw new SeamError(
      'BAD_INPUT',
      `${input} is damaged or cut short: it should hold ${promised} frames but only ${decode.frames} could be decoded (${reason}).`,
      { file: input, promised, decoded: decode.frames },
    );
  }
  // Matroska/WebM state a duration, not a frame count: a cut file still claims its full length.
  // 2 % and one frame of slack cover a rate rounded in the header and a VFR clip's average.
  const estimate = plan.durationFrames;
  if (promised === undefined && estimate !== undefined && damaged && decode.frames < estimate * 0.98 - 1) {
    const reason = decode.stderrTail.at(-1) ?? 'the stream ends inside a frame';
    throw new SeamError(
      'BAD_INPUT',
      `${input} is damaged or cut short: its stated length is about ${estimate} frames but only ${decode.frames} could be decoded (${reason}).`,
      { file: input, estimated: estimate, decoded: decode.frames },
    );
  }
}
