/**
 * The time of every frame of a variable-rate clip, from ffprobe decoding it once (only such clips
 * pay for this). Kept as one number per frame for the whole render: 8 bytes a frame, 2 MB for an
 * hour at 60 fps, against the frame queue's megabytes per frame.
 */
import type { JobContext } from '../context';
import type { TimeRange } from '../media/ffmpeg-args';
import type { LocatedMediaTool } from '../media/locate-ffmpeg';
import { startFfmpeg } from '../media/run-ffmpeg';
import { buildFrameTimesArgs, parseFrameTimes } from './ffmpeg-video-args';

export async function readFrameTimes(ffprobe: LocatedMediaTool, input: string, range: TimeRange, ctx: Partial<JobContext>): Promise<Float64Array> {
  const probe = startFfmpeg(ffprobe.path, buildFrameTimesArgs(input), { task: `reading the frame times of ${input}`, context: ctx, stdout: true, failureCode: 'BAD_INPUT' });
  const chunks: Buffer[] = [];
  probe.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  await probe.done;
  return Float64Array.from(parseFrameTimes(Buffer.concat(chunks).toString('utf8'), range));
}
