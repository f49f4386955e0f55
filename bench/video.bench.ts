/**
 * The video pipeline's speed at 720p against ffmpeg alone decoding and re-encoding the same clip
 * with the same settings (H.264 CRF 18, preset medium, sound copied). One row per pipeline: the
 * identity processor (the pipeline's own cost: RGB over two pipes, segments, the join); the face
 * tracker alone (a --track that matches nothing, so no edit runs); the tracker with face swap (or,
 * when face-swap is not registered, the best processor that is: the row says which); the app's way
 * (faces tracked once and kept, as trackVideo does, then the render reads them: render alone, and
 * tracking plus render). Each row is
 * timed right after its own ffmpeg-alone run, and CPU seconds (this process plus its ffmpeg
 * children, from /proc) are given beside wall time, since the dev machine is shared.
 * Target: pipeline fps ≥ 0.8 × ffmpeg alone.
 *
 * The clip: the fixture clip (a man talking to a webcam) looped to 5 s, scaled and cropped to
 * 1280×720, with a sine tone. `npm run bench video`; each row is one render (`--runs` is unused).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../src/engine/context';
import type { EditStep } from '../src/engine/edit/edit-photo';
import { processorIds } from '../src/engine/edit/registry';
import { buildReencodeArgs, type VideoQuality } from '../src/engine/media/ffmpeg-args';
import { locateMediaTools } from '../src/engine/media/locate-ffmpeg';
import { runFfmpeg } from '../src/engine/media/run-ffmpeg';
import { resolvePaths } from '../src/engine/paths';
import { identityFrameProcessor } from '../src/engine/video/frame-processor';
import { renderVideo } from '../src/engine/video/render-video';
import { trackClip } from '../src/engine/video/clip-tracks';
import { createPlanEdit } from '../src/engine/video/plan-edit';
import { createTrackedEdit } from '../src/engine/video/tracked-edit';
import { VideoEditPlanSchema } from '../src/shared/video-contract';
import { createVideoEditDeps } from '../src/engine/video/video-edit-deps';
import type { BenchRow, BenchmarkDefinition } from './harness';

const FIXTURE_CLIP = fileURLToPath(new URL('../test/fixtures/media/cap12_cut.mp4', import.meta.url));
const SOURCE_PHOTO = fileURLToPath(new URL('../test/fixtures/media/grace_hopper.jpg', import.meta.url));
const QUALITY: VideoQuality = { crf: 18, preset: 'medium' };
const FRAMES = 125;

/** The edit the bench measures: face swap when registered, else the next best per-face edit. */
function benchStep(): { name: string; step: EditStep } | undefined {
  const ids = processorIds();
  if (ids.includes('face-swap')) return { name: 'face-swap', step: { processor: 'face-swap', options: { source: SOURCE_PHOTO } } };
  if (ids.includes('attributes')) return { name: 'attributes (face-swap not registered)', step: { processor: 'attributes', options: { smile: 40 } } };
  return undefined;
}

