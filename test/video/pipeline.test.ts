// The video pipeline against the real ffmpeg on the 4 s fixture clip with a sine tone added:
// every frame and the sound kept, pixels as a plain re-encode outside what the processor drew,
// cancel then resume equal to an uninterrupted render without redoing finished segments, the
// output appearing only when complete and the source untouched.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger, type Progress } from '../../src/engine/context';
import { buildReencodeArgs } from '../../src/engine/media/ffmpeg-args';
import { locateMediaTools, type LocatedMediaTool } from '../../src/engine/media/locate-ffmpeg';
import { runFfmpeg } from '../../src/engine/media/run-ffmpeg';
import { identityFrameProcessor, type FrameProcessor } from '../../src/engine/video/frame-processor';
import type { RenderJournal } from '../../src/engine/video/render-journal';
import { renderVideo } from '../../src/engine/video/render-video';
import { defaultWorkDir } from '../../src/engine/video/work-folder';
import { SeamError } from '../../src/shared/errors';
import { audioPacketsMd5, decodeRgb, drawMovingBox, FIXTURE_CLIP, inMovingBox, makeClip, meanAbsDiff, probeStreams, sha256OfFile, TEST_QUALITY, videoFrameMd5 } from './video-clips';

const WIDTH = 400;
const HEIGHT = 300;
const FRAMES = 100;
const QUALITY = TEST_QUALITY;
const ctx = { logger: silentLogger };
const drawBox: FrameProcessor = drawMovingBox;
const inBox = inMovingBox;

