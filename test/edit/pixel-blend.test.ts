import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compositeInto, mergeRegion, quantizeAlpha } from '../../src/engine/edit/pixel/blend/composite';
import { blurredFill, featherInside, featherOutside, fillPolygons } from '../../src/engine/edit/pixel/blend/feather-mask';
import { createPlane, downsamplePlane, RowUpsampler, upsamplePlane } from '../../src/engine/edit/pixel/blend/float-plane';
import { boxRadiusForSigma, gaussianBlur, tripleBoxBlur, wideBlur } from '../../src/engine/edit/pixel/blend/gaussian-blur';
import { laplacianBlend } from '../../src/engine/edit/pixel/blend/laplacian-blend';
import { ellipsePolygon, forEachPolygonSpan } from '../../src/engine/vision/label-map/rasterize';

function impulse(size: number) {
  const plane = createPlane(size, size);
  plane.data[(size >> 1) * size + (size >> 1)] = 1;
  return plane;
}

describe('gaussian blur', () => {
  it('has the asked spread, keeps the total, and is exactly zero past its 3r support', () => {
    const sigma = 6;
    const r = boxRadiusForSigma(sigma);
    const out = gaussianBlur(impulse(81), sigma);
    let sum = 0;
    let variance = 0;
    for (let y = 0; y < 81; y++) {
      for (let x = 0; x < 81; x++) {
        const v = out.data[y * 81 + x]!;
        sum += v;
        variance += v * (x - 40) ** 2;
        if (Math.abs(x - 40) > 3 * r || Math.abs(y - 40) > 3 * r) assert.ok(Math.abs(v) < 1e-12, `support at ${x},${y}`);
      }
    }
    assert.ok(Math.abs(sum - 1) < 1e-5, `sum ${sum}`);
    assert.ok(Math.abs(Math.sqrt(variance) - sigma) < 0.6, `σ ${Math.sqrt(variance).toFixed(2)}`);
  });

  it('wideBlur, on a shrunk copy, agrees with the full-size blur on a smooth input', () => {
    const plane = createPlane(120, 90);
    for (let y = 0; y < 90; y++) for (let x = 0; x < 120; x++) plane.data[y * 120 + x] = x > 60 ? 1 : 0;
    const full = gaussianBlur(plane, 16);
    const wide = wideBlur(plane, 16);
    let worst = 0;
    for (let i = 0; i < full.data.length; i++) worst = Math.max(worst, Math.abs(full.data[i]! - wide.data[i]!));
    assert.ok(worst < 0.05, `max difference ${worst.toFixed(3)}`);
    assert.equal(tripleBoxBlur(plane, 0).data[0], 0, 'radius 0 is a copy');
  });
});

describe('float planes', () => {
  it('shrinks by block means and grows back bilinearly, keeping constants and ramps', () => {
    const ramp = createPlane(40, 8);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 40; x++) ramp.data[y * 40 + x] = x + 0.5;
    const small = downsamplePlane(ramp, 4);
    assert.deepEqual([small.width, small.height, small.data[0]], [10, 2, 2]);
    const back = upsamplePlane(small, 4, 40, 8);
    for (let x = 2; x < 38; x++) assert.ok(Math.abs(back.data[3 * 40 + x]! - (x + 0.5)) < 1e-4, `x ${x}`);
    const rows = new RowUpsampler(small, 4, 40);
    for (const y of [3, 4, 0, 7]) assert.deepEqual(Array.from(rows.row(y, new Float32Array(40))), Array.from(back.data.subarray(y * 40, (y + 1) * 40)), `row ${y}`);
  });
});

