/**
 * The video pipeline's speed at 720p against ffmpeg alone decoding and re-encoding the same clip
 * with the same settings (H.264 CRF 18, preset medium, sound copied). Rows: the identity
 * processor on each clip (the pipeline's own cost: yuv420p over two pipes, segments, the join); the app's
 * render (face swap over the faces tracked once and kept, as Render does after the clip was
 * tracked: no face model runs); the app end to end (trackVideo, the tracking pass, then that
 * render); `seam video --op swap` (one pass, the tracker inline); and the same on a screen
 * recording with a small webcam face; for each clip, the tracking pass alone
 * (a part of the end-to-end row, given so its cost can be followed; no target of its own); and
 * the CLI again with the other choice of step workers than this machine's default (no target).
 * Each row is timed right after its own ffmpeg-alone run, and CPU seconds (this process plus its
 * ffmpeg children, from /proc) are given beside wall time, since the dev machine may be shared.
 * Target: pipeline fps ≥ 0.8 × ffmpeg alone. Beside it, each row's CPU a frame and the most CPU a
 * frame any pipeline could use and still reach 0.8× (ffmpeg alone's time ÷ 0.8, every core busy
 * all that time): a row over that cannot meet the target on this machine however its work is
 * spread, and the identity and tracking rows say how much of it the pipeline and the tracker take.
 *
 * The clips, 20 s at 25 fps (long enough that a render's fixed costs — probe, encoder start, join
 * — weigh as they do on a real clip): the fixture clip (a man talking to a webcam) looped, scaled
 * and cropped to 1280×720, with a sine tone; and a 1280×720 desktop with a moving window and the
 * same clip as a 240×180 webcam picture in a corner (a face about 65 px wide), with sound.
 * `npm run bench video`; each row is one render (`--runs` is unused).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../src/engine/context';
import type { EditStep } from '../src/engine/edit/edit-photo';
import { processorIds } from '../src/engine/edit/registry';
import { buildReencodeArgs, type VideoQuality } from '../src/engine/media/ffmpeg-args';
import { locateMediaTools } from '../src/engine/media/locate-ffmpeg';
import { runFfmpeg } from '../src/engine/media/run-ffmpeg';
import { resolvePaths } from '../src/engine/paths';
import { identityFrameProcessor, type FrameObserver, type FrameProcessor } from '../src/engine/video/frame-processor';
import { renderVideo } from '../src/engine/video/render-video';
import { trackClip } from '../src/engine/video/clip-tracks';
import { createPlanEdit } from '../src/engine/video/plan-edit';
import { autoStepWorkers } from '../src/engine/video/step-runner';
import { createTrackedEdit } from '../src/engine/video/tracked-edit';
import { VideoEditPlanSchema } from '../src/shared/video-contract';
import { createVideoEditDeps } from '../src/engine/video/video-edit-deps';
import type { BenchRow, BenchmarkDefinition } from './harness';

const FIXTURE_CLIP = fileURLToPath(new URL('../test/fixtures/media/cap12_cut.mp4', import.meta.url));
const SOURCE_PHOTO = fileURLToPath(new URL('../test/fixtures/media/grace_hopper.jpg', import.meta.url));
const QUALITY: VideoQuality = { crf: 18, preset: 'medium' };
const SECONDS = 20;
const RATE = 25;
const FRAMES = SECONDS * RATE;
const TARGET_RATIO = 0.8;
const QUIET = ['-hide_banner', '-nostdin', '-v', 'error', '-y'];

/** The edit the bench measures: face swap when registered, else the next best per-face edit. */
function benchStep(): { name: string; step: EditStep } | undefined {
  const ids = processorIds();
  if (ids.includes('face-swap')) return { name: 'face-swap', step: { processor: 'face-swap', options: { source: SOURCE_PHOTO } } };
  if (ids.includes('attributes')) return { name: 'attributes (face-swap not registered)', step: { processor: 'attributes', options: { smile: 40 } } };
  return undefined;
}

