import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RasterImage } from '../../src/engine/image/image';
import { imageToLab, labToRgb, linearToSrgb, linearToSrgbByte, rgbToLab } from '../../src/engine/edit/pixel/color/color-space';
import { colorStats, colorStd, mixColorStats, type ColorStats } from '../../src/engine/edit/pixel/color/color-stats';
import { applyColorTransform, colorTransform } from '../../src/engine/edit/pixel/color/color-transfer';
import { applyChannelCurves, histogramMatchCurves } from '../../src/engine/edit/pixel/color/histogram-match';
import { fromSym, mul3, symmetricEigen } from '../../src/engine/edit/pixel/color/mat3';
import { regionLabStats, transferColor } from '../../src/engine/edit/pixel/color/transfer-color';

/** A deterministic pseudo-random generator, so the tests' data is the same every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function randomValues(n: number, mean: number[], spread: number[], seed: number): Float32Array {
  const r = random(seed);
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const shared = r() - 0.5; // correlated part, so the covariance has off-diagonal terms
    for (let c = 0; c < 3; c++) out[i * 3 + c] = mean[c]! + spread[c]! * (r() - 0.5 + 0.7 * shared);
  }
  return out;
}

const close = (a: number, b: number, tolerance: number, what: string) => assert.ok(Math.abs(a - b) <= tolerance, `${what}: ${a} vs ${b}`);

describe('colour space', () => {
  it('round-trips every 8-bit colour through Lab exactly', () => {
    const lab = [0, 0, 0];
    const rgb = [0, 0, 0];
    for (let r = 0; r < 256; r += 5) {
      for (let g = 0; g < 256; g += 3) {
        for (let b = 0; b < 256; b += 7) {
          rgbToLab(r, g, b, lab);
          labToRgb(lab[0]!, lab[1]!, lab[2]!, rgb);
          assert.deepEqual(rgb, [r, g, b]);
        }
      }
    }
  });

  it('reads linear light → sRGB byte from its table exactly as rounding the curve would', () => {
    for (let i = -10; i <= 110_000; i++) {
      const v = i / 100_000;
      assert.equal(linearToSrgbByte(v), Math.round(255 * linearToSrgb(v)), `linear ${v}`);
    }
    assert.equal(linearToSrgbByte(Number.NaN), 0);
  });

  it('puts white, black and sRGB red where CIE Lab (D65) has them', () => {
    const lab = [0, 0, 0];
    rgbToLab(255, 255, 255, lab);
    lab.forEach((v, i) => close(v, [100, 0, 0][i]!, 1e-3, 'white'));
    rgbToLab(0, 0, 0, lab);
    lab.forEach((v) => close(v, 0, 1e-9, 'black'));
    rgbToLab(255, 0, 0, lab);
    lab.forEach((v, i) => close(v, [53.24, 80.09, 67.2][i]!, 0.01, 'red'));
  });
});

describe('colour statistics and transfer', () => {
  const from = randomValues(4000, [40, 10, 20], [30, 12, 8], 1);
  const to = randomValues(3000, [65, -5, 35], [20, 6, 14], 2);

  it('computes weighted statistics; byte and float weights agree', () => {
    const bytes = new Uint8Array(4000).map((_, i) => (i % 3 === 0 ? 0 : 255));
    const floats = Float32Array.from(bytes, (b) => b / 255);
    const a = colorStats(from, bytes)!;
    const b = colorStats(from, floats)!;
    assert.equal(a.weight, b.weight);
    a.mean.forEach((v, i) => close(v, b.mean[i]!, 1e-9, 'mean'));
    assert.equal(colorStats(from, new Uint8Array(4000)), null, 'no weight: no statistics');
  });

  it('the eigen-decomposition rebuilds a symmetric matrix', () => {
    const m = fromSym([4, 1, 0.5, 3, 0.2, 2]);
    const { values, vectors: v } = symmetricEigen(m);
    const vt = [v[0]!, v[3]!, v[6]!, v[1]!, v[4]!, v[7]!, v[2]!, v[5]!, v[8]!];
    const rebuilt = mul3(mul3(v, [values[0], 0, 0, 0, values[1], 0, 0, 0, values[2]]), vt);
    rebuilt.forEach((x, i) => close(x, m[i]!, 1e-9, `entry ${i}`));
  });

  for (const method of ['mean-std', 'covariance'] as const) {
    it(`${method}: the transferred values take the target's mean and spread`, () => {
      const a = colorStats(from)!;
      const b = colorStats(to)!;
      const moved = from.slice();
      applyColorTransform(moved, colorTransform(a, b, method, { floor: [0, 0, 0] }));
      const got = colorStats(moved)!;
      got.mean.forEach((v, i) => close(v, b.mean[i]!, 1e-3, `mean ${i}`));
      colorStd(got).forEach((v, i) => close(v, colorStd(b)[i]!, 1e-3 * colorStd(b)[i]! + 1e-3, `std ${i}`));
      if (method === 'covariance') got.cov.forEach((v, i) => close(v, b.cov[i]!, 1e-2, `cov ${i}`));
    });
  }

  it('clamps gains, so a flat region does not have its noise blown up', () => {
    const flat: ColorStats = { weight: 1, mean: [50, 0, 0], cov: [0.01, 0, 0, 0.01, 0, 0.01] };
    const wide: ColorStats = { weight: 1, mean: [50, 0, 0], cov: [900, 0, 0, 900, 0, 900] };
    for (const method of ['mean-std', 'covariance'] as const) {
      const t = colorTransform(flat, wide, method, { maxGain: 4 });
      for (const d of [0, 4, 8]) assert.ok(t.matrix[d]! <= 4 + 1e-9, `${method} gain ${t.matrix[d]}`);
    }
  });

  it('mixes statistics linearly, with exact ends', () => {
    const a = colorStats(from)!;
    const b = colorStats(to)!;
    assert.deepEqual(mixColorStats(a, b, 0), a);
    assert.deepEqual(mixColorStats(a, b, 1), b);
    close(mixColorStats(a, b, 0.25).mean[0], 0.75 * a.mean[0] + 0.25 * b.mean[0], 1e-9, 'quarter mix');
  });

  it('histogram matching gives the reference distribution', () => {
    const curves = histogramMatchCurves(from, undefined, to, undefined)!;
    const moved = from.slice();
    applyChannelCurves(moved, curves);
    const sorted = (v: Float32Array, c: number) => Array.from({ length: v.length / 3 }, (_, i) => v[i * 3 + c]!).sort((x, y) => x - y);
    for (let c = 0; c < 3; c++) {
      const got = sorted(moved, c);
      const want = sorted(to, c);
      for (const q of [0.1, 0.5, 0.9]) {
        const range = want[want.length - 1]! - want[0]!;
        close(got[Math.floor(q * got.length)]!, want[Math.floor(q * want.length)]!, 0.02 * range, `channel ${c} quantile ${q}`);
      }
    }
  });
});

describe('transferColor on images', () => {
  function image(width: number, height: number, fill: (x: number, y: number) => [number, number, number]): RasterImage {
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(fill(x, y), (y * width + x) * 3);
    return { width, height, channels: 3, data };
  }
  const noise = random(7);
  const target = image(64, 48, (x, y) => [120 + ((x * 7 + y * 3) % 40), 90 + Math.floor(noise() * 20), 80]);
  const reference = image(32, 32, (x) => [200, 60 + (x % 16), 40 + Math.floor(noise() * 30)]);
  const mask = new Uint8Array(64 * 48).map((_, i) => (i % 64 >= 16 && i % 64 < 48 ? 255 : 0));
  const everywhere = new Uint8Array(32 * 32).fill(255);

  for (const method of ['mean-std', 'covariance', 'histogram'] as const) {
    it(`${method}: keeps the bytes outside the mask and moves the inside to the reference`, () => {
      const out = transferColor(target, mask, reference, everywhere, { method });
      for (let i = 0; i < mask.length; i++) {
        if (mask[i] === 0) assert.deepEqual(out.data.subarray(i * 3, i * 3 + 3), target.data.subarray(i * 3, i * 3 + 3), `pixel ${i}`);
      }
      const want = regionLabStats(reference, everywhere)!.mean;
      const before = regionLabStats(target, mask)!.mean;
      const after = regionLabStats(out, mask)!.mean;
      const distance = (m: number[]) => Math.hypot(m[0]! - want[0], m[1]! - want[1], m[2]! - want[2]);
      assert.ok(distance(after) < 0.1 * distance(before), `ΔE to the reference: ${distance(before).toFixed(1)} → ${distance(after).toFixed(1)}`);
    });
  }

  it('strength 0 is the identity; a box-cut Lab image matches the whole one', () => {
    assert.deepEqual(transferColor(target, mask, reference, everywhere, { strength: 0 }).data, target.data);
    const whole = imageToLab(target);
    const part = imageToLab(target, { x0: 10, y0: 5, x1: 30, y1: 25 });
    assert.equal(part.data[0], whole.data[(5 * 64 + 10) * 3]);
  });
});
