// Clips that are not the easy case: each is rendered correctly (odd size, 10-bit, rotated phone
// clip, variable frame rate) or refused with BAD_INPUT naming the file (truncated, audio only,
// zero frames), and nothing is left half-written either way.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/engine/context';
import { buildReencodeArgs, type VideoQuality } from '../../src/engine/media/ffmpeg-args';
import { locateMediaTools, type LocatedMediaTool } from '../../src/engine/media/locate-ffmpeg';
import { runFfmpeg, startFfmpeg } from '../../src/engine/media/run-ffmpeg';
import { buildFrameTimesArgs, parseFrameTimes } from '../../src/engine/video/ffmpeg-video-args';
import { identityFrameProcessor } from '../../src/engine/video/frame-processor';
import { renderVideo } from '../../src/engine/video/render-video';
import { defaultWorkDir } from '../../src/engine/video/work-folder';
import { SeamError } from '../../src/shared/errors';
import { decodeRgb, FIXTURE_CLIP, makeClip, meanAbsDiff, probeStreams } from './video-clips';

const QUALITY: VideoQuality = { crf: 18, preset: 'veryfast' };
const ctx = { logger: silentLogger };
const testsrc = (size: string, seconds = 1, rate = '25') => ['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${rate}:duration=${seconds}`];

describe('renderVideo on awkward and broken clips', () => {
  let ffmpeg: LocatedMediaTool;
  let ffprobe: LocatedMediaTool;
  let dir = '';

  before(async () => {
    ({ ffmpeg, ffprobe } = await locateMediaTools());
    dir = await mkdtemp(join(tmpdir(), 'seam-video-bad-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  /** Renders with the identity processor; on success, the output against a plain re-encode. */
  async function renderAndCompare(input: string, name: string) {
    const output = join(dir, `${name}.out.mp4`);
    const result = await renderVideo({}, { input, output, frameProcessor: identityFrameProcessor, quality: QUALITY }, ctx);
    const baseline = join(dir, `${name}.baseline.mp4`);
    await runFfmpeg(ffmpeg.path, buildReencodeArgs({ input, output: baseline, container: 'mp4', quality: QUALITY }), { task: 'plain re-encode' });
    const [ours, plain] = await Promise.all([decodeRgb(ffmpeg, output), decodeRgb(ffmpeg, baseline)]);
    const diff = meanAbsDiff(ours, plain, result.width, result.height);
    assert.ok(diff <= 2.0, `${name}: mean |Δ| against a plain re-encode ${diff.toFixed(3)}`);
    const video = (await probeStreams(ffprobe, output)).streams.find((s) => s.codec_type === 'video')!;
    return { output, result, video };
  }

  /** Refused with BAD_INPUT naming the file, and nothing written: no output, no work folder, no temp file. */
  async function assertRefused(input: string, pattern: RegExp) {
    const output = join(dir, 'refused.mp4');
    await assert.rejects(renderVideo({}, { input, output, frameProcessor: identityFrameProcessor, quality: QUALITY }, ctx), (error: unknown) => {
      assert.ok(error instanceof SeamError, String(error));
      assert.equal(error.code, 'BAD_INPUT', error.message);
      assert.ok(error.message.includes(input), `the message names the file: ${error.message}`);
      assert.match(error.message, pattern);
      return true;
    });
    assert.equal(existsSync(output), false);
    assert.equal(existsSync(defaultWorkDir(output)), false, 'no work folder is left');
    assert.deepEqual((await readdir(dir)).filter((n) => n.endsWith('.tmp') || n.startsWith('.refused')), []);
  }

  it('a truncated file is refused', async () => {
    const whole = join(dir, 'whole.mp4');
    // faststart puts the index first, so the cut file still opens and the damage shows mid-decode.
    await makeClip(ffmpeg, ['-i', FIXTURE_CLIP, '-c', 'copy', '-movflags', '+faststart'], whole);
    const bytes = await readFile(whole);
    const truncated = join(dir, 'truncated.mp4');
    await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await assertRefused(truncated, /damaged or cut short/);
  });

  it('a file with no video stream (audio only) is refused', async () => {
    const audio = join(dir, 'voice.m4a');
    await makeClip(ffmpeg, ['-f', 'lavfi', '-i', 'sine=duration=1', '-c:a', 'aac'], audio);
    await assertRefused(audio, /no video stream/);
  });

  it('a video stream with zero frames is refused', async () => {
    const empty = join(dir, 'empty.y4m');
    await writeFile(empty, 'YUV4MPEG2 W320 H240 F25:1 Ip A1:1 C420jpeg\n');
    await assertRefused(empty, /no video frames/);
  });

  it('a file that is not media at all is refused', async () => {
    const text = join(dir, 'notes.mp4');
    await writeFile(text, 'not a video');
    await assertRefused(text, /not a media file/);
  });

  it('an odd size (401×301) is rendered, cropped to even', async () => {
    const odd = join(dir, 'odd.mp4');
    // 4:4:4 lets x264 store odd sizes; 4:2:0 output cannot, so the output drops the last row and column.
    // testsrc2 rounds its size to even, so the odd size comes from a scale.
    await makeClip(ffmpeg, [...testsrc('320x240'), '-vf', 'scale=401:301', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv444p'], odd);
    const { result, video } = await renderAndCompare(odd, 'odd');
    assert.deepEqual([video.width, video.height, Number(video.nb_read_frames)], [400, 300, 25]);
    assert.ok(result.notes.some((n) => /not even/.test(n)), result.notes.join('\n'));
  });

  it('a 10-bit clip is rendered as 8-bit', async (t) => {
    const deep = join(dir, 'deep.mp4');
    try {
      await makeClip(ffmpeg, [...testsrc('320x240'), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p10le'], deep);
    } catch (error) {
      t.skip(`this ffmpeg's libx264 cannot write 10-bit: ${(error as Error).message.split('\n').at(-1)}`);
      return;
    }
    const { result, video } = await renderAndCompare(deep, 'deep');
    assert.equal(video.pix_fmt, 'yuv420p');
    assert.equal(Number(video.nb_read_frames), 25);
    assert.ok(result.notes.some((n) => /10-bit/.test(n)), result.notes.join('\n'));
  });

  it('a rotated phone clip comes out upright, displaying as the source does', async () => {
    const stored = join(dir, 'landscape.mp4');
    await makeClip(ffmpeg, [...testsrc('320x240'), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'], stored);
    const rotated = join(dir, 'portrait.mp4');
    // A phone held upright stores landscape frames and a display matrix saying "turn by 90°".
    await makeClip(ffmpeg, ['-i', stored, '-c', 'copy', '-metadata:s:v:0', 'rotate=90'], rotated);
    const { video } = await renderAndCompare(rotated, 'portrait');
    assert.deepEqual([video.width, video.height], [240, 320], 'upright pixels');
    assert.equal((video.side_data_list ?? []).some((d) => d.side_data_type === 'Display Matrix'), false, 'and no rotation flag to apply twice');
  });

  it('sound an mp4 cannot hold (FLAC in Matroska) is re-encoded to AAC', async () => {
    const mkv = join(dir, 'flac.mkv');
    await makeClip(ffmpeg, [...testsrc('320x240'), '-f', 'lavfi', '-i', 'sine=duration=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'flac'], mkv);
    const output = join(dir, 'flac.out.mp4');
    const result = await renderVideo({}, { input: mkv, output, frameProcessor: identityFrameProcessor, quality: QUALITY }, ctx);
    assert.equal(result.audio, 'aac');
    const audio = (await probeStreams(ffprobe, output)).streams.find((s) => s.codec_type === 'audio');
    assert.equal(audio?.codec_name, 'aac');
    assert.ok(Math.abs(Number(audio.duration) - 1) < 0.05, `the sound lasts ${audio.duration} s`);
  });

  it('a variable frame rate clip keeps every frame at its own time', async () => {
    const vfr = join(dir, 'vfr.mp4');
    // 60 frames at 30 fps with a 0.5 s pause after frame 30, as a phone does in low light.
    await makeClip(ffmpeg, [...testsrc('320x240', 2, '30'), '-vf', 'setpts=N/30/TB+if(gte(N\\,30)\\,0.5/TB\\,0)', '-fps_mode', 'passthrough', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'], vfr);
    const output = join(dir, 'vfr.out.mp4');
    // Segments of 25 frames, so the pause falls inside one and a boundary falls after it.
    const result = await renderVideo({}, { input: vfr, output, frameProcessor: identityFrameProcessor, quality: QUALITY, segmentFrames: 25 }, ctx);
    assert.ok(result.notes.some((n) => /variable frame rate/.test(n)), result.notes.join('\n'));
    const [ours, source] = await Promise.all([frameTimes(output), frameTimes(vfr)]);
    assert.equal(ours.length, 60, 'no frame dropped or duplicated');
    const worst = Math.max(...ours.map((t, i) => Math.abs(t - source[i]!)));
    assert.ok(worst < 0.001, `each frame at the source's time (worst error ${(worst * 1000).toFixed(3)} ms)`);
    const video = (await probeStreams(ffprobe, output)).streams.find((s) => s.codec_type === 'video')!;
    const sourceVideo = (await probeStreams(ffprobe, vfr)).streams.find((s) => s.codec_type === 'video')!;
    assert.ok(Math.abs(Number(video.duration) - Number(sourceVideo.duration)) < 0.05, `duration ${video.duration} s vs the source's ${sourceVideo.duration} s`);
  });

  /** Each decoded frame's time, from ffprobe. */
  async function frameTimes(file: string): Promise<number[]> {
    const run = startFfmpeg(ffprobe.path, buildFrameTimesArgs(file), { task: 'frame times', stdout: true });
    let text = '';
    run.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    await run.done;
    return parseFrameTimes(text, {});
  }
});
