/**
 * One render for bench/video-memory.bench.ts, in its own process so its peak memory is its own:
 * `node --import tsx bench/video-memory-child.ts <input> <output> identity|tracker`. Prints one
 * JSON line: frames, seconds and this process's maxRSS (the parent samples the ffmpeg children).
 */
import { silentLogger } from '../src/engine/context';
import { resolvePaths } from '../src/engine/paths';
import { identityFrameProcessor } from '../src/engine/video/frame-processor';
import { renderVideo } from '../src/engine/video/render-video';
import { createTrackedEdit } from '../src/engine/video/tracked-edit';
import { createVideoEditDeps } from '../src/engine/video/video-edit-deps';

const [input, output, mode] = process.argv.slice(2);
if (!input || !output || (mode !== 'identity' && mode !== 'tracker')) throw new Error('usage: video-memory-child.ts <input> <output> identity|tracker');

const deps = createVideoEditDeps(resolvePaths(), silentLogger);
// The tracker follows every face and no edit step runs (track 999 matches none): the per-frame
// inference and its state are exercised without a processor's own cost dominating the hour.
const tracked = mode === 'tracker' ? await createTrackedEdit(deps, { steps: [], track: 999 }, { logger: silentLogger }) : undefined;
const started = performance.now();
const result = await renderVideo(
  {},
  {
    input,
    output,
    frameProcessor: tracked?.process ?? identityFrameProcessor,
    processorKey: tracked?.key ?? 'identity',
    // Memory, not picture quality, is measured: the fastest preset keeps a 5-minute 1080p run short.
    quality: { preset: 'ultrafast', crf: 23 },
  },
  { logger: silentLogger },
);
await deps.pool.releaseAll();
process.stdout.write(
  `${JSON.stringify({ frames: result.frames, seconds: (performance.now() - started) / 1000, maxRssMiB: process.resourceUsage().maxRSS / 1024, faceTracks: tracked ? [...tracked.stats.trackIds] : null })}\n`,
);