/** The talking-head clip at 720p with a tone. */
export function talkingHeadArgs(output: string): string[] {
  return [
    ...QUIET,
    '-stream_loop', '-1', '-i', FIXTURE_CLIP,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SECONDS}`,
    '-map', '0:v', '-map', '1:a', '-t', String(SECONDS),
    '-vf', 'scale=1280:960,crop=1280:720:0:80',
    '-c:v', 'libx264', '-preset', 'fast', '-crf', '16', '-pix_fmt', 'yuv420p', '-c:a', 'aac',
    output,
  ];
}

/** A desktop recording with the talking head as a small webcam picture in the bottom-right corner. */
function screenRecordingArgs(output: string): string[] {
  const graph = [
    '[0]drawbox=x=0:y=680:w=1280:h=40:color=0x30343a:t=fill,drawbox=x=60:y=40:w=780:h=30:color=0x3b6fd4:t=fill[desktop]',
    "[desktop][1]overlay=x=70:y='70+mod(t*40,60)'[window]",
    '[2]scale=240:180,setsar=1[webcam]',
    '[window][webcam]overlay=x=1020:y=480:shortest=1,format=yuv420p[v]',
  ].join(';');
  return [
    ...QUIET,
    '-f', 'lavfi', '-i', `color=c=0xdfe3e8:s=1280x720:r=${RATE}:d=${SECONDS}`,
    '-f', 'lavfi', '-i', `testsrc2=s=760x430:r=${RATE}:d=${SECONDS}`,
    '-stream_loop', '-1', '-i', FIXTURE_CLIP,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SECONDS}`,
    '-filter_complex', graph, '-map', '[v]', '-map', '3:a', '-t', String(SECONDS),
    '-c:v', 'libx264', '-preset', 'fast', '-crf', '18', '-c:a', 'aac',
    output,
  ];
}

/**
 * Rows that are not the app's or the CLI's own render: a part of one (the tracking pass alone),
 * or the CLI with the other choice of step workers than this machine's default. Reported with
 * the same baseline, so they can be followed from run to run, but not held to the target.
 */
const partRows = new Set<string>();

