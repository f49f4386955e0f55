/**
 * What step workers do for the engine's side of a render, without ffmpeg: the CLI's tracked face
 * swap on 720p frames already decoded into memory, with the steps on the engine's thread, in one
 * worker and in two. With workers the tracker and the conversions of frame N + 1 run on the
 * engine's thread while the swap of frame N runs in a worker, so this is how far the Node side of
 * a render scales when cores are free; `npm run bench video` says what that is worth beside
 * ffmpeg on this machine. Frames are the video bench's talking head (the first 8 s); the first
 * 20 warm up (models, worker start, JIT) and are not timed.
 * Target: one worker ≥ 1.1 × the engine's thread alone, in frames per second.
 *
 * `npm run bench step-workers`; each row is one pass (`--runs` is unused).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../src/engine/context';
import { processorIds } from '../src/engine/edit/registry';
import { locateMediaTools } from '../src/engine/media/locate-ffmpeg';
import { runFfmpeg } from '../src/engine/media/run-ffmpeg';
import { resolvePaths } from '../src/engine/paths';
import { createTrackedEdit } from '../src/engine/video/tracked-edit';
import { createVideoEditDeps } from '../src/engine/video/video-edit-deps';
import { frameColourOf, VideoFrame } from '../src/engine/video/video-frame';
import type { BenchRow, BenchmarkDefinition } from './harness';
import { talkingHeadArgs } from './video.bench';

const SOURCE_PHOTO = fileURLToPath(new URL('../test/fixtures/media/grace_hopper.jpg', import.meta.url));
const WIDTH = 1280;
const HEIGHT = 720;
const FRAMES = 200;
const WARM_UP = 20;
const RATE = 25;

const bench: BenchmarkDefinition = {
  name: 'step-workers',
  description: "the tracked face swap on 720p frames in memory (no ffmpeg): steps on the engine's thread vs in step workers",
  async run(ctx) {
    if (!processorIds().includes('face-swap')) return [];
    const { ffmpeg } = await locateMediaTools();
    const dir = await mkdtemp(join(tmpdir(), 'seam-bench-workers-'));
    const deps = createVideoEditDeps(resolvePaths(), silentLogger);
    try {
      ctx.log('decoding the frames…');
      const clip = join(dir, 'talk-720p.mp4');
      await runFfmpeg(ffmpeg.path, talkingHeadArgs(clip), { task: 'making the talking-head bench clip' });
      const raw = join(dir, 'frames.yuv');
      await runFfmpeg(ffmpeg.path, ['-hide_banner', '-nostdin', '-v', 'error', '-y', '-i', clip, '-frames:v', String(FRAMES), '-f', 'rawvideo', '-pix_fmt', 'yuv420p', raw], { task: 'decoding the bench frames' });
      const bytes = await readFile(raw);
      const frameBytes = (WIDTH * HEIGHT * 3) / 2;
      const colour = frameColourOf(undefined, HEIGHT);
      const rows: BenchRow[] = [];
      let alone = 0;
      for (const workers of [0, 1, 2]) {
        ctx.log(`${workers} step workers…`);
        // Fresh copies: an edit changes its frame in place.
        const frames = Array.from({ length: FRAMES }, (_, i) => new VideoFrame(WIDTH, HEIGHT, new Uint8Array(bytes.subarray(i * frameBytes, (i + 1) * frameBytes)), colour));
        const edit = await createTrackedEdit(deps, { steps: [{ processor: 'face-swap', options: { source: SOURCE_PHOTO } }], stepWorkers: workers }, { logger: silentLogger });
        try {
          // As the render loop does: up to framesInFlight frames handed over, the oldest awaited.
          const pass = async (from: number, to: number) => {
            const inFlight: Array<Promise<void>> = [];
            for (let i = from; i < to; i++) {
              inFlight.push(edit.process(frames[i]!, i, i / RATE));
              if (inFlight.length >= edit.framesInFlight) await inFlight.shift();
            }
            await Promise.all(inFlight);
          };
          await pass(0, WARM_UP);
          const cpu = process.cpuUsage();
          const start = performance.now();
          await pass(WARM_UP, FRAMES);
          const seconds = (performance.now() - start) / 1000;
          const used = process.cpuUsage(cpu);
          const fps = (FRAMES - WARM_UP) / seconds;
          if (workers === 0) alone = fps;
          rows.push({
            steps: workers === 0 ? "engine's thread" : `${workers} step worker${workers > 1 ? 's' : ''}`,
            fps,
            ratio: fps / alone,
            cpuMsPerFrame: ((used.user + used.system) / 1000) / (FRAMES - WARM_UP),
            editedFrames: edit.stats.editedFrames,
          });
        } finally {
          await edit.dispose();
        }
      }
      return rows;
    } finally {
      await deps.pool.releaseAll();
      await rm(dir, { recursive: true, force: true });
    }
  },
  targets(rows) {
    const one = rows.find((row) => row.steps === '1 step worker');
    if (!one) return [];
    return [{ target: `one step worker: fps ≥ 1.1 × the engine's thread alone (got ${Number(one.ratio).toFixed(2)}×)`, met: Number(one.ratio) >= 1.1 }];
  },
};

export default bench;
