// The pipeline's frames: I420 as ffmpeg decodes it, converted to RGB only where an edit needs it,
// and only the changed pixels written back.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { buildDecodeToRawArgs } from '../../src/engine/media/ffmpeg-args';
import { locateMediaTools, type LocatedMediaTool } from '../../src/engine/media/locate-ffmpeg';
import { startFfmpeg } from '../../src/engine/media/run-ffmpeg';
import { frameColourOf, i420Bytes, RgbScratch, VideoFrame } from '../../src/engine/video/video-frame';
import { boxDownsample } from '../../src/engine/vision/image-ops/box-downsample';
import { warpToTensor } from '../../src/engine/vision/image-ops/warp';
import { FIXTURE_CLIP } from './video-clips';

/** The first frame of the fixture clip through ffmpeg, as `pixelFormat`, with an optional filter before it. */
async function firstFrame(ffmpeg: LocatedMediaTool, pixelFormat: 'rgb24' | 'yuv420p', filter?: string): Promise<Buffer> {
  const args = buildDecodeToRawArgs({ input: FIXTURE_CLIP, pixelFormat });
  const at = args.indexOf('-f', args.indexOf('passthrough'));
  args.splice(at, 0, '-frames:v', '1', ...(filter ? ['-vf', filter] : []));
  const run = startFfmpeg(ffmpeg.path, args, { task: 'one frame', stdout: true });
  const chunks: Buffer[] = [];
  run.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  await run.done;
  return Buffer.concat(chunks);
}

