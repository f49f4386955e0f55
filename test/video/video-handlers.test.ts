/**
 * The contract's video methods through the real engine protocol (engine in a worker thread, as the
 * web host runs it), the way the app uses them: upload a clip with sound → openVideo →
 * thumbnails → trackVideo → a frame's preview with a plan → renderVideo → readRender. Renders are
 * lossless (CRF 0), so "the same frames" can be checked exactly: the preview of frame k is the
 * render's frame k, a range with target none is the source's frames, a cancelled render resumed
 * is the uninterrupted one.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { startEngineWorker, type EngineWorker } from '../../src/engine/host/start-worker';
import { availableVideoCodecs } from '../../src/engine/media/ffmpeg-encoders';
import { locateMediaTools, type LocatedMediaTool } from '../../src/engine/media/locate-ffmpeg';
import { frameColourOf, i420Bytes, VideoFrame } from '../../src/engine/video/video-frame';
import { decodeRgb, decodeYuv, FIXTURE_CLIP, makeClip, meanAbsDiff, probeStreams } from './video-clips';
import { rejectsWithSeamError } from '../support/seam-error';

const PHOTO = join(process.cwd(), 'test', 'fixtures', 'media', 'grace_hopper.jpg');
const W = 400;
const H = 300;
const FRAMES = 125;
const FRAME_BYTES = W * H * 3;
const LOSSLESS = { crf: 0, preset: 'ultrafast' } as const;

interface Info { videoId: string; frameCount: number; width: number; height: number; hasAudio: boolean; durationSeconds: number; notes: string[] }
interface Rendered { renderId: string; name: string; size: number; frames: number; resumedFrames: number; durationSeconds: number; audio: string }
interface Preview { pixels: Uint8Array; region: Uint8Array; faces: Array<{ trackId: number | null }>; notes: string[] }


function rgbOf(rgba: Uint8Array): Uint8Array {
  const out = new Uint8Array((rgba.length / 4) * 3);
  for (let p = 0, q = 0; p < rgba.length; p += 4, q += 3) out.set(rgba.subarray(p, p + 3), q);
  return out;
}

/**
 * Frame k of a render as RGB, converted from its decoded YUV the way the engine converts frames
 * for a preview (the lossless render stores the edited YUV exactly).
 */
async function renderedFrameRgb(ffmpeg: LocatedMediaTool, ffprobe: LocatedMediaTool, output: string, k: number): Promise<Uint8Array> {
  const video = (await probeStreams(ffprobe, output)).streams.find((s) => s.codec_type === 'video') as { color_space?: string; color_range?: string };
  const colour = frameColourOf({ ...(video.color_space ? { space: video.color_space } : {}), ...(video.color_range ? { range: video.color_range } : {}) }, H);
  const frameBytes = i420Bytes(W, H);
  const yuv = (await decodeYuv(ffmpeg, output)).subarray(k * frameBytes, (k + 1) * frameBytes);
  return new VideoFrame(W, H, new Uint8Array(yuv), colour).toRgb().data;
}

