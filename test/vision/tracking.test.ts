// Tracking faces through video: the One Euro filter and the smoothing setting, the settings'
// validation, frame cutting from ffmpeg's pipe, re-identification rules, and then the real thing
// on a 4-second clip of a man talking and turning his head (test/fixtures/media/cap12_cut.mp4):
// one stable id, less jitter with smoothing, no visible lag on a fast pan, the same id after the
// face is blacked out for 8 frames.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../../src/engine/context';
import { decodeImage } from '../../src/engine/image/decode';
import type { RasterImage } from '../../src/engine/image/image';
import { locateFfmpeg } from '../../src/engine/media/locate-ffmpeg';
import { runFfmpeg } from '../../src/engine/media/run-ffmpeg';
import { SeamError } from '../../src/shared/errors';
import type { Landmark } from '../../src/engine/vision/faces/face-types';
import { scaleTranslate } from '../../src/engine/vision/image-ops/affine';
import { warpToImage } from '../../src/engine/vision/image-ops/warp';
import type { FaceSignature } from '../../src/engine/vision/tracking/face-signature';
import type { FaceTrack } from '../../src/engine/vision/tracking/face-track';
import { FaceTracker } from '../../src/engine/vision/tracking/face-tracker';
import { OneEuroVectorFilter, oneEuroForSmoothing } from '../../src/engine/vision/tracking/one-euro-filter';
import { trackVideo, type VideoTracks } from '../../src/engine/vision/tracking/track-video';
import { reidentify } from '../../src/engine/vision/tracking/track-matching';
import { resolveTrackerSettings } from '../../src/engine/vision/tracking/tracker-settings';
import { FrameAssembler, openVideo, readVideoFrames } from '../../src/engine/vision/tracking/video-frames';
import { mediaPath, testPipeline } from './faces-fixtures';

const CLIP = mediaPath('cap12_cut.mp4');
/** Points that move with the skull only (eye corners, nose bridge and tip, forehead, cheeks): jaw and lips move when talking. */
const RIGID_POINTS = [33, 133, 362, 263, 1, 6, 168, 10, 151, 234, 454];

const { pipeline, pool } = testPipeline();
const tempDir = await mkdtemp(join(tmpdir(), 'seam-tracking-'));
after(async () => {
  await pool.releaseAll();
  await rm(tempDir, { recursive: true, force: true });
});

/** Deterministic noise in [-0.5, 0.5). */
function noise(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  };
}

describe('One Euro filter', () => {
  it('passes a constant through unchanged and calms noise around it', () => {
    const filter = new OneEuroVectorFilter(1, oneEuroForSmoothing(0.5)!);
    const rnd = noise(7);
    let rawStep = 0;
    let smoothStep = 0;
    let previousRaw = 100;
    let previousSmooth = 100;
    for (let i = 0; i < 100; i++) {
      const raw = 100 + rnd() * 0.8;
      const smooth = filter.apply([raw], i / 25, 100)[0]!;
      if (i > 0) {
        rawStep += Math.abs(raw - previousRaw);
        smoothStep += Math.abs(smooth - previousSmooth);
      }
      previousRaw = raw;
      previousSmooth = smooth;
    }
    assert.ok(smoothStep < rawStep * 0.5, `frame-to-frame movement ${smoothStep.toFixed(2)} vs raw ${rawStep.toFixed(2)}`);
    const flat = new OneEuroVectorFilter(2, oneEuroForSmoothing(1)!);
    for (let i = 0; i < 10; i++) assert.deepEqual(Array.from(flat.apply([3, -4], i / 30)), [3, -4]);
  });

  it('follows fast motion closely at the default amount, more loosely at heavy smoothing', () => {
    const lagAt = (amount: number) => {
      const filter = new OneEuroVectorFilter(1, oneEuroForSmoothing(amount)!);
      // A face 140 px wide panning at 200 px/s (1.4 face widths per second), 25 fps.
      let out = 0;
      for (let i = 0; i <= 50; i++) out = filter.apply([200 * (i / 25)], i / 25, 140)[0]!;
      return 200 * 2 - out;
    };
    assert.ok(lagAt(0.5) < 1.5, `lag at 0.5: ${lagAt(0.5).toFixed(2)} px`);
    assert.ok(lagAt(1) > lagAt(0.5) && lagAt(1) < 5, `lag at 1: ${lagAt(1).toFixed(2)} px`);
  });

  it('maps the smoothing amount monotonically, 0 meaning off', () => {
    assert.equal(oneEuroForSmoothing(0), null);
    const light = oneEuroForSmoothing(0.1)!;
    const heavy = oneEuroForSmoothing(0.9)!;
    assert.ok(light.minCutoff > heavy.minCutoff && light.beta > heavy.beta);
    assert.throws(() => oneEuroForSmoothing(1.5), RangeError);
  });

  it('starts afresh after reset', () => {
    const filter = new OneEuroVectorFilter(1, oneEuroForSmoothing(1)!);
    filter.apply([0], 0);
    filter.apply([0], 0.04);
    filter.reset();
    assert.deepEqual(Array.from(filter.apply([50], 0.08)), [50]);
  });
});

