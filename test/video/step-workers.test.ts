// Step workers: a face swap whose steps run in worker threads, several frames at once, gives the
// same frames as one on the engine's thread (the CLI's tracked edit and the app's plan edit), a
// cancel then resume with workers equals an uninterrupted render, an error inside a step comes
// back with its own code and message, and a worker that dies fails the render with a message
// that says so and leaves no output.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/engine/context';
import { decodeImage } from '../../src/engine/image/decode';
import type { EditDeps } from '../../src/engine/edit/processor';
import { processorIds } from '../../src/engine/edit/registry';
import { locateMediaTools, type LocatedMediaTool } from '../../src/engine/media/locate-ffmpeg';
import { resolvePaths } from '../../src/engine/paths';
import { trackClip } from '../../src/engine/video/clip-tracks';
import { identityFrameProcessor, type FrameProcessor } from '../../src/engine/video/frame-processor';
import { createPlanEdit } from '../../src/engine/video/plan-edit';
import { renderVideo } from '../../src/engine/video/render-video';
import { autoStepWorkers, framesInFlightFor, inlineStepRunner, MAX_AUTO_STEP_WORKERS, type StepJob, type StepRunner } from '../../src/engine/video/step-runner';
import { startStepWorkers } from '../../src/engine/video/step-workers';
import { createTrackedEdit } from '../../src/engine/video/tracked-edit';
import { createVideoEditDeps } from '../../src/engine/video/video-edit-deps';
import { SeamError } from '../../src/shared/errors';
import { VideoEditPlanSchema } from '../../src/shared/video-contract';
import { FIXTURE_CLIP, makeClip, TEST_QUALITY, videoFrameMd5 } from './video-clips';

const ctx = { logger: silentLogger };
const FRAMES = 30;
const PHOTO = new URL('../fixtures/media/grace_hopper.jpg', import.meta.url).pathname;
const SWAP = [{ processor: 'face-swap', options: { source: PHOTO } }];
const DYING_WORKER = new URL('./fixtures/dying-step-worker.mjs', import.meta.url).pathname;

describe('how many step workers a render starts', () => {
  it('none on two cores, the cores beyond two up to the cap', () => {
    assert.deepEqual([1, 2, 3, 4, 8, 64].map((cores) => autoStepWorkers(cores)), [0, 0, 1, 2, MAX_AUTO_STEP_WORKERS, MAX_AUTO_STEP_WORKERS]);
  });
});