describe('video methods over the engine protocol', () => {
  let engine: EngineWorker;
  let dir = '';
  let ffmpeg: LocatedMediaTool;
  let ffprobe: LocatedMediaTool;
  let info: Info;
  let imageId = '';
  const call = <T>(method: string, arg: unknown, signal?: AbortSignal) => engine.client.call(method, [arg], signal) as Promise<T>;

  const upload = async (path: string, name: string): Promise<string> => {
    const bytes = new Uint8Array(readFileSync(path));
    const { uploadId } = await call<{ uploadId: string }>('beginUpload', { name, size: bytes.length });
    await call('writeUpload', { uploadId, offset: 0, bytes });
    return (await call<{ fileId: string }>('finishUpload', { uploadId })).fileId;
  };
  const readAll = async (render: Rendered): Promise<string> => {
    const chunks: Uint8Array[] = [];
    for (let offset = 0; offset < render.size; ) {
      const { bytes } = await call<{ bytes: Uint8Array }>('readRender', { renderId: render.renderId, offset, length: 1 << 20 });
      chunks.push(bytes);
      offset += bytes.length;
    }
    const path = join(dir, `${render.renderId}.mp4`);
    await writeFile(path, Buffer.concat(chunks));
    return path;
  };
  const plan = (extra: Record<string, unknown> = {}) => ({ steps: [{ processor: 'face-swap', options: { source: `image:${imageId}` } }], ...extra });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'seam-video-handlers-'));
    ({ ffmpeg, ffprobe } = await locateMediaTools());
    // 5 s of the talking man, with a tone for sound.
    await makeClip(ffmpeg, ['-stream_loop', '1', '-i', FIXTURE_CLIP, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-map', '0:v', '-map', '1:a', '-t', '5', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '16', '-pix_fmt', 'yuv420p', '-c:a', 'aac'], join(dir, 'talk.mp4'));
    engine = startEngineWorker({ dataDir: join(dir, 'data') });
    await engine.ready;
    const opened = await engine.client.call('openImage', [{ name: 'grace_hopper.jpg', bytes: new Uint8Array(readFileSync(PHOTO)) }]);
    imageId = (opened as { imageId: string }).imageId;
  });
  after(async () => {
    await engine?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('opens an uploaded clip: size, frames, sound', async () => {
    info = await call<Info>('openVideo', { fileId: await upload(join(dir, 'talk.mp4'), 'talk.mp4') });
    assert.match(info.videoId, /^vid-[0-9a-f]{12}$/);
    assert.deepEqual([info.width, info.height, info.frameCount, info.hasAudio], [W, H, FRAMES, true]);
    assert.ok(Math.abs(info.durationSeconds - 5) < 0.05, `duration ${info.durationSeconds}`);
    assert.deepEqual(info.notes, []);
  });

  it('gives thumbnails spread over the clip as JPEG', async () => {
    const { thumbnails } = await call<{ thumbnails: Array<{ frame: number; width: number; height: number; jpeg: Uint8Array }> }>('videoThumbnails', { videoId: info.videoId, count: 3, height: 60 });
    assert.deepEqual(thumbnails.map((t) => t.frame), [0, 62, 124]);
    const meta = await sharp(thumbnails[2]!.jpeg).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 80, 60]);
  });

  it('tracks the face through the clip, with progress, and keeps the tracks', async () => {
    const progress: Array<{ stage: string; done: number; total?: number; message?: string }> = [];
    const off = engine.client.onEvent((event, payload) => event === 'onProgress' && progress.push(payload as (typeof progress)[number]));
    const { tracks } = await call<{ tracks: Array<{ trackId: number; firstFrame: number; lastFrame: number; frames: number }> }>('trackVideo', { videoId: info.videoId });
    off();
    assert.equal(tracks.length, 1, JSON.stringify(tracks));
    assert.deepEqual([tracks[0]!.firstFrame, tracks[0]!.lastFrame, tracks[0]!.frames], [0, FRAMES - 1, FRAMES]);
    const last = progress.filter((p) => p.stage === 'track').at(-1);
    assert.equal(last?.done, FRAMES);
    assert.match(last?.message ?? '', /frame 125\/125 · [\d.]+ fps/);
    const plain = await call<Preview>('videoFrame', { videoId: info.videoId, frame: 30 });
    assert.deepEqual(plain.faces.map((f) => f.trackId), [tracks[0]!.trackId]);
  });

  it('previews frame k with a plan exactly as the render makes frame k; a range with target none is the source', async () => {
    const swap = plan({ overrides: [{ fromFrame: 40, toFrame: 59, target: { kind: 'none' } }] });
    const k = 20;
    const preview = await call<Preview>('videoFrame', { videoId: info.videoId, frame: k, plan: swap });
    const source = await call<Preview>('videoFrame', { videoId: info.videoId, frame: k });
    assert.ok(preview.region.some((v) => v > 0), 'the swap changed the face');
    assert.ok(meanAbsDiff(rgbOf(preview.pixels), rgbOf(source.pixels), W, H) > 1, 'the preview differs from the source');

    const rendered = await call<Rendered>('renderVideo', { videoId: info.videoId, plan: swap, ...LOSSLESS });
    assert.equal(rendered.frames, FRAMES);
    const output = await readAll(rendered);
    const facts = await probeStreams(ffprobe, output);
    const video = facts.streams.find((s) => s.codec_type === 'video')!;
    assert.equal(Number(video.nb_read_frames), FRAMES);
    assert.ok(facts.streams.some((s) => s.codec_type === 'audio'), 'the sound is kept');
    assert.ok(Math.abs(Number(facts.format.duration) - info.durationSeconds) < 0.05, `duration ${facts.format.duration}`);

    const frames = await decodeRgb(ffmpeg, output);
    assert.ok(Buffer.from(await renderedFrameRgb(ffmpeg, ffprobe, output, k)).equals(rgbOf(preview.pixels)), 'preview of frame k = render frame k');

    const untouched = await call<Rendered>('renderVideo', { videoId: info.videoId, plan: plan({ target: { kind: 'none' } }), ...LOSSLESS });
    const plainFrames = await decodeRgb(ffmpeg, await readAll(untouched));
    const range = (buffer: Buffer, from: number, to: number) => buffer.subarray(from * FRAME_BYTES, (to + 1) * FRAME_BYTES);
    assert.ok(range(frames, 40, 59).equals(range(plainFrames, 40, 59)), 'frames 40–59 (target none) equal the plain re-encode');
    assert.ok(meanAbsDiff(range(frames, 0, 39), range(plainFrames, 0, 39), W, H) > 1, 'frames 0–39 are edited');
    assert.ok(meanAbsDiff(range(frames, 60, 124), range(plainFrames, 60, 124), W, H) > 1, 'frames 60–124 are edited');
    assert.equal(await call('discardRender', { renderId: untouched.renderId }), true);
  });

  it('an exclude mask painted on one frame follows the face and keeps the source there', async () => {
    type Boxed = Preview & { faces: Array<{ trackId: number | null; box: { x: number; y: number; width: number; height: number } }> };
    const painted = await call<Boxed>('videoFrame', { videoId: info.videoId, frame: 10 });
    const box = painted.faces[0]!.box;
    // The left half of the face, painted on frame 10.
    const mask = new Uint8Array(W * H);
    for (let y = Math.ceil(box.y); y < box.y + box.height; y++) for (let x = Math.ceil(box.x); x < box.x + box.width / 2; x++) mask[y * W + x] = 255;
    const corrected = plan({ maskCorrections: [{ frame: 10, trackId: painted.faces[0]!.trackId, spanFrames: 30, mode: 'exclude', mask: { width: W, height: H, data: mask } }] });
    const k = 30;
    const preview = await call<Boxed>('videoFrame', { videoId: info.videoId, frame: k, plan: corrected });
    const swapped = await call<Boxed>('videoFrame', { videoId: info.videoId, frame: k, plan: plan() });
    const source = await call<Boxed>('videoFrame', { videoId: info.videoId, frame: k });
    const at = preview.faces[0]!.box;
    const inner = 3; // the bilinear edge of the moved mask
    const leftHalf = (x: number, y: number) => x >= at.x + inner && x < at.x + at.width / 2 - inner && y >= at.y + inner && y < at.y + at.height - inner;
    const rightHalf = (x: number, y: number) => x >= at.x + at.width / 2 + inner && x < at.x + at.width - inner && y >= at.y + inner && y < at.y + at.height - inner;
    const [p, s, e] = [rgbOf(preview.pixels), rgbOf(source.pixels), rgbOf(swapped.pixels)];
    assert.ok(meanAbsDiff(s, e, W, H, leftHalf) > 2, 'the swap changes the left half without the mask');
    assert.equal(meanAbsDiff(p, s, W, H, leftHalf), 0, 'the followed mask keeps the source there');
    assert.equal(meanAbsDiff(p, e, W, H, rightHalf), 0, 'the rest of the face is swapped as without the mask');
    const outOfSpan = await call<Boxed>('videoFrame', { videoId: info.videoId, frame: 41, plan: corrected });
    const swappedThere = await call<Boxed>('videoFrame', { videoId: info.videoId, frame: 41, plan: plan() });
    assert.deepEqual(outOfSpan.pixels, swappedThere.pixels, '31 frames away the mask no longer applies');
  });

  it('a cancelled render resumes from its finished segments and gives the uninterrupted frames', async () => {
    const settings = { videoId: info.videoId, plan: plan({ keyframes: [{ stepIndex: 0, key: 'strength', frame: 0, value: 0.2 }, { stepIndex: 0, key: 'strength', frame: 124, value: 1 }] }), ...LOSSLESS };
    const stop = new AbortController();
    const rendersDir = join(dir, 'data', 'renders');
    const off = engine.client.onEvent((event, payload) => {
      const p = payload as { stage: string; done: number };
      if (event !== 'onProgress' || p.stage !== 'render' || p.done <= 100) return;
      // Cancel once the first segment (100 frames) is in the journal.
      for (const render of existsSync(rendersDir) ? readdirSync(rendersDir) : []) {
        const work = readdirSync(join(rendersDir, render)).find((n) => n.endsWith('.seam-work'));
        const journal = work && join(rendersDir, render, work, 'journal.json');
        if (journal && existsSync(journal) && (JSON.parse(readFileSync(journal, 'utf8')) as { segments: unknown[] }).segments.length > 0) stop.abort();
      }
    });
    await rejectsWithSeamError(call('renderVideo', settings, stop.signal), 'CANCELLED', /talk\.mp4 was cancelled.*resumes/);
    off();
    const resumed = await call<Rendered>('renderVideo', settings);
    assert.equal(resumed.resumedFrames, 100);
    const resumedFrames = await decodeRgb(ffmpeg, await readAll(resumed));
    await call('discardRender', { renderId: resumed.renderId });
    const whole = await call<Rendered>('renderVideo', settings);
    assert.equal(whole.resumedFrames, 0);
    assert.ok(resumedFrames.equals(await decodeRgb(ffmpeg, await readAll(whole))), 'resumed = uninterrupted, frame for frame');
  });

  it('lists the codecs this ffmpeg has, renders with one of them, and refuses a file that cannot hold it', async () => {
    const { codecs } = (await engine.client.call('videoCodecs', [])) as { codecs: string[] };
    assert.deepEqual(codecs, await availableVideoCodecs(ffmpeg));
    assert.equal(codecs[0], 'libx264', 'the default first');
    const none = plan({ target: { kind: 'none' } });
    if (codecs.includes('prores_ks')) {
      const rendered = await call<Rendered>('renderVideo', { videoId: info.videoId, plan: none, container: 'mov', codec: 'prores_ks', profile: 'proxy', fromFrame: 0, toFrame: 9 });
      assert.match(rendered.name, /^talk-seam\.mov$/);
      const video = (await probeStreams(ffprobe, await readAll(rendered))).streams.find((s) => s.codec_type === 'video')!;
      assert.deepEqual([video.codec_name, Number(video.nb_read_frames)], ['prores', 10]);
      await call('discardRender', { renderId: rendered.renderId });
    } else {
      await rejectsWithSeamError(call('renderVideo', { videoId: info.videoId, plan: none, container: 'mov', codec: 'prores_ks' }), 'BAD_INPUT', /has no prores_ks encoder/);
    }
    await rejectsWithSeamError(call('renderVideo', { videoId: info.videoId, plan: none, container: 'mov', codec: 'libvpx-vp9' }), 'VALIDATION', /container: VP9 \(libvpx\) cannot be written to a \.mov file/);
    await rejectsWithSeamError(call('renderVideo', { videoId: info.videoId, plan: none, codec: 'libx264', crf: 60 }), 'VALIDATION', /crf: CRF for H\.264 \(x264\) must be from 0 to 51, got 60/);
  });

  it('refuses bad clips and bad plans with clear messages', async () => {
    const text = join(dir, 'notes.mp4');
    await writeFile(text, 'not a video');
    await rejectsWithSeamError(call('openVideo', { fileId: await upload(text, 'notes.mp4') }), 'BAD_INPUT', /notes\.mp4 is not a media file/);
    const audio = join(dir, 'tone.m4a');
    await makeClip(ffmpeg, ['-f', 'lavfi', '-i', 'sine=duration=1', '-c:a', 'aac'], audio);
    await rejectsWithSeamError(call('openVideo', { fileId: await upload(audio, 'tone.m4a') }), 'BAD_INPUT', /tone\.m4a has no video stream/);
    const whole = readFileSync(join(dir, 'talk.mp4'));
    const cut = join(dir, 'cut.mp4');
    await makeClip(ffmpeg, ['-i', join(dir, 'talk.mp4'), '-c', 'copy', '-movflags', '+faststart'], join(dir, 'fast.mp4'));
    await writeFile(cut, readFileSync(join(dir, 'fast.mp4')).subarray(0, Math.floor(whole.length * 0.6)));
    await rejectsWithSeamError(call('openVideo', { fileId: await upload(cut, 'cut.mp4') }), 'BAD_INPUT', /cut\.mp4 is damaged or cut short/);
    await rejectsWithSeamError(call('videoFrame', { videoId: info.videoId, frame: FRAMES }), 'BAD_INPUT', /Frame 125 is outside talk\.mp4/);
    await rejectsWithSeamError(
      call('videoFrame', { videoId: info.videoId, frame: 0, plan: { steps: [{ processor: 'face-swap', options: { source: '/etc/passwd' } }] } }),
      'BAD_INPUT',
      /must be a photo open in Seam/,
    );
    await rejectsWithSeamError(call('videoFrame', { videoId: info.videoId, frame: 0, plan: plan({ keyframes: [{ stepIndex: 0, key: 'allFaces', frame: 0, value: 1 }] }) }), 'BAD_INPUT', /not a number option/);
    assert.equal(await call('closeVideo', { videoId: info.videoId }), true);
    await rejectsWithSeamError(call('videoFrame', { videoId: info.videoId, frame: 0 }), 'NOT_FOUND', /no longer open/);
  });
});