const bench: BenchmarkDefinition = {
  name: 'video',
  description: '720p render fps: the pipeline (identity, tracker only, face swap) vs ffmpeg alone re-encoding the same clip',
  async run(ctx) {
    const { ffmpeg } = await locateMediaTools();
    const dir = await mkdtemp(join(tmpdir(), 'seam-bench-video-'));
    const deps = createVideoEditDeps(resolvePaths(), silentLogger);
    try {
      const clip = join(dir, 'talk-720p.mp4');
      await runFfmpeg(ffmpeg.path, [
        '-hide_banner', '-nostdin', '-v', 'error', '-y',
        '-stream_loop', '1', '-i', FIXTURE_CLIP,
        '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
        '-map', '0:v', '-map', '1:a', '-t', '5',
        '-vf', 'scale=1280:960,crop=1280:720:0:80',
        '-c:v', 'libx264', '-preset', 'fast', '-crf', '16', '-pix_fmt', 'yuv420p', '-c:a', 'aac',
        clip,
      ], { task: 'making the 720p bench clip' });

      const rows: BenchRow[] = [];
      const baselineRun = () => runFfmpeg(ffmpeg.path, buildReencodeArgs({ input: clip, output: join(dir, 'baseline.mp4'), container: 'mp4', quality: QUALITY }), { task: 'baseline' });
      // The machine may be shared: each pipeline row is timed right after its own baseline run,
      // and CPU seconds (Node plus its ffmpeg children) are reported beside wall time.
      const row = async (label: string, frameProcessor = identityFrameProcessor, key = label) => {
        ctx.log(`${label}…`);
        const base = await measure(baselineRun);
        const ours = await measure(() => renderVideo({}, { input: clip, output: join(dir, 'out.mp4'), frameProcessor, processorKey: key, quality: QUALITY }, { logger: silentLogger }));
        rows.push(rowOf(label, base, ours));
      };
      await row('identity processor');
      const trackerOnly = await createTrackedEdit(deps, { steps: [], track: 999 }, { logger: silentLogger });
      await row('face tracker only', trackerOnly.process, trackerOnly.key);
      const chosen = benchStep();
      if (chosen) {
        const edit = await createTrackedEdit(deps, { steps: [chosen.step] }, { logger: silentLogger });
        await row(`tracker + ${chosen.name}`, edit.process, edit.key);
        await edit.dispose();
        // The app's way: trackVideo once (kept), then every render and preview reads the kept tracks.
        const trackOptions = { ffmpeg, input: clip, width: 1280, height: 720, frameRateValue: 25, expectedFrames: FRAMES };
        const plan = VideoEditPlanSchema.parse({ steps: [chosen.step] });
        let tracks = await trackClip(deps.analyzer.faces, trackOptions, { logger: silentLogger });
        const planEdit = createPlanEdit(deps, { plan, tracks }, { logger: silentLogger });
        await row(`kept tracks + ${chosen.name} (render only)`, planEdit.processor(0), `plan-${chosen.name}`);
        await planEdit.dispose();
        ctx.log(`trackVideo + render + ${chosen.name}…`);
        const base = await measure(baselineRun);
        const both = await measure(async () => {
          tracks = await trackClip(deps.analyzer.faces, trackOptions, { logger: silentLogger });
          const fresh = createPlanEdit(deps, { plan, tracks }, { logger: silentLogger });
          await renderVideo({}, { input: clip, output: join(dir, 'out.mp4'), frameProcessor: fresh.processor(0), processorKey: `both-${Date.now()}`, quality: QUALITY }, { logger: silentLogger });
        });
        rows.push(rowOf(`trackVideo + render + ${chosen.name}`, base, both));
      }
      return rows;
    } finally {
      await deps.pool.releaseAll();
      await rm(dir, { recursive: true, force: true });
    }
  },
  targets(rows) {
    return rows.map((row) => ({ target: `${row.pipeline}: fps ≥ 0.8 × ffmpeg alone (got ${Number(row.ratio).toFixed(2)}×)`, met: Number(row.ratio) >= 0.8 }));
  },
};

type Measured = Awaited<ReturnType<typeof measure>>;

function rowOf(pipeline: string, base: Measured, ours: Measured): BenchRow {
  return {
    pipeline,
    ffmpegAloneFps: FRAMES / base.wallSeconds,
    fps: FRAMES / ours.wallSeconds,
    ratio: base.wallSeconds / ours.wallSeconds,
    ffmpegAloneCpuS: base.cpuSeconds,
    cpuS: ours.cpuSeconds,
    cpuRatio: base.cpuSeconds / ours.cpuSeconds,
  };
}

/** Wall seconds and CPU seconds of this process plus the children it waited for (Linux: /proc). */
async function measure(work: () => Promise<unknown>): Promise<{ wallSeconds: number; cpuSeconds: number }> {
  const cpu = process.cpuUsage();
  const children = childrenCpuSeconds();
  const start = performance.now();
  await work();
  const own = process.cpuUsage(cpu);
  return { wallSeconds: (performance.now() - start) / 1000, cpuSeconds: (own.user + own.system) / 1e6 + childrenCpuSeconds() - children };
}

function childrenCpuSeconds(): number {
  try {
    // Fields 16 and 17 of /proc/self/stat (cutime, cstime), in clock ticks of 1/100 s.
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return 0;
  }
}

export default bench;
