// The pure image operations the vision models are fed through: transforms, bilinear sampling,
// letterbox, rotated crops, antialiased shrinking and tensor conversion, on small synthetic images
// whose right answers can be worked out by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { affineScale, applyAffine, composeAffine, invertAffine, scaleTranslate, type Affine } from '../../src/engine/vision/image-ops/affine';
import { sampleBilinear } from '../../src/engine/vision/image-ops/bilinear';
import { boxDownsample } from '../../src/engine/vision/image-ops/box-downsample';
import { letterboxToTensor, letterboxTransform } from '../../src/engine/vision/image-ops/letterbox';
import type { PixelSource } from '../../src/engine/vision/image-ops/pixel-source';
import { resizePlane, resizeToTensor } from '../../src/engine/vision/image-ops/resize';
import { tensorToRgb } from '../../src/engine/vision/image-ops/tensor';
import { warpToFloat, warpToImage, warpToTensor } from '../../src/engine/vision/image-ops/warp';

const close = (actual: number, expected: number, tolerance = 1e-6, what = '') =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what} ${actual} is not within ${tolerance} of ${expected}`);

/** An RGB image of scrambled 8-bit values (every tap of a sample reads a different number). */
function noiseImage(width: number, height: number): PixelSource & { data: Uint8Array } {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 251;
  return { width, height, channels: 3, data };
}

/** An RGB image whose pixel (x, y) is (x, y, x + y) (values small enough to stay in 8 bits). */
function rampImage(width: number, height: number): PixelSource & { data: Uint8Array } {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data.set([x, y, x + y], (y * width + x) * 3);
    }
  }
  return { width, height, channels: 3, data };
}

describe('affine transforms', () => {
  it('inverts and composes back to the identity', () => {
    const m: Affine = { a: 0.8, b: -0.6, c: 12, d: 0.6, e: 0.8, f: -7 };
    const round = composeAffine(invertAffine(m), m);
    for (const [k, v] of Object.entries({ a: 1, b: 0, c: 0, d: 0, e: 1, f: 0 })) close(round[k as keyof Affine], v, 1e-12, k);
    const p = applyAffine(composeAffine(scaleTranslate(2, 2, 1, 1), m), 3, 4);
    const q = applyAffine(m, 3, 4);
    close(p.x, 2 * q.x + 1);
    close(p.y, 2 * q.y + 1);
    close(affineScale(scaleTranslate(3, 0.5, 0, 0)), 3);
  });

  it('refuses a singular transform', () => {
    assert.throws(() => invertAffine({ a: 1, b: 2, c: 0, d: 2, e: 4, f: 0 }), /not invertible/);
  });
});

describe('bilinear warps', () => {
  it('reproduces every pixel exactly under the identity (pixel centres at i + 0.5)', () => {
    const image = rampImage(7, 5);
    const out = warpToImage(image, { a: 1, b: 0, c: 0, d: 0, e: 1, f: 0 }, 7, 5);
    assert.deepEqual(out.data, image.data);
  });

  it('interpolates linearly between pixel centres', () => {
    const image = rampImage(8, 8);
    // Output pixel centre (0.5, 0.5) samples source (3.0, 4.0): halfway between pixels 2 and 3 in x, 3 and 4 in y.
    const out = warpToFloat(image, scaleTranslate(1, 1, 2.5, 3.5), 1, 1);
    close(out.data[0]!, 2.5);
    close(out.data[1]!, 3.5);
    close(out.data[2]!, 6);
  });

  it('turns an image a quarter turn exactly', () => {
    const image = rampImage(6, 4);
    // Output (u, v) of a 4×6 image reads source (v, 4 - u): a quarter turn clockwise.
    const out = warpToImage(image, { a: 0, b: 1, c: 0, d: -1, e: 0, f: 4 }, 4, 6);
    for (let v = 0; v < 6; v++) {
      for (let u = 0; u < 4; u++) {
        const sx = v;
        const sy = 3 - u;
        assert.deepEqual(Array.from(out.data.subarray((v * 4 + u) * 3, (v * 4 + u) * 3 + 3)), [sx, sy, sx + sy], `pixel ${u},${v}`);
      }
    }
  });

  it('reads zero outside the image with the zero border, the edge pixel with replicate', () => {
    const image = rampImage(4, 4);
    const outside = scaleTranslate(1, 1, -10, -10);
    assert.deepEqual(Array.from(warpToImage(image, outside, 1, 1, { border: 'zero' }).data), [0, 0, 0]);
    assert.deepEqual(Array.from(warpToImage(image, outside, 1, 1, { border: 'replicate' }).data), [0, 0, 0]);
    const farRight = scaleTranslate(1, 1, 20, 1);
    assert.deepEqual(Array.from(warpToImage(image, farRight, 1, 1, { border: 'zero' }).data), [0, 0, 0]);
    assert.deepEqual(Array.from(warpToImage(image, farRight, 1, 1, { border: 'replicate' }).data), [3, 1, 4]);
  });

  it('samples a tensor as sampleBilinear does, inside the image and off its edges, with either border', () => {
    // A rotated, shrinking crop that runs off the top-left corner: most outputs read four taps
    // inside the image, the rest read the border.
    const image = noiseImage(37, 29);
    const m: Affine = { a: 1.3, b: -0.4, c: -3.2, d: 0.4, e: 1.3, f: -5.7 };
    for (const border of ['zero', 'replicate'] as const) {
      const t = warpToTensor(image, m, 24, 20, { range: [-1, 1], border, antialias: false });
      const expected = new Float32Array(3);
      for (let v = 0; v < 20; v++) {
        for (let u = 0; u < 24; u++) {
          const p = applyAffine(m, u + 0.5, v + 0.5);
          sampleBilinear(image, p.x, p.y, border, 3, expected, 0);
          for (let c = 0; c < 3; c++) assert.equal(t[(v * 24 + u) * 3 + c], Math.fround(expected[c]! * (2 / 255) - 1), `${border} ${u},${v}`);
        }
      }
    }
  });

  it('scales values into the model range in a tensor, dropping alpha', () => {
    const rgba: PixelSource = { width: 1, height: 1, channels: 4, data: new Uint8Array([0, 255, 51, 7]) };
    const t = warpToTensor(rgba, scaleTranslate(1, 1, 0, 0), 1, 1, { range: [-1, 1] });
    assert.equal(t.length, 3);
    close(t[0]!, -1);
    close(t[1]!, 1);
    close(t[2]!, -0.6, 1e-6);
    assert.deepEqual(Array.from(tensorToRgb(t, 1, 1, [-1, 1]).data), [0, 255, 51]);
  });
});

describe('shrinking without aliasing', () => {
  it('averages blocks, including the partial ones at the edge', () => {
    const plane: PixelSource = { width: 5, height: 2, channels: 1, data: new Float32Array([1, 3, 5, 7, 9, 1, 3, 5, 7, 9]) };
    const small = boxDownsample(plane, { left: 0, top: 0, width: 5, height: 2 }, 2);
    assert.equal(small.width, 3);
    assert.deepEqual(Array.from(small.data), [2, 6, 9]);
  });

  it('averages 8-bit RGB to the same floats as a float copy of the image, partial blocks included', () => {
    const image = noiseImage(41, 23);
    const floats: PixelSource = { ...image, data: Float32Array.from(image.data) };
    const region = { left: 3, top: 2, width: 37, height: 20 };
    for (let factor = 2; factor <= 7; factor++) {
      assert.deepEqual(boxDownsample(image, region, factor).data, boxDownsample(floats, region, factor).data, `factor ${factor}`);
    }
  });

  it('turns a one-pixel checkerboard into flat grey instead of moiré', () => {
    const size = 240;
    const data = new Uint8Array(size * size * 3);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data.fill((x + y) % 2 ? 255 : 0, (y * size + x) * 3, (y * size + x) * 3 + 3);
    const board: PixelSource = { width: size, height: size, channels: 3, data };
    const shrink = scaleTranslate(size / 16, size / 16, 0, 0);
    const smooth = warpToFloat(board, shrink, 16, 16);
    const aliased = warpToFloat(board, shrink, 16, 16, { antialias: false });
    const spread = (d: Float32Array) => Math.max(...d) - Math.min(...d);
    assert.ok(spread(smooth.data) < 5, `antialiased spread ${spread(smooth.data)}`);
    assert.ok(spread(aliased.data) > 100, 'without the prefilter the board aliases (this checks the test itself)');
  });
});

describe('letterbox and resize', () => {
  it('centres a wide image in the square with equal borders, and maps corners both ways', () => {
    const t = letterboxTransform(1280, 720, 128, 128);
    close(t.scale, 0.1);
    close(t.padX, 0);
    close(t.padY, 28);
    const topLeft = applyAffine(t.dstToSrc, 0, 28);
    close(topLeft.x, 0);
    close(topLeft.y, 0);
    const bottomRight = applyAffine(t.srcToDst, 1280, 720);
    close(bottomRight.x, 128);
    close(bottomRight.y, 100);
  });

  it('fills the border with black (range minimum) and the content with the image', () => {
    const white: PixelSource = { width: 40, height: 20, channels: 3, data: new Uint8Array(40 * 20 * 3).fill(255) };
    const { data } = letterboxToTensor(white, 8, 8, [-1, 1]);
    const at = (x: number, y: number) => data[(y * 8 + x) * 3]!;
    close(at(3, 0), -1);
    close(at(3, 1), -1);
    close(at(3, 3), 1, 1e-5);
    close(at(3, 6), -1);
  });

  it('stretches to a tensor and resizes planes back up', () => {
    const image = rampImage(32, 16);
    const t = resizeToTensor(image, 16, 16, [0, 255]);
    // Output column u covers source columns 2u, 2u+1: mean x = 2u + 0.5.
    close(t[(0 * 16 + 5) * 3]!, 10.5, 1e-4);
    const mask: PixelSource = { width: 2, height: 1, channels: 1, data: new Float32Array([0, 1]) };
    const big = resizePlane(mask, 8, 2);
    assert.deepEqual(Array.from(big.data.subarray(0, 8)).map((v) => Math.round(v * 1000) / 1000), [0, 0, 0.125, 0.375, 0.625, 0.875, 1, 1]);
  });

  it('rejects data that does not match the stated size', () => {
    assert.throws(() => warpToImage({ width: 3, height: 3, channels: 3, data: new Uint8Array(5) }, scaleTranslate(1, 1, 0, 0), 1, 1), /expected 3×3×3/);
  });
});