function seamError(code: string, pattern?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof SeamError, `expected SeamError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (pattern) assert.match(error.message, pattern);
    return true;
  };
}

describe('renderVideo on a clip with sound', () => {
  let ffmpeg: LocatedMediaTool;
  let ffprobe: LocatedMediaTool;
  let dir = '';
  let clip = '';
  let clipSha = '';
  let baseline = '';
  let baselineRgb: Buffer;

  before(async () => {
    ({ ffmpeg, ffprobe } = await locateMediaTools());
    dir = await mkdtemp(join(tmpdir(), 'seam-video-'));
    clip = join(dir, 'talk.mp4');
    await makeClip(ffmpeg, ['-i', FIXTURE_CLIP, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=4', '-map', '0:v', '-map', '1:a', '-c:v', 'copy', '-c:a', 'aac', '-shortest'], clip);
    clipSha = await sha256OfFile(clip);
    baseline = join(dir, 'baseline.mp4');
    await runFfmpeg(ffmpeg.path, buildReencodeArgs({ input: clip, output: baseline, container: 'mp4', quality: QUALITY }), { task: 'plain re-encode' });
    baselineRgb = await decodeRgb(ffmpeg, baseline);
  });

  after(async () => {
    assert.equal(await sha256OfFile(clip), clipSha, 'the source clip must be byte-identical after every render');
    await rm(dir, { recursive: true, force: true });
  });

  it('identity: every frame, the same duration, the sound copied bit for bit, the pixels of a plain re-encode', async () => {
    const output = join(dir, 'identity.mp4');
    const progress: Progress[] = [];
    const result = await renderVideo({}, { input: clip, output, frameProcessor: identityFrameProcessor, quality: QUALITY, segmentFrames: 30 }, { ...ctx, onProgress: (p) => progress.push(p) });
    assert.equal(result.frames, FRAMES);
    assert.deepEqual({ ...progress.at(-1), message: undefined }, { stage: 'render', done: FRAMES, total: FRAMES, message: undefined });
    assert.match(progress.at(-1)?.message ?? '', /^frame 100\/100 · [\d.]+ fps · ETA 0:00$/);
    assert.equal(result.audio, 'copy');
    const facts = await probeStreams(ffprobe, output);
    const video = facts.streams.find((s) => s.codec_type === 'video')!;
    assert.equal(Number(video.nb_read_frames), FRAMES);
    assert.equal(video.r_frame_rate, '25/1');
    assert.ok(Math.abs(Number(video.duration) - 4) < 1e-3, `video lasts ${video.duration} s`);
    assert.equal(await audioPacketsMd5(ffmpeg, output), await audioPacketsMd5(ffmpeg, clip));
    const rgb = await decodeRgb(ffmpeg, output);
    // Both are lossy encodes of the same frames (ours goes through RGB, the plain one stays YUV):
    // measured 1.6 levels apart on this clip, and ours is no further from the source than it.
    const diff = meanAbsDiff(rgb, baselineRgb, WIDTH, HEIGHT);
    assert.ok(diff <= 2.0, `mean |Δ| against the plain re-encode is ${diff.toFixed(3)}`);
    const sourceRgb = await decodeRgb(ffmpeg, clip);
    const ours = meanAbsDiff(rgb, sourceRgb, WIDTH, HEIGHT);
    const plain = meanAbsDiff(baselineRgb, sourceRgb, WIDTH, HEIGHT);
    assert.ok(ours <= plain + 0.25, `against the source: ours ${ours.toFixed(3)}, the plain re-encode ${plain.toFixed(3)}`);
    assert.equal(existsSync(defaultWorkDir(output)), false, 'the work folder is removed on success');
    assert.deepEqual((await readdir(dir)).filter((n) => n.includes('.tmp')), [], 'no temp file is left beside the output');
  });

  it('a processor that draws a box changes the box and nothing else', async () => {
    const output = join(dir, 'box.mp4');
    await renderVideo({}, { input: clip, output, frameProcessor: drawBox, quality: QUALITY, segmentFrames: 30 }, ctx);
    const rgb = await decodeRgb(ffmpeg, output);
    // Outside the box and a 16-pixel band around it (one macroblock of the codec's reach).
    const outside = meanAbsDiff(rgb, baselineRgb, WIDTH, HEIGHT, (x, y, f) => !inBox(x, y, f, 16));
    assert.ok(outside <= 2.0, `outside the box mean |Δ| is ${outside.toFixed(3)}`);
    const inside = meanAbsDiff(rgb, baselineRgb, WIDTH, HEIGHT, (x, y, f) => inBox(x, y, f, -4));
    assert.ok(inside > 40, `inside the box the picture must change (mean |Δ| ${inside.toFixed(1)})`);
  });

  it('frames edited several at once and finishing out of order are written in order, the same as one at a time', async () => {
    const oneAtATime = join(dir, 'box-sequential.mp4');
    await renderVideo({}, { input: clip, output: oneAtATime, frameProcessor: drawBox, quality: QUALITY, segmentFrames: 30 }, ctx);
    const order: number[] = [];
    // Each frame takes longer than the next three: they finish in reverse within each group of four.
    const slowerFirst: FrameProcessor = async (frame, index, seconds) => {
      await new Promise((resolve) => setTimeout(resolve, (3 - (index % 4)) * 4));
      await drawBox(frame, index, seconds);
      order.push(index);
    };
    const output = join(dir, 'box-in-flight.mp4');
    const result = await renderVideo({}, { input: clip, output, frameProcessor: slowerFirst, framesInFlight: 4, quality: QUALITY, segmentFrames: 30 }, ctx);
    assert.equal(result.frames, FRAMES);
    assert.notDeepEqual(order, [...order].sort((a, b) => a - b), 'the edits did finish out of order');
    assert.deepEqual(await videoFrameMd5(ffmpeg, output), await videoFrameMd5(ffmpeg, oneAtATime));
  });

  it('cancel, then resume: the same frames as an uninterrupted render, finished segments not redone, no output until complete', async () => {
    const straight = join(dir, 'straight.mp4');
    await renderVideo({}, { input: clip, output: straight, frameProcessor: drawBox, quality: QUALITY, segmentFrames: 20 }, ctx);

    const output = join(dir, 'resumed.mp4');
    const workDir = defaultWorkDir(output);
    const controller = new AbortController();
    let processed = 0;
    const cancelling: FrameProcessor = async (frame, index, seconds) => {
      processed++;
      assert.equal(existsSync(output), false, 'the output must not exist while rendering');
      if (index === 65) controller.abort();
      return drawBox(frame, index, seconds);
    };
    await assert.rejects(
      renderVideo({}, { input: clip, output, frameProcessor: cancelling, quality: QUALITY, segmentFrames: 20 }, { ...ctx, signal: controller.signal }),
      seamError('CANCELLED'),
    );
    assert.equal(existsSync(output), false, 'a cancelled render leaves no output');
    const journal = JSON.parse(await readFile(join(workDir, 'journal.json'), 'utf8')) as RenderJournal;
    const kept = journal.segments.reduce((sum, s) => sum + s.frames, 0);
    assert.ok(kept >= 40 && kept <= 60 && kept % 20 === 0, `segments finished before the cancel: ${kept} frames`);
    assert.deepEqual((await readdir(workDir)).filter((n) => n.endsWith('.part')), [], 'the unfinished segment is deleted');

    // A damaged segment is redone, not trusted: change one byte's worth of the last kept one.
    await appendFile(join(workDir, journal.segments.at(-1)!.file), 'x');
    const trusted = kept - 20;
    processed = 0;
    const counting: FrameProcessor = async (frame, index, seconds) => {
      processed++;
      return drawBox(frame, index, seconds);
    };
    const result = await renderVideo({}, { input: clip, output, frameProcessor: counting, quality: QUALITY, segmentFrames: 20, resume: true }, ctx);
    assert.equal(processed, FRAMES - trusted, 'only the frames after the trusted segments are processed again');
    assert.equal(result.resumedFrames, trusted);
    assert.deepEqual(await videoFrameMd5(ffmpeg, output), await videoFrameMd5(ffmpeg, straight), 'frame-exact equal to the uninterrupted render');
    assert.equal(await audioPacketsMd5(ffmpeg, output), await audioPacketsMd5(ffmpeg, clip));
    assert.equal(existsSync(workDir), false);
  });

  it('a range renders that part with its sound', async () => {
    const output = join(dir, 'range.mp4');
    const result = await renderVideo({}, { input: clip, output, frameProcessor: identityFrameProcessor, quality: QUALITY, range: { startSeconds: 1, endSeconds: 2.5 } }, ctx);
    const facts = await probeStreams(ffprobe, output);
    const video = facts.streams.find((s) => s.codec_type === 'video')!;
    assert.equal(Number(video.nb_read_frames), result.frames);
    assert.ok(Math.abs(result.frames - 37.5) <= 1, `1.5 s at 25 fps is about 37 frames, got ${result.frames}`);
    const audio = facts.streams.find((s) => s.codec_type === 'audio');
    assert.ok(audio && Math.abs(Number(audio.duration) - 1.5) < 0.05, `the sound lasts ${audio?.duration} s`);
    // Frame 0 of the output is the source's frame at 1 s.
    const rgb = await decodeRgb(ffmpeg, output);
    const frameBytes = WIDTH * HEIGHT * 3;
    const first = meanAbsDiff(rgb.subarray(0, frameBytes), baselineRgb.subarray(25 * frameBytes, 26 * frameBytes), WIDTH, HEIGHT);
    assert.ok(first < 2, `first frame against the source's frame 25: mean |Δ| ${first.toFixed(2)}`);
  });

  it('refuses to overwrite its source and unknown output types, before any work', async () => {
    await assert.rejects(renderVideo({}, { input: clip, output: clip, frameProcessor: identityFrameProcessor }, ctx), seamError('BAD_INPUT', /overwrite/));
    await assert.rejects(renderVideo({}, { input: clip, output: join(dir, 'x.gif'), frameProcessor: identityFrameProcessor }, ctx), seamError('BAD_INPUT', /\.mp4/));
  });
});