describe('tracker settings', () => {
  it('fills defaults and rejects bad values with BAD_INPUT naming the option', () => {
    const s = resolveTrackerSettings({ smoothing: 0 });
    assert.equal(s.oneEuro, null);
    assert.equal(s.detectEvery, 10);
    const bad = (partial: Parameters<typeof resolveTrackerSettings>[0], pattern: RegExp) =>
      assert.throws(() => resolveTrackerSettings(partial), (e: unknown) => e instanceof SeamError && e.code === 'BAD_INPUT' && pattern.test(e.message));
    bad({ smoothing: 2 }, /--smoothing/);
    bad({ detectEvery: 2.5 }, /--detect-every/);
    bad({ maxFaces: 0 }, /maxFaces/);
  });
});

describe('frames from the pipe', () => {
  it('cuts exact frames from chunks of any size and keeps the partial tail', () => {
    const frameBytes = 12;
    const stream = Buffer.from(Array.from({ length: 12 * 3 + 5 }, (_, i) => i % 256));
    const assembler = new FrameAssembler(frameBytes);
    const frames: Uint8Array[] = [];
    for (const size of [5, 7, 12, 1, 16]) {
      const offset = frames.length * frameBytes + assembler.leftoverBytes;
      frames.push(...assembler.push(stream.subarray(offset, offset + size)));
    }
    assert.equal(frames.length, 3);
    frames.forEach((f, i) => assert.deepEqual(Array.from(f), Array.from(stream.subarray(i * 12, i * 12 + 12))));
    assert.equal(assembler.leftoverBytes, 5);
  });

  it('decodes every frame of the clip, and stops ffmpeg when the reader stops or is cancelled', async () => {
    const source = await openVideo(CLIP);
    assert.deepEqual([source.width, source.height, source.fps, source.frameCount], [400, 300, 25, 100]);
    let count = 0;
    for await (const frame of readVideoFrames(source)) {
      assert.equal(frame.image.data.length, 400 * 300 * 3);
      count++;
    }
    assert.equal(count, 100);
    for await (const frame of readVideoFrames(source)) if (frame.index === 2) break;
    const controller = new AbortController();
    await assert.rejects(
      (async () => {
        for await (const frame of readVideoFrames(source, { context: { signal: controller.signal } })) if (frame.index === 5) controller.abort();
      })(),
      (e: unknown) => e instanceof SeamError && e.code === 'CANCELLED',
    );
  });

  it('refuses a file that is not a video with BAD_INPUT', async () => {
    const notVideo = join(tempDir, 'notes.mp4');
    await writeFile(notVideo, 'not a video at all');
    await assert.rejects(trackVideo(pipeline, notVideo, { logger: silentLogger }), (e: unknown) => e instanceof SeamError && e.code === 'BAD_INPUT' && /notes\.mp4/.test(e.message));
  });
});