describe('VideoFrame', () => {
  let ffmpeg: LocatedMediaTool;
  before(async () => ({ ffmpeg } = await locateMediaTools()));

  it('converts to the same RGB as ffmpeg (same matrix), within rounding', async () => {
    // The fixture is 400×300 and untagged: BT.601, limited range, as ffmpeg assumes too.
    const [yuv, rgb] = await Promise.all([firstFrame(ffmpeg, 'yuv420p'), firstFrame(ffmpeg, 'rgb24', 'scale=in_color_matrix=bt601:in_range=tv')]);
    const width = 400;
    const height = 300;
    assert.equal(yuv.length, i420Bytes(width, height));
    const colour = frameColourOf(undefined, height);
    assert.deepEqual(colour, { matrix: 'bt601', fullRange: false });
    const ours = new VideoFrame(width, height, new Uint8Array(yuv), colour).toRgb();
    let sum = 0;
    let worst = 0;
    for (let i = 0; i < ours.data.length; i++) {
      const d = Math.abs(ours.data[i]! - rgb[i]!);
      sum += d;
      worst = Math.max(worst, d);
    }
    // ffmpeg interpolates chroma between 2×2 blocks where we repeat it: small differences at edges only.
    assert.ok(sum / ours.data.length < 2, `mean |Δ| ${(sum / ours.data.length).toFixed(2)}`);
    assert.ok(worst < 64, `max |Δ| ${worst}`);
    // A wrong matrix would be far off: the test can tell.
    const wrong = new VideoFrame(width, height, new Uint8Array(yuv), { matrix: 'bt709', fullRange: true }).toRgb();
    let wrongSum = 0;
    for (let i = 0; i < wrong.data.length; i++) wrongSum += Math.abs(wrong.data[i]! - rgb[i]!);
    assert.ok(wrongSum / wrong.data.length > 4, 'another matrix and range give other colours');
  });

  it('writes back only the pixels an edit changed; a region converts as the whole frame does there', () => {
    const width = 9;
    const height = 7;
    const yuv = new Uint8Array(i420Bytes(width, height));
    for (let i = 0; i < yuv.length; i++) yuv[i] = 40 + ((i * 37) % 180);
    const frame = new VideoFrame(width, height, yuv.slice(), { matrix: 'bt709', fullRange: false });
    const whole = frame.toRgb();
    const region = frame.aligned({ left: 3, top: 3, width: 6, height: 4 })!;
    assert.deepEqual(region, { left: 2, top: 2, width: 7, height: 5 }, 'grown to even edges, cut at the odd frame edge');
    const part = frame.toRgb(region);
    for (let y = 0; y < region.height; y++) {
      for (let x = 0; x < region.width; x++) {
        const a = ((region.top + y) * width + region.left + x) * 3;
        assert.deepEqual([...part.data.subarray((y * region.width + x) * 3, (y * region.width + x) * 3 + 3)], [...whole.data.subarray(a, a + 3)]);
      }
    }
    // Paint one pixel (frame pixel 8, 6: the odd corner) pure red; nothing else changes.
    const edited = { ...part, data: part.data.slice() };
    const p = ((6 - region.top) * region.width + (8 - region.left)) * 3;
    edited.data.set([255, 0, 0], p);
    assert.equal(frame.writeRgb(region, part, edited), 1);
    const lumaChanged = [...frame.yuv.subarray(0, width * height)].flatMap((v, i) => (v === yuv[i] ? [] : [i]));
    assert.deepEqual(lumaChanged, [6 * width + 8]);
    const chromaChanged = [...frame.yuv.subarray(width * height)].flatMap((v, i) => (v === yuv[width * height + i] ? [] : [i]));
    const chromaWidth = Math.ceil(width / 2);
    const chromaPlane = chromaWidth * Math.ceil(height / 2);
    assert.deepEqual(chromaChanged, [3 * chromaWidth + 4, chromaPlane + 3 * chromaWidth + 4], 'the U and V of its 2×2 block');
    const back = frame.toRgb().data.subarray((6 * width + 8) * 3, (6 * width + 8) * 3 + 3);
    assert.ok(back[0]! > 230 && back[1]! < 25 && back[2]! < 25, `red comes back: ${[...back]}`);
  });

  it('reads the colour tags: the matrix tagged, full range when tagged pc', () => {
    assert.deepEqual(frameColourOf({ space: 'bt709' }, 480), { matrix: 'bt709', fullRange: false });
    assert.deepEqual(frameColourOf({ space: 'smpte170m', range: 'pc' }, 1080), { matrix: 'bt601', fullRange: true });
    assert.deepEqual(frameColourOf({ space: 'bt2020nc' }, 2160), { matrix: 'bt2020', fullRange: false });
    assert.deepEqual(frameColourOf(undefined, 720), { matrix: 'bt709', fullRange: false });
    assert.throws(() => new VideoFrame(4, 4, new Uint8Array(10), frameColourOf(undefined, 4)), /24 bytes/);
  });

  it('converts only the regions the tracker asks for; a reused buffer reads as a fresh one', () => {
    const width = 16;
    const height = 8;
    const colour = frameColourOf(undefined, height);
    const frameOf = (seed: number) => new VideoFrame(width, height, Uint8Array.from({ length: i420Bytes(width, height) }, (_, i) => (i * 7 + seed) % 200 + 30), colour);
    const box = { x: 2, y: 2, width: 3, height: 3 };
    const fresh = frameOf(2).lazyRgb().pixels(box);
    const converted = frameOf(2).toRgb();
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const inside = x >= 2 && x < 6 && y >= 2 && y < 6;
        const at = (y * width + x) * 3;
        assert.deepEqual([...fresh.data.subarray(at, at + 3)], inside ? [...converted.data.subarray(at, at + 3)] : [0, 0, 0], `pixel ${x},${y}`);
      }
    }
    // The first frame converts everything (a detector run); the second, on the same buffer, one crop.
    const scratch = new RgbScratch();
    frameOf(1).lazyRgb(scratch).pixels();
    const reused = frameOf(2).lazyRgb(scratch).pixels(box);
    assert.deepEqual([...reused.data], [...fresh.data]);
    frameOf(3).lazyRgb(scratch).pixels({ x: 10, y: 4, width: 2, height: 2 });
    const again = frameOf(2).lazyRgb(scratch).pixels(box);
    assert.deepEqual([...again.data], [...fresh.data]);
  });

  it('averages a region straight from its YUV planes as boxDownsample does on the converted frame', async () => {
    const width = 400;
    const height = 300;
    const frame = new VideoFrame(width, height, new Uint8Array(await firstFrame(ffmpeg, 'yuv420p')), frameColourOf(undefined, height));
    const converted = frame.toRgb();
    for (const [region, factor] of [
      [{ left: 0, top: 0, width, height }, 2],
      [{ left: 37, top: 11, width: 301, height: 250 }, 3],
      [{ left: 120, top: 41, width: 200, height: 199 }, 5],
    ] as const) {
      const ours = frame.averageRgb(region, factor);
      const reference = boxDownsample(converted, region, factor);
      assert.deepEqual([ours.width, ours.height], [reference.width, reference.height]);
      const diffs = Array.from(ours.data, (v, i) => Math.abs(v - reference.data[i]!)).sort((a, b) => a - b);
      const mean = diffs.reduce((s, d) => s + d, 0) / diffs.length;
      // The converted pixels are rounded to 8 bits and clamped one by one; a mean is not.
      assert.ok(mean < 0.3, `factor ${factor}: mean |Δ| ${mean.toFixed(3)}`);
      assert.ok(diffs[Math.floor(diffs.length * 0.99)]! < 1, `factor ${factor}: 99th percentile |Δ| ${diffs[Math.floor(diffs.length * 0.99)]}`);
    }
    // The lazily converted frame offers it to warps, which then need none of its pixels converted.
    const lazy = frame.lazyRgb();
    const fromPlanes = warpToTensor(lazy.image, { a: 4, b: 0, c: 10, d: 0, e: 4, f: 6 }, 64, 64, { range: [0, 1] });
    const fromRgb = warpToTensor(converted, { a: 4, b: 0, c: 10, d: 0, e: 4, f: 6 }, 64, 64, { range: [0, 1] });
    assert.ok(lazy.image.data.every((v) => v === 0), 'nothing converted');
    const worst = fromPlanes.reduce((m, v, i) => Math.max(m, Math.abs(v - fromRgb[i]!)), 0);
    assert.ok(worst < 4 / 255, `warped input off by up to ${(worst * 255).toFixed(2)} levels`);
    assert.throws(() => frame.averageRgb({ left: 390, top: 0, width: 20, height: 10 }, 2), /cannot average 20×10 at \(390, 0\)/);
  });
});
