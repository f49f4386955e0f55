/**
 * The last step: the finished segments joined by stream copy with the source's sound into a temp
 * file beside the output, renamed into place only when ffmpeg succeeded. Until then the output
 * does not exist (or an older file of that name is untouched).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../context';
import { withTempFile } from '../fs/atomic-write';
import type { OutputContainer, SeamMetadata, TimeRange, VideoCodec } from '../media/ffmpeg-args';
import type { LocatedMediaTool } from '../media/locate-ffmpeg';
import { runFfmpeg } from '../media/run-ffmpeg';
import { buildConcatList, buildJoinSegmentsArgs } from './ffmpeg-video-args';
import type { JournalSegment } from './render-journal';
import type { RenderPlan } from './render-plan';
import { CONCAT_LIST_FILE } from './work-folder';

export interface JoinOptions {
  ffmpeg: LocatedMediaTool;
  input: string;
  output: string;
  container: OutputContainer;
  /** The segments' codec: the output may need flags for it (HEVC's hvc1 tag). */
  codec: VideoCodec;
  range: TimeRange;
  plan: Pick<RenderPlan, 'audio'>;
  segments: readonly JournalSegment[];
  workDir: string;
  metadata: SeamMetadata;
  logger: Logger;
  signal: AbortSignal;
}

export async function joinSegments(o: JoinOptions): Promise<void> {
  const listPath = join(o.workDir, CONCAT_LIST_FILE);
  const entries = o.segments.map((segment) => ({ file: segment.file, durationSeconds: segment.durationSeconds }));
  await writeFile(listPath, buildConcatList(entries));
  await withTempFile(o.output, async (temp) => {
    const args = buildJoinSegmentsArgs({
      concatList: listPath,
      output: temp,
      container: o.container,
      codec: o.codec,
      ...(o.plan.audio ? { audio: { source: o.input, codec: o.plan.audio, ...o.range } } : {}),
      metadata: o.metadata,
    });
    await runFfmpeg(o.ffmpeg.path, args, { task: `writing ${o.output}`, context: { logger: o.logger, signal: o.signal }, outputPaths: [temp] });
  });
}