describe('re-identification rules', () => {
  const mesh = (dx: number): Landmark[] => Array.from({ length: 468 }, (_, i) => ({ x: 100 + dx + (i % 20) * 5, y: 100 + Math.floor(i / 20) * 5, z: 0 }));
  const signature = (tone: number): FaceSignature => ({ geometry: [0, 0.4, 0, 1.2], colour: [tone, 0.31, tone, 0.31] });
  const lostTrack = (dx: number, tone: number, missed: number) => ({ landmarks: mesh(dx), signature: signature(tone), missed }) as unknown as FaceTrack;

  it('gives a reappearing face the id of the lost track near it that looks alike', () => {
    const near = lostTrack(10, 0.45, 5);
    const far = lostTrack(400, 0.45, 5);
    const [match] = reidentify([{ points: mesh(0), signature: signature(0.45) }], [far, near]);
    assert.equal(match, near);
  });

  it('does not hand the id to a different-looking face, or to one that is too far away', () => {
    const track = lostTrack(0, 0.45, 2);
    assert.deepEqual(reidentify([{ points: mesh(0), signature: signature(0.6) }], [track]), [undefined]);
    assert.deepEqual(reidentify([{ points: mesh(300), signature: signature(0.45) }], [track]), [undefined]);
  });
});

/** Mean frame-to-frame movement of the rigid points, in pixels, over `frames`. */
function meanStep(result: VideoTracks, frames: readonly number[]): number {
  let sum = 0;
  for (const i of frames) {
    const a = result.frames[i - 1]!.faces[0]!.landmarks;
    const b = result.frames[i]!.faces[0]!.landmarks;
    sum += RIGID_POINTS.reduce((s, p) => s + Math.hypot(b[p]!.x - a[p]!.x, b[p]!.y - a[p]!.y), 0) / RIGID_POINTS.length;
  }
  return sum / frames.length;
}

/** Mean distance of the rigid points from their own centred 5-frame average: the high-frequency part of the motion. */
function highFrequencyResidual(result: VideoTracks): number {
  let sum = 0;
  let count = 0;
  for (let i = 2; i < result.frames.length - 2; i++) {
    for (const p of RIGID_POINTS) {
      const window = [-2, -1, 0, 1, 2].map((d) => result.frames[i + d]!.faces[0]!.landmarks[p]!);
      const mx = window.reduce((s, q) => s + q.x, 0) / 5;
      const my = window.reduce((s, q) => s + q.y, 0) / 5;
      const q = result.frames[i]!.faces[0]!.landmarks[p]!;
      sum += Math.hypot(q.x - mx, q.y - my);
      count++;
    }
  }
  return sum / count;
}