describe('step workers', { skip: processorIds().includes('face-swap') ? false : 'face-swap is not registered in this build' }, () => {
  let ffmpeg: LocatedMediaTool;
  let deps: EditDeps;
  let dir = '';
  let clip = '';
  let inline = '';
  const render = (output: string, edit: { process: FrameProcessor; key: string; framesInFlight: number }, extra: object = {}, signal?: AbortSignal) =>
    renderVideo({}, { input: clip, output, frameProcessor: edit.process, framesInFlight: edit.framesInFlight, processorKey: edit.key, quality: TEST_QUALITY, segmentFrames: 10, ...extra }, { ...ctx, ...(signal ? { signal } : {}) });

  before(async () => {
    ({ ffmpeg } = await locateMediaTools());
    deps = createVideoEditDeps(resolvePaths(), silentLogger);
    dir = await mkdtemp(join(tmpdir(), 'seam-step-workers-'));
    clip = join(dir, 'talk.mp4');
    await makeClip(ffmpeg, ['-i', FIXTURE_CLIP, '-frames:v', String(FRAMES), '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '12'], clip);
    inline = join(dir, 'inline.mp4');
    const edit = await createTrackedEdit(deps, { steps: SWAP, stepWorkers: 0 }, ctx);
    try {
      assert.equal(edit.framesInFlight, 1);
      await render(inline, edit);
      assert.equal(edit.stats.editedFrames, FRAMES, 'the face is swapped on every frame');
    } finally {
      await edit.dispose();
    }
  });
  after(async () => {
    await deps.pool.releaseAll();
    await rm(dir, { recursive: true, force: true });
  });

  it("the CLI's tracked swap in two workers is frame for frame the swap on the engine's thread", async () => {
    const edit = await createTrackedEdit(deps, { steps: SWAP, stepWorkers: 2 }, ctx);
    try {
      assert.equal(edit.framesInFlight, 3, 'a frame per worker and one being tracked');
      const output = join(dir, 'workers.mp4');
      await render(output, edit);
      assert.equal(edit.stats.editedFrames, FRAMES);
      assert.deepEqual(await videoFrameMd5(ffmpeg, output), await videoFrameMd5(ffmpeg, inline));
    } finally {
      await edit.dispose();
    }
  });

  it("the app's plan edit in workers gives the frames it gives on the engine's thread", async () => {
    const tracks = await trackClip(deps.analyzer.faces, { ffmpeg, input: clip, width: 400, height: 300, frameRateValue: 25, expectedFrames: FRAMES }, ctx);
    const plan = VideoEditPlanSchema.parse({ steps: SWAP });
    const outputs: string[] = [];
    for (const stepWorkers of [0, 2]) {
      const planEdit = createPlanEdit(deps, { plan, tracks, stepWorkers }, ctx);
      try {
        const output = join(dir, `plan-${stepWorkers}.mp4`);
        await render(output, { process: planEdit.processor(0), key: `plan-${stepWorkers}`, framesInFlight: planEdit.framesInFlight });
        outputs.push(output);
      } finally {
        await planEdit.dispose();
      }
    }
    const plain = join(dir, 'plain.mp4');
    await render(plain, { process: identityFrameProcessor, key: 'plain', framesInFlight: 1 });
    // The editor's way: the source is a photo open in it ("image:<id>"), handed to the workers.
    const image = await decodeImage(PHOTO);
    const opened = { path: PHOTO, image, analysis: deps.analyzer.analyze(image) };
    const openedPlan = VideoEditPlanSchema.parse({ steps: [{ processor: 'face-swap', options: { source: 'image:source-photo' } }] });
    const openedEdit = createPlanEdit(deps, { plan: openedPlan, tracks, stepWorkers: 2, openedPhoto: (reference) => (reference === 'image:source-photo' ? opened : undefined) }, ctx);
    const fromOpened = join(dir, 'plan-opened.mp4');
    try {
      await render(fromOpened, { process: openedEdit.processor(0), key: 'plan-opened', framesInFlight: openedEdit.framesInFlight });
    } finally {
      await openedEdit.dispose();
    }
    const [onThread, inWorkers, withOpenedPhoto, unedited] = await Promise.all([...outputs, fromOpened, plain].map((output) => videoFrameMd5(ffmpeg, output)));
    assert.equal(onThread!.length, FRAMES);
    const swapped = onThread!.filter((md5, i) => md5 !== unedited![i]).length;
    assert.equal(swapped, FRAMES, 'the plan swaps the face on every frame');
    assert.deepEqual(inWorkers, onThread);
    assert.deepEqual(withOpenedPhoto, onThread, 'a photo open in the editor reaches the workers');
  });

  it('a cancel while frames are in the workers, then a resume, equals the uninterrupted render', async () => {
    const output = join(dir, 'resumed.mp4');
    const controller = new AbortController();
    const cancelled = await createTrackedEdit(deps, { steps: SWAP, stepWorkers: 2 }, ctx);
    const stopAt15: FrameProcessor = async (frame, index, seconds) => {
      if (index === 15) controller.abort();
      return cancelled.process(frame, index, seconds);
    };
    try {
      await assert.rejects(render(output, { ...cancelled, process: stopAt15 }, {}, controller.signal), (e: unknown) => e instanceof SeamError && e.code === 'CANCELLED');
    } finally {
      await cancelled.dispose();
    }
    assert.equal(existsSync(output), false, 'no output from a cancelled render');
    const again = await createTrackedEdit(deps, { steps: SWAP, stepWorkers: 2 }, ctx);
    try {
      const result = await render(output, again, { replayFrame: again.replay, resume: true });
      assert.ok(result.resumedFrames >= 10, `segments kept: ${result.resumedFrames} frames`);
      assert.equal(again.stats.editedFrames, FRAMES - result.resumedFrames, 'kept frames are not edited again');
    } finally {
      await again.dispose();
    }
    assert.deepEqual(await videoFrameMd5(ffmpeg, output), await videoFrameMd5(ffmpeg, inline));
  });

  it("an error inside a step comes back from a worker as it does on the engine's thread", async () => {
    const job: StepJob = {
      image: { width: 8, height: 8, channels: 3, data: new Uint8Array(8 * 8 * 3) },
      faces: [],
      steps: [{ processor: 'face-swap', options: { source: join(dir, 'no-such-photo.jpg') } }],
      frameIndex: 0,
      instanceSet: 0,
    };
    const failure = async (runner: StepRunner) => {
      try {
        await runner.run(job);
        return undefined;
      } catch (error) {
        return error instanceof SeamError ? { code: error.code, message: error.message } : { code: 'not a SeamError', message: String(error) };
      } finally {
        await runner.dispose();
      }
    };
    const onThread = await failure(inlineStepRunner(deps, ctx));
    const inWorker = await failure(startStepWorkers({ count: 1, paths: deps.paths, steps: job.steps }, ctx));
    assert.ok(onThread, 'the missing photo fails the step');
    assert.match(onThread.message, /no-such-photo\.jpg/);
    assert.deepEqual(inWorker, onThread);
  });

  it('a worker that dies fails the render with a message that says so, and nothing is written', async () => {
    const runner = startStepWorkers({ count: 2, paths: deps.paths, steps: SWAP, entry: DYING_WORKER }, ctx);
    const output = join(dir, 'died.mp4');
    const process: FrameProcessor = (frame, index) => frame.editRgb(frame.bounds, async (image) => (await runner.run({ image, faces: [], steps: SWAP, frameIndex: index, instanceSet: 0 })).image);
    try {
      await assert.rejects(render(output, { process, key: 'dying', framesInFlight: framesInFlightFor(runner) }), (e: unknown) => e instanceof SeamError && e.code === 'INTERNAL' && /A frame worker stopped \(exit code 3\)/.test(e.message));
    } finally {
      await runner.dispose();
    }
    assert.equal(existsSync(output), false);
  });
});