const bench: BenchmarkDefinition = {
  name: 'video',
  description: '720p render fps: the pipeline (identity, tracker only, face swap) vs ffmpeg alone re-encoding the same clip',
  async run(ctx) {
    const { ffmpeg } = await locateMediaTools();
    const dir = await mkdtemp(join(tmpdir(), 'seam-bench-video-'));
    const deps = createVideoEditDeps(resolvePaths(), silentLogger);
    try {
      const talk = join(dir, 'talk-720p.mp4');
      const screen = join(dir, 'screen-720p.mp4');
      ctx.log('making the clips…');
      await runFfmpeg(ffmpeg.path, talkingHeadArgs(talk), { task: 'making the talking-head bench clip' });
      await runFfmpeg(ffmpeg.path, screenRecordingArgs(screen), { task: 'making the screen-recording bench clip' });

      const rows: BenchRow[] = [];
      partRows.clear();
      // The machine may be shared: each row is timed right after its own baseline run, and CPU
      // seconds (Node plus its ffmpeg children) are reported beside wall time.
      const timed = async <T>(label: string, clip: string, work: () => Promise<T>): Promise<T> => {
        ctx.log(`${label}…`);
        const base = await measure(() => runFfmpeg(ffmpeg.path, buildReencodeArgs({ input: clip, output: join(dir, 'baseline.mp4'), container: 'mp4', quality: QUALITY }), { task: 'baseline' }));
        const ours = await measure(work);
        rows.push(rowOf(label, base, ours));
        return ours.result;
      };
      const render = (clip: string, frameProcessor: FrameProcessor, key: string, framesInFlight = 1, replayFrame?: FrameObserver) =>
        renderVideo({}, { input: clip, output: join(dir, 'out.mp4'), frameProcessor, framesInFlight, processorKey: `${key}-${Date.now()}`, quality: QUALITY, ...(replayFrame ? { replayFrame } : {}) }, { logger: silentLogger });
      // The app and `seam video` start step workers by the cores (none on 2 cores): so does the bench.
      const stepWorkers = autoStepWorkers();
      ctx.log(`${availableParallelism()} cores: ${stepWorkers} step workers by default`);

      await timed('identity processor', talk, () => render(talk, identityFrameProcessor, 'identity'));
      await timed('screen recording: identity processor', screen, () => render(screen, identityFrameProcessor, 'identity'));
      const chosen = benchStep();
      if (chosen) {
        const plan = VideoEditPlanSchema.parse({ steps: [chosen.step] });
        for (const [name, clip] of [['talking head', talk], ['screen recording, small webcam face', screen]] as const) {
          const trackOptions = { ffmpeg, input: clip, width: 1280, height: 720, frameRateValue: RATE, expectedFrames: FRAMES };
          const trackingLabel = `${name}: the tracking pass alone (trackClip: decode + face tracker, no edit)`;
          partRows.add(trackingLabel);
          const tracks = await timed(trackingLabel, clip, () => trackClip(deps.analyzer.faces, trackOptions, { logger: silentLogger }));
          const kept = createPlanEdit(deps, { plan, tracks, stepWorkers }, { logger: silentLogger });
          await timed(`${name}: the app's render (kept tracks + ${chosen.name})`, clip, () => render(clip, kept.processor(0), 'kept', kept.framesInFlight));
          await kept.dispose();
          await timed(`${name}: the app end to end (trackVideo + render)`, clip, async () => {
            const fresh = createPlanEdit(deps, { plan, tracks: await trackClip(deps.analyzer.faces, trackOptions, { logger: silentLogger }), stepWorkers }, { logger: silentLogger });
            await render(clip, fresh.processor(0), 'both', fresh.framesInFlight);
            await fresh.dispose();
          });
        }
        // Tracker on the engine's thread, the steps where the default puts them; then the other choice.
        const cliRuns = [
          ['talking head', talk, stepWorkers],
          ['talking head', talk, stepWorkers === 0 ? 1 : 0],
          ['screen recording, small webcam face', screen, stepWorkers],
        ] as const;
        for (const [name, clip, workers] of cliRuns) {
          const label = `${name}: seam video --op swap (tracker inline + ${chosen.name}, ${workers} step workers)`;
          if (workers !== stepWorkers) partRows.add(label);
          const inline = await createTrackedEdit(deps, { steps: [chosen.step], stepWorkers: workers }, { logger: silentLogger });
          await timed(label, clip, () => render(clip, inline.process, inline.key, inline.framesInFlight, inline.replay));
          await inline.dispose();
        }
      }
      return rows;
    } finally {
      await deps.pool.releaseAll();
      await rm(dir, { recursive: true, force: true });
    }
  },
  targets(rows) {
    return rows
      .filter((row) => !partRows.has(String(row.pipeline)))
      .map((row) => ({
        target: `${row.pipeline}: fps ≥ ${TARGET_RATIO} × ffmpeg alone (got ${Number(row.ratio).toFixed(2)}×, using ${Number(row.cpuMsPerFrame).toFixed(1)} ms CPU a frame where ${Number(row.cpuMsPerFrameAt0_8).toFixed(1)} fit)`,
        met: Number(row.ratio) >= TARGET_RATIO,
      }));
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
    cpuMsPerFrame: (ours.cpuSeconds / FRAMES) * 1000,
    // The CPU a frame that fits in the target's time with every core busy the whole time.
    cpuMsPerFrameAt0_8: ((base.wallSeconds / TARGET_RATIO) * availableParallelism() * 1000) / FRAMES,
  };
}

/** Wall seconds and CPU seconds of this process plus the children it waited for (Linux: /proc). */
async function measure<T>(work: () => Promise<T>): Promise<{ wallSeconds: number; cpuSeconds: number; result: T }> {
  const cpu = process.cpuUsage();
  const children = childrenCpuSeconds();
  const start = performance.now();
  const result = await work();
  const own = process.cpuUsage(cpu);
  return { wallSeconds: (performance.now() - start) / 1000, cpuSeconds: (own.user + own.system) / 1e6 + childrenCpuSeconds() - children, result };
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