describe('tracking the test clip', () => {
  let raw: VideoTracks;
  let smoothed: VideoTracks;

  it('keeps one track id on every frame, running the detector only every 10 frames', async () => {
    raw = await trackVideo(pipeline, CLIP, { logger: silentLogger }, { settings: { smoothing: 0 } });
    smoothed = await trackVideo(pipeline, CLIP, { logger: silentLogger }, { settings: { smoothing: 0.5 } });
    for (const result of [raw, smoothed]) {
      assert.equal(result.frames.length, 100);
      assert.deepEqual([result.width, result.height, result.fps], [400, 300, 25]);
      for (const frame of result.frames) assert.deepEqual(frame.faces.map((f) => f.trackId), [1], `frame ${frame.index}`);
      assert.equal(result.stats.detectorRuns, 10);
      assert.equal(result.stats.tracksStarted, 1);
    }
  });

  it('smoothing takes out jitter where the head is still', (t) => {
    // "Still" frames: where the raw skull points' 7-frame centred average moves < 0.3 px a frame.
    const centre = raw.frames.map((f) => {
      const pts = RIGID_POINTS.map((p) => f.faces[0]!.landmarks[p]!);
      return { x: pts.reduce((s, p) => s + p.x, 0) / pts.length, y: pts.reduce((s, p) => s + p.y, 0) / pts.length };
    });
    const average = centre.map((_, i) => {
      const window = centre.slice(Math.max(0, i - 3), i + 4);
      return { x: window.reduce((s, p) => s + p.x, 0) / window.length, y: window.reduce((s, p) => s + p.y, 0) / window.length };
    });
    const still = average.flatMap((p, i) => (i > 0 && Math.hypot(p.x - average[i - 1]!.x, p.y - average[i - 1]!.y) < 0.3 ? [i] : []));
    assert.ok(still.length >= 40, `${still.length} still frames`);
    const jitterOff = meanStep(raw, still);
    const jitterOn = meanStep(smoothed, still);
    const residualOff = highFrequencyResidual(raw);
    const residualOn = highFrequencyResidual(smoothed);
    t.diagnostic(`jitter on ${still.length} still frames (mean frame-to-frame step of skull points): off ${jitterOff.toFixed(3)} px, smoothing 0.5 ${jitterOn.toFixed(3)} px`);
    t.diagnostic(`high-frequency residual over all frames: off ${residualOff.toFixed(3)} px, smoothing 0.5 ${residualOn.toFixed(3)} px (face ≈ 100 px wide)`);
    assert.ok(jitterOn < jitterOff * 0.7, `smoothing should cut still-face jitter by 30 %: ${jitterOn} vs ${jitterOff}`);
    assert.ok(residualOn < residualOff * 0.8, `smoothing should cut the high-frequency residual: ${residualOn} vs ${residualOff}`);
  });

  it('gets the same id back after the face is blacked out for 8 frames', async () => {
    const occluded = join(tempDir, 'occluded.mp4');
    const ffmpeg = await locateFfmpeg();
    await runFfmpeg(
      ffmpeg.path,
      ['-hide_banner', '-nostdin', '-v', 'error', '-y', '-i', CLIP,
        '-vf', "drawbox=x=120:y=70:w=170:h=200:color=black:t=fill:enable='between(n,40,47)'",
        '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-pix_fmt', 'yuv420p', occluded],
      { task: 'making the occluded clip' },
    );
    const result = await trackVideo(pipeline, occluded, { logger: silentLogger }, { settings: { smoothing: 0.5 } });
    const ids = result.frames.map((f) => f.faces.map((face) => face.trackId));
    for (let i = 41; i <= 47; i++) assert.deepEqual(ids[i], [], `frame ${i} is blacked out`);
    for (const i of [39, 48, 60, 99]) assert.deepEqual(ids[i], [1], `frame ${i}`);
    assert.equal(result.stats.reidentified, 1);

    const forgetful = await trackVideo(pipeline, occluded, { logger: silentLogger }, { settings: { maxLostFrames: 3 } });
    assert.deepEqual(forgetful.frames[60]!.faces.map((f) => f.trackId), [2], 'with maxLostFrames 3 the face comes back as a new track');
  });
});

describe('tracking a fast pan', () => {
  it('follows a face moving 4 px a frame without visible lag', async (t) => {
    const photo = await decodeImage(mediaPath('astronaut.png'));
    const speed = 4;
    const frames: RasterImage[] = Array.from({ length: 30 }, (_, i) => warpToImage(photo, scaleTranslate(1, 1, 60 - i * speed, 0), 512, 512, { border: 'replicate' }) as RasterImage);
    const offsets = async (smoothing: number) => {
      const tracker = new FaceTracker(pipeline, { smoothing }, silentLogger);
      const noseX: number[] = [];
      for (const [i, image] of frames.entries()) {
        const faces = await tracker.next(image, i, i / 25);
        assert.deepEqual(faces.map((f) => f.trackId), [1], `frame ${i}`);
        noseX.push(faces[0]!.landmarks[1]!.x);
      }
      return noseX;
    };
    const raw = await offsets(0);
    const smooth = await offsets(0.5);
    // Steady motion after the filter settles: the smoothed nose trails the raw one by how much?
    const lag = smooth.slice(10).reduce((s, x, i) => s + (raw[i + 10]! - x), 0) / (smooth.length - 10);
    t.diagnostic(`pan at ${speed} px/frame (100 px/s, face ≈ 100 px): smoothed nose trails the raw one by ${lag.toFixed(2)} px`);
    assert.ok(Math.abs(lag) < 1.5, `lag ${lag.toFixed(2)} px`);
  });
});