describe('feathered masks', () => {
  const disc = ellipsePolygon(50, 50, 30, 30, [1, 0], 64);
  const hard = fillPolygons(100, 100, [disc]);

  it('featherInside is zero outside and on the outline and one deep inside', () => {
    const mask = featherInside(100, 100, [disc], 12);
    for (let i = 0; i < hard.data.length; i++) if (hard.data[i] === 0) assert.equal(mask.data[i], 0);
    assert.equal(mask.data[50 * 100 + 50], 1, 'centre');
    const edge = mask.data[50 * 100 + 21]!;
    assert.ok(edge > 0 && edge < 0.3, `just inside the outline: ${edge}`);
    const mid = mask.data[50 * 100 + 26]!;
    assert.ok(mid > edge && mid < 1, `half the feather in: ${mid}`);
  });

  it('blurredFill, made over the shape\'s reach only, is the whole plane\'s blur, at the plane\'s edges too', () => {
    // A small shape far from the plane's edges (most of the plane is beyond its reach), shapes
    // reaching edges that read zeros beyond them, and edges that are clipped.
    const cases = [
      { polygons: [ellipsePolygon(60, 45, 9, 6, [1, 0], 24)], edges: 'clip' as const },
      { polygons: [ellipsePolygon(8, 70, 10, 7, [0.6, 0.8], 24)], edges: { left: false, top: true, right: true, bottom: false } },
      { polygons: [ellipsePolygon(8, 70, 10, 7, [0.6, 0.8], 24)], edges: { left: true, top: false, right: false, bottom: true } },
      { polygons: [ellipsePolygon(112, 5, 6, 12, [1, 0], 24), ellipsePolygon(20, 20, 4, 4, [1, 0], 12)], edges: 'zero' as const },
      { polygons: [ellipsePolygon(112, 5, 6, 12, [1, 0], 24), ellipsePolygon(20, 20, 4, 4, [1, 0], 12)], edges: 'clip' as const },
    ];
    for (const [i, { polygons, edges }] of cases.entries()) {
      const factor = 1.7;
      const radius = 12;
      const got = blurredFill(120, 90, polygons, radius, factor, edges);
      const whole = tripleBoxBlur(fillPolygons(Math.ceil(120 / factor), Math.ceil(90 / factor), polygons, 1 / factor), Math.round(radius / 3 / factor), edges);
      assert.deepEqual([got.width, got.height], [whole.width, whole.height]);
      let worst = 0;
      for (let p = 0; p < got.data.length; p++) worst = Math.max(worst, Math.abs(got.data[p]! - whole.data[p]!));
      assert.ok(worst < 1e-6, `case ${i}: largest difference ${worst}`);
      assert.ok(got.data.some((v) => v > 0.4 && v < 0.6), `case ${i}: the shape's soft edge is there`);
    }
  });

  it('featherOutside is one inside and fades to zero beyond the radius', () => {
    const mask = featherOutside(100, 100, [disc], 12);
    for (let i = 0; i < hard.data.length; i++) if (hard.data[i] === 1) assert.equal(mask.data[i], 1);
    assert.ok(mask.data[50 * 100 + 15]! > 0 && mask.data[50 * 100 + 15]! < 1, 'fading just outside');
    assert.equal(mask.data[50 * 100 + 2], 0, 'far outside');
    let inside = 0;
    forEachPolygonSpan(disc, 100, 100, (_y, x0, x1) => (inside += x1 - x0));
    assert.equal(inside, hard.data.reduce((a, b) => a + b, 0));
  });
});

describe('compositing', () => {
  it('quantises the weight, blends by it, leaves weight-0 pixels alone, and records the region', () => {
    const alpha = quantizeAlpha({ width: 3, height: 1, data: new Float32Array([0, 0.5, 2]) }, 1);
    assert.deepEqual(Array.from(alpha), [0, 128, 255]);
    const image = { width: 4, height: 2, channels: 4 as const, data: new Uint8Array(32).fill(100) };
    const window = { left: 1, top: 1, width: 3, height: 1 };
    compositeInto(image, window, new Float32Array([200, 200, 200, 0, 0, 0, 300, -5, 7]), 3, alpha);
    const pixel = (x: number, y: number) => Array.from(image.data.subarray((y * 4 + x) * 4, (y * 4 + x) * 4 + 4));
    assert.deepEqual(pixel(1, 1), [100, 100, 100, 100], 'weight 0: untouched');
    assert.deepEqual(pixel(2, 1), [50, 50, 50, 100], 'half way, alpha channel kept');
    assert.deepEqual(pixel(3, 1), [255, 0, 7, 100], 'full weight, clamped');
    const region = new Uint8Array(8).fill(10);
    mergeRegion(region, 4, window, alpha);
    assert.deepEqual(Array.from(region), [10, 10, 10, 10, 10, 10, 128, 255]);
  });

  it('laplacianBlend is the under image where the mask is 0 far away, the over image where it is 1, and smooth between', () => {
    const width = 64;
    const height = 16;
    const under = { width, height, channels: 1, data: new Float32Array(width * height).fill(40) };
    const over = { width, height, channels: 1, data: new Float32Array(width * height) };
    for (let p = 0; p < over.data.length; p++) over.data[p] = 200 + ((p % width) % 2) * 20; // fine stripes
    const mask = createPlane(width, height);
    for (let y = 0; y < height; y++) for (let x = 32; x < width; x++) mask.data[y * width + x] = 1;
    const out = laplacianBlend(under, over, mask, 4);
    const at = (x: number) => out.data[8 * width + x]!;
    assert.ok(Math.abs(at(2) - 40) < 1e-3, `far left ${at(2)}`);
    assert.ok(Math.abs(at(61) - over.data[8 * width + 61]!) < 1e-3, `far right ${at(61)}`);
    // The stripes (fine band) switch on within a couple of pixels of the seam; the level ramps wider.
    assert.ok(Math.abs(at(36) - at(37)) > 10, 'detail present just past the seam');
    assert.ok(at(28) > 41 && at(28) < 200, `low band spread before the seam: ${at(28)}`);
    assert.deepEqual(laplacianBlend(under, over, createPlane(width, height), 4).data.map(Math.round), under.data);
  });
});
