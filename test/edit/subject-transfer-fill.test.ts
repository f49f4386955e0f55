import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fillBackground } from '../../src/engine/edit/pixel/fill/fill-background';
import { pushPullFill } from '../../src/engine/edit/pixel/fill/push-pull-fill';
import type { RasterImage } from '../../src/engine/image/image';

/** A 101×81 image whose colour is a linear ramp, with a disc of "person" colour in the middle. */
function rampWithDisc(): { image: RasterImage; hole: Float32Array } {
  const width = 101;
  const height = 81;
  const data = new Uint8Array(width * height * 3);
  const hole = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const inDisc = (x - 50) ** 2 + (y - 40) ** 2 < 22 ** 2;
      hole[i] = inDisc ? 1 : 0;
      data.set(inDisc ? [230, 170, 140] : [40 + 2 * x, 60 + y, 200 - x], i * 3);
    }
  }
  return { image: { width, height, channels: 3, data }, hole };
}

describe('background fill', () => {
  it('smooth: push-pull keeps known pixels and fills a constant surround with the constant', () => {
    const width = 40;
    const height = 30;
    const data = new Float32Array(width * height * 3).fill(77);
    const known = new Float32Array(width * height).fill(1);
    for (let y = 10; y < 20; y++) for (let x = 5; x < 30; x++) {
      known[y * width + x] = 0;
      data.fill(255, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
    const filled = pushPullFill({ width, height, channels: 3, data }, known).data;
    for (let i = 0; i < filled.length; i++) assert.ok(Math.abs(filled[i]! - 77) < 1e-3, `value ${i}: ${filled[i]}`);
  });

  it('smooth: fills a hole in a smooth ramp with the ramp, nothing of the hole left, and no byte outside it changed', () => {
    const { image, hole } = rampWithDisc();
    const out = fillBackground(image, hole, { method: 'smooth', grain: false });
    let worst = 0;
    for (let i = 0; i < hole.length; i++) {
      const x = i % image.width;
      const y = (i - x) / image.width;
      const px = out.data.subarray(i * 3, i * 3 + 3);
      if (hole[i] === 0) {
        assert.deepEqual(px, image.data.subarray(i * 3, i * 3 + 3), `pixel ${x},${y} outside the hole changed`);
        continue;
      }
      const want = [40 + 2 * x, 60 + y, 200 - x];
      worst = Math.max(worst, ...want.map((v, c) => Math.abs(v - px[c]!)));
    }
    // A membrane is not a plane: inside a disc of radius 22 it sags toward the mean of its rim.
    assert.ok(worst < 20, `largest difference from the ramp inside the hole: ${worst}`);
  });

  it('smooth: adds seeded grain at the surroundings’ noise level, the same every run', () => {
    const { image, hole } = rampWithDisc();
    let seed = 3;
    for (let i = 0; i < hole.length; i++) {
      if (hole[i] !== 0) continue;
      seed = (seed * 1103515245 + 12345) >>> 0;
      for (let c = 0; c < 3; c++) image.data[i * 3 + c] = Math.max(0, Math.min(255, image.data[i * 3 + c]! + ((seed >>> 16) % 9) - 4));
    }
    const a = fillBackground(image, hole, { method: 'smooth' });
    const b = fillBackground(image, hole, { method: 'smooth' });
    assert.deepEqual(a.data, b.data);
    const plain = fillBackground(image, hole, { method: 'smooth', grain: false });
    let differs = 0;
    for (let i = 0; i < a.data.length; i++) if (a.data[i] !== plain.data[i]) differs++;
    assert.ok(differs > 100, 'grain was added in the hole');
  });

  it('texture: continues a striped background into the hole, deterministically, without touching the rest', () => {
    const width = 120;
    const height = 90;
    const data = new Uint8Array(width * height * 3);
    const hole = new Float32Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        const inside = x >= 40 && x < 80 && y >= 25 && y < 65;
        hole[i] = inside ? 1 : 0;
        // Vertical stripes 6 px wide, red on white; inside the hole, a "person" of flat skin colour.
        data.set(inside ? [225, 180, 150] : Math.floor(x / 6) % 2 === 0 ? [200, 30, 40] : [240, 240, 240], i * 3);
      }
    }
    const image: RasterImage = { width, height, channels: 3, data };
    const a = fillBackground(image, hole);
    assert.deepEqual(a.data, fillBackground(image, hole).data, 'same input, same fill');
    let stripeLike = 0;
    let skinLike = 0;
    let holePixels = 0;
    for (let i = 0; i < hole.length; i++) {
      const px = Array.from(a.data.subarray(i * 3, i * 3 + 3));
      if (hole[i] === 0) {
        assert.deepEqual(px, Array.from(data.subarray(i * 3, i * 3 + 3)));
        continue;
      }
      holePixels++;
      const near = (c: number[]) => Math.hypot(px[0]! - c[0]!, px[1]! - c[1]!, px[2]! - c[2]!) < 40;
      if (near([200, 30, 40]) || near([240, 240, 240])) stripeLike++;
      if (near([225, 180, 150])) skinLike++;
    }
    assert.ok(stripeLike > 0.6 * holePixels, `stripe-coloured pixels in the hole: ${stripeLike} of ${holePixels}`);
    // A few pixels where two stripes' votes blend can land near the old colour; nothing more.
    assert.ok(skinLike < 0.01 * holePixels, `pixels of the old colour in the hole: ${skinLike}`);
  });
});
