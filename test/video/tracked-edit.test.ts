// The CLI's frame processor on the fixture clip: the face tracker seeds each frame's analysis and
// a real edit step (the attribute sliders) runs on the tracked face. The edit stays on the face,
// a track that is not in the clip leaves every frame as it was, and a cancelled render resumed
// later (the tracker replaying the kept frames) equals an uninterrupted one frame for frame.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/engine/context';
import { createVideoEditDeps } from '../../src/engine/video/video-edit-deps';
import type { EditDeps } from '../../src/engine/edit/processor';
import { processorIds } from '../../src/engine/edit/registry';
import type { VideoQuality } from '../../src/engine/media/ffmpeg-args';
import { locateMediaTools, type LocatedMediaTool } from '../../src/engine/media/locate-ffmpeg';
import { resolvePaths } from '../../src/engine/paths';
import type { Box } from '../../src/engine/vision/faces/face-types';
import { FacePipeline } from '../../src/engine/vision/faces/face-pipeline';
import { trackVideo } from '../../src/engine/vision/tracking/track-video';
import type { FrameProcessor } from '../../src/engine/video/frame-processor';
import { identityFrameProcessor } from '../../src/engine/video/frame-processor';
import { renderVideo } from '../../src/engine/video/render-video';
import { createTrackedEdit } from '../../src/engine/video/tracked-edit';
import { SeamError } from '../../src/shared/errors';
import { decodeRgb, FIXTURE_CLIP, makeClip, meanAbsDiff, videoFrameMd5 } from './video-clips';

const QUALITY: VideoQuality = { crf: 18, preset: 'veryfast' };
const ctx = { logger: silentLogger };
const FRAMES = 40;
const STEPS = [{ processor: 'attributes', options: { smile: 60, mouthWidth: 40 } }];
const hasAttributes = processorIds().includes('attributes');

describe('tracked edits on a clip', { skip: hasAttributes ? false : 'the attributes processor is not registered in this build' }, () => {
  let ffmpeg: LocatedMediaTool;
  let deps: EditDeps;
  let dir = '';
  let clip = '';
  let identity = '';

  before(async () => {
    ({ ffmpeg } = await locateMediaTools());
    deps = createVideoEditDeps(resolvePaths(), silentLogger);
    dir = await mkdtemp(join(tmpdir(), 'seam-video-tracked-'));
    clip = join(dir, 'talk.mp4');
    await makeClip(ffmpeg, ['-i', FIXTURE_CLIP, '-frames:v', String(FRAMES), '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '12'], clip);
    identity = join(dir, 'identity.mp4');
    await renderVideo({}, { input: clip, output: identity, frameProcessor: identityFrameProcessor, quality: QUALITY, segmentFrames: 10 }, ctx);
  });
  after(async () => {
    await deps.pool.releaseAll();
    await rm(dir, { recursive: true, force: true });
  });

  it('edits the tracked face and nothing around it', async () => {
    const edit = await createTrackedEdit(deps, { steps: STEPS }, ctx);
    const output = join(dir, 'smile.mp4');
    await renderVideo({}, { input: clip, output, frameProcessor: edit.process, processorKey: edit.key, quality: QUALITY, segmentFrames: 10 }, ctx);
    assert.equal(edit.stats.editedFrames, FRAMES, 'the face is in every frame');
    const tracks = await trackVideo(FacePipeline.create({ ...deps }), clip, ctx);
    const boxes: Box[] = tracks.frames.map((f) => f.faces[0]!.box);
    const near = (x: number, y: number, frame: number, margin: number) => {
      const b = boxes[frame]!;
      return x >= b.x - margin && x < b.x + b.width + margin && y >= b.y - margin && y < b.y + b.height + margin;
    };
    const [edited, plain] = await Promise.all([decodeRgb(ffmpeg, output), decodeRgb(ffmpeg, identity)]);
    const outside = meanAbsDiff(edited, plain, 400, 300, (x, y, f) => !near(x, y, f, 24));
    const face = meanAbsDiff(edited, plain, 400, 300, (x, y, f) => near(x, y, f, 0));
    assert.ok(outside < 0.5, `away from the face mean |Δ| ${outside.toFixed(3)}`);
    assert.ok(face > 0.3, `on the face the picture changes (mean |Δ| ${face.toFixed(3)})`);
  });

  it('a track that is not in the clip leaves every frame as it was', async () => {
    const edit = await createTrackedEdit(deps, { steps: STEPS, track: 7 }, ctx);
    const output = join(dir, 'track7.mp4');
    await renderVideo({}, { input: clip, output, frameProcessor: edit.process, processorKey: edit.key, quality: QUALITY, segmentFrames: 10 }, ctx);
    assert.equal(edit.stats.editedFrames, 0);
    assert.deepEqual([...edit.stats.trackIds], [1]);
    assert.deepEqual(await videoFrameMd5(ffmpeg, output), await videoFrameMd5(ffmpeg, identity));
  });

  it('cancel and resume with the tracker replaying kept frames equals an uninterrupted render', async () => {
    const straight = join(dir, 'straight.mp4');
    const first = await createTrackedEdit(deps, { steps: STEPS }, ctx);
    await renderVideo({}, { input: clip, output: straight, frameProcessor: first.process, processorKey: first.key, quality: QUALITY, segmentFrames: 10 }, ctx);

    const output = join(dir, 'resumed.mp4');
    const controller = new AbortController();
    const cancelled = await createTrackedEdit(deps, { steps: STEPS }, ctx);
    const stopAt25: FrameProcessor = async (frame, index, seconds) => {
      if (index === 25) controller.abort();
      return cancelled.process(frame, index, seconds);
    };
    const options = { input: clip, output, processorKey: cancelled.key, quality: QUALITY, segmentFrames: 10 };
    await assert.rejects(renderVideo({}, { ...options, frameProcessor: stopAt25 }, { ...ctx, signal: controller.signal }), (e: unknown) => e instanceof SeamError && e.code === 'CANCELLED');

    const again = await createTrackedEdit(deps, { steps: STEPS }, ctx);
    const result = await renderVideo({}, { ...options, processorKey: again.key, frameProcessor: again.process, replayFrame: again.replay, resume: true }, ctx);
    assert.ok(result.resumedFrames >= 10, `segments kept: ${result.resumedFrames} frames`);
    assert.equal(again.stats.editedFrames, FRAMES - result.resumedFrames, 'kept frames are not edited again');
    assert.deepEqual(await videoFrameMd5(ffmpeg, output), await videoFrameMd5(ffmpeg, straight));
  });
});
