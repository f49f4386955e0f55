/**
 * The editor's mask maths, in Node with no DOM: stroke rasterisation with hardness and opacity,
 * flood fill tolerance, polygon fill, grow/shrink, feather, overlay compositing, label layers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BrushStroke, DEFAULT_BRUSH, dabCoverage, type BrushSettings } from '../../src/renderer/src/masks/brush-stroke';
import { composeOverlay } from '../../src/renderer/src/masks/compose-overlay';
import { boxesForGauss, featherMask } from '../../src/renderer/src/masks/feather';
import { fillByColour, fillByLabel } from '../../src/renderer/src/masks/flood-fill';
import { composeLabelMap, splitLabelMap } from '../../src/renderer/src/masks/label-layers';
import { growShrink } from '../../src/renderer/src/masks/morphology';
import { rasterizePolygon } from '../../src/renderer/src/masks/polygon-fill';
import { TILE_SIZE, TiledMask } from '../../src/renderer/src/masks/tiled-mask';
import { TileRecorder } from '../../src/renderer/src/masks/tile-recorder';

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

function stroke(mask: TiledMask, settings: Partial<BrushSettings>, points: Array<[number, number, number?]>) {
  const recorder = new TileRecorder(mask);
  const s = new BrushStroke(mask, { ...DEFAULT_BRUSH, ...settings }, recorder);
  for (const [x, y, pressure = 1] of points) s.to({ x, y, pressure });
  return recorder.finish();
}

describe('tiled mask', () => {
  it('allocates only the tiles that hold something, and round-trips dense data', () => {
    const dense = new Uint8Array(300 * 200);
    dense[150 * 300 + 250] = 200;
    const mask = TiledMask.fromDense(300, 200, dense);
    assert.equal(mask.allocatedBytes, TILE_SIZE * TILE_SIZE);
    assert.equal(mask.get(250, 150), 200);
    assert.deepEqual(mask.toDense(), dense);
    assert.deepEqual(mask.contentBounds(), { x: 250, y: 150, width: 1, height: 1 });
  });

  it('writing back unchanged pixels touches no tile, so an undo records nothing', () => {
    const mask = TiledMask.fromDense(128, 128, new Uint8Array(128 * 128).fill(7));
    const recorder = new TileRecorder(mask);
    mask.writeDense({ x: 0, y: 0, width: 128, height: 128 }, mask.toDense());
    assert.ok(recorder.finish().isEmpty);
  });

  it('frees tiles that become empty', () => {
    const mask = new TiledMask(64, 64);
    mask.set(3, 3, 9);
    mask.writeDense({ x: 0, y: 0, width: 64, height: 64 }, new Uint8Array(64 * 64));
    assert.equal(mask.allocatedBytes, 0);
  });
});

describe('brush strokes', () => {
  it('a hard dab is solid inside the radius, anti-aliased over one pixel at the rim, empty outside', () => {
    assert.equal(dabCoverage(0, 10, 1), 1);
    assert.equal(dabCoverage(9.4, 10, 1), 1);
    assert.equal(dabCoverage(10, 10, 1), 0.5);
    assert.equal(dabCoverage(10.6, 10, 1), 0);
  });

  it('a soft dab falls off monotonically from the core to the rim', () => {
    let previous = 1;
    for (let d = 0; d <= 11; d += 0.25) {
      const c = dabCoverage(d, 10, 0.3);
      assert.ok(c <= previous + 1e-9, `coverage rises at ${d}`);
      previous = c;
    }
    assert.equal(dabCoverage(2, 10, 0.3), 1);
    assert.ok(dabCoverage(7, 10, 0.3) > 0.1 && dabCoverage(7, 10, 0.3) < 0.9);
  });

  it('paints a gap-free line and its hardness shows across it', () => {
    const hard = new TiledMask(200, 100);
    stroke(hard, { size: 20, hardness: 1 }, [[20, 50], [180, 50]]);
    for (let x = 20; x <= 180; x++) assert.equal(hard.get(x, 50), 255, `gap at x=${x}`);
    assert.equal(hard.get(100, 44), 255);
    assert.equal(hard.get(100, 62), 0);
    const soft = new TiledMask(200, 100);
    stroke(soft, { size: 20, hardness: 0 }, [[20, 50], [180, 50]]);
    assert.ok(soft.get(100, 50) > 240);
    assert.ok(soft.get(100, 56) > 0 && soft.get(100, 56) < 200, `soft edge ${soft.get(100, 56)}`);
  });

  it('overlapping dabs in one stroke never exceed its opacity; a second stroke builds on the first', () => {
    const mask = new TiledMask(100, 100);
    stroke(mask, { size: 30, opacity: 0.5, hardness: 1, spacing: 0.05 }, [[30, 50], [70, 50], [30, 50]]);
    assert.equal(mask.get(50, 50), 128);
    stroke(mask, { size: 30, opacity: 0.5, hardness: 1 }, [[50, 50]]);
    assert.equal(mask.get(50, 50), 128 + Math.round((127 * 128) / 255));
  });

  it('the eraser takes paint away, and erasing nothing allocates nothing', () => {
    const mask = new TiledMask(100, 100);
    stroke(mask, { size: 30, hardness: 1 }, [[50, 50]]);
    stroke(mask, { size: 10, hardness: 1, erase: true }, [[50, 50]]);
    assert.equal(mask.get(50, 50), 0);
    assert.equal(mask.get(50, 40), 255);
    const empty = new TiledMask(300, 300);
    assert.ok(stroke(empty, { size: 30, erase: true }, [[250, 250]]).isEmpty);
    assert.equal(empty.allocatedBytes, 0);
  });

  it('pen pressure scales the diameter', () => {
    const light = new TiledMask(100, 100);
    stroke(light, { size: 40, hardness: 1, pressureSize: true }, [[50, 50, 0.25]]);
    assert.equal(light.get(50 + 8, 50), 0);
    assert.equal(light.get(50 + 3, 50), 255);
    const heavy = new TiledMask(100, 100);
    stroke(heavy, { size: 40, hardness: 1, pressureSize: true }, [[50, 50, 1]]);
    assert.equal(heavy.get(50 + 18, 50), 255);
  });
});

describe('flood fill', () => {
  // A 10×1 grey ramp: 0, 10, 20, ... 90, then a wall of 255 in the middle row of a 10×3 image.
  const width = 10;
  const height = 3;
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = y === 1 && x === 5 ? 255 : x * 10;
      rgba.set([v, v, v, 255], (y * width + x) * 4);
    }
  }

  it('takes the pixels within the tolerance of the seed, on every channel', () => {
    const fill = fillByColour(rgba, width, height, { x: 0, y: 0 }, 25);
    assert.equal(fill.pixelCount, 9); // x = 0, 1, 2 on three rows
    assert.deepEqual(fill.bounds, { x: 0, y: 0, width: 3, height: 3 });
    assert.equal(fillByColour(rgba, width, height, { x: 0, y: 0 }, 0).pixelCount, 3);
  });

  it('contiguous fills stop at a wall; non-contiguous ones jump it', () => {
    const wall = new Uint8Array(5 * 5 * 4).fill(0);
    for (let y = 0; y < 5; y++) wall.set([255, 255, 255, 255], (y * 5 + 2) * 4);
    for (let i = 3; i < wall.length; i += 4) wall[i] = 255;
    assert.equal(fillByColour(wall, 5, 5, { x: 0, y: 0 }, 10, true).pixelCount, 10);
    assert.equal(fillByColour(wall, 5, 5, { x: 0, y: 0 }, 10, false).pixelCount, 20);
  });

  it('fills a label region', () => {
    const labels = Uint8Array.from([1, 1, 2, 2, 1, 1, 2, 13, 13, 13, 2, 2]);
    const fill = fillByLabel(labels, 4, 3, { x: 0, y: 2 });
    assert.deepEqual(Array.from(fill.mask.map((v) => (v ? 1 : 0))), [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0]);
  });
});

describe('polygon fill', () => {
  it('covers a pixel-aligned square exactly', () => {
    const c = rasterizePolygon([{ x: 2, y: 2 }, { x: 6, y: 2 }, { x: 6, y: 6 }, { x: 2, y: 6 }], 10, 10);
    assert.deepEqual(c.bounds, { x: 2, y: 2, width: 4, height: 4 });
    assert.ok(c.data.every((v) => v === 255));
  });

  it('anti-aliases edges: a half-covered pixel gets half coverage, and the area is preserved', () => {
    const c = rasterizePolygon([{ x: 2.5, y: 2 }, { x: 6.5, y: 2 }, { x: 6.5, y: 6 }, { x: 2.5, y: 6 }], 10, 10);
    assert.equal(c.data[0], 128);
    assert.equal(c.data[1], 255);
    assert.ok(Math.abs(sum(c.data) / 255 - 16) < 0.1);
    const tri = rasterizePolygon([{ x: 0, y: 0 }, { x: 40, y: 0 }, { x: 0, y: 40 }], 50, 50);
    assert.ok(Math.abs(sum(tri.data) / 255 - 800) < 8, `triangle area ${sum(tri.data) / 255}`);
  });

  it('fills a lasso loop drawn twice once (non-zero winding)', () => {
    const square = [{ x: 0, y: 0 }, { x: 8, y: 0 }, { x: 8, y: 8 }, { x: 0, y: 8 }];
    const twice = rasterizePolygon([...square, ...square], 10, 10);
    assert.ok(twice.data.every((v) => v === 255));
  });
});

describe('grow and shrink', () => {
  it('grows one pixel into a disc of the radius', () => {
    const n = 41;
    const mask = new Uint8Array(n * n);
    mask[20 * n + 20] = 255;
    const grown = growShrink(mask, n, n, 10);
    const area = sum(grown) / 255;
    assert.ok(Math.abs(area - Math.PI * 10.5 * 10.5) < 20, `area ${area}`);
    assert.equal(grown[20 * n + 30], 255);
    assert.equal(grown[20 * n + 32], 0);
    assert.equal(grown[(20 + 7) * n + 27], 255); // diagonal: round, not square
    assert.equal(grown[(20 + 9) * n + 29], 0);
  });

  it('shrinks a square by the radius on every side, but not from the image border', () => {
    const n = 30;
    const mask = new Uint8Array(n * n);
    for (let y = 5; y < 25; y++) for (let x = 0; x < 25; x++) mask[y * n + x] = 255;
    const shrunk = growShrink(mask, n, n, -3);
    assert.equal(shrunk[10 * n + 21], 255);
    assert.equal(shrunk[10 * n + 22], 0);
    assert.equal(shrunk[8 * n + 10], 255);
    assert.equal(shrunk[7 * n + 10], 0);
    assert.equal(shrunk[10 * n + 0], 255);
  });

  it('growing then shrinking closes a small hole and keeps the outline', () => {
    const n = 40;
    const mask = new Uint8Array(n * n);
    for (let y = 10; y < 30; y++) for (let x = 10; x < 30; x++) mask[y * n + x] = 255;
    mask[20 * n + 20] = 0;
    const closed = growShrink(growShrink(mask, n, n, 3), n, n, -3);
    assert.equal(closed[20 * n + 20], 255);
    assert.equal(closed[12 * n + 12], 255);
    assert.equal(closed[5 * n + 20], 0);
  });
});

describe('feather', () => {
  it('box widths approximate the Gaussian variance', () => {
    const boxes = boxesForGauss(4);
    const variance = boxes.reduce((v, w) => v + (w * w - 1) / 12, 0);
    assert.ok(Math.abs(variance - 16) < 2, `variance ${variance}`);
  });

  it('turns a hard edge into a smooth, monotonic ramp and keeps the amount of mask', () => {
    const width = 60;
    const height = 5;
    const mask = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 30; x < width; x++) mask[y * width + x] = 255;
    const soft = featherMask(mask, width, height, 8);
    const row = Array.from(soft.subarray(2 * width, 3 * width));
    for (let x = 1; x < width; x++) assert.ok(row[x]! >= row[x - 1]!, `not monotonic at ${x}`);
    assert.ok(row[30]! > 100 && row[30]! < 160, `edge value ${row[30]}`);
    assert.equal(row[10], 0);
    assert.equal(row[55], 255);
    assert.ok(Math.abs(sum(soft) - sum(mask)) / sum(mask) < 0.02);
    assert.deepEqual(featherMask(mask, width, height, 0), mask);
  });
});

describe('overlay compositing', () => {
  it('draws a layer in its colour at mask × opacity, and stacks layers "over"', () => {
    const red = new TiledMask(4, 1);
    const blue = new TiledMask(4, 1);
    red.set(0, 0, 255);
    red.set(1, 0, 255);
    blue.set(1, 0, 255);
    blue.set(2, 0, 128);
    const out = new Uint8ClampedArray(16);
    composeOverlay({ x: 0, y: 0, width: 4, height: 1 }, [
      { mask: red, rgb: [255, 0, 0], opacity: 0.5 },
      { mask: blue, rgb: [0, 0, 255], opacity: 1 },
    ], out);
    assert.deepEqual(Array.from(out.subarray(0, 4)), [255, 0, 0, 128]);
    assert.deepEqual(Array.from(out.subarray(4, 8)), [0, 0, 255, 255]);
    assert.deepEqual(Array.from(out.subarray(8, 12)), [0, 0, 255, 128]);
    assert.deepEqual(Array.from(out.subarray(12, 16)), [0, 0, 0, 0]);
  });
});

describe('label layers', () => {
  it('splits a label map per face and label, and composes it back exactly', () => {
    const width = 100;
    const height = 40;
    const labels = new Uint8Array(width * height);
    for (let y = 10; y < 30; y++) {
      for (let x = 10; x < 30; x++) labels[y * width + x] = 1;
      for (let x = 70; x < 90; x++) labels[y * width + x] = x < 80 ? 1 : 13;
    }
    const faces = [{ x: 10, y: 10, width: 20, height: 20 }, { x: 70, y: 10, width: 20, height: 20 }];
    const regions = splitLabelMap(labels, width, height, faces);
    assert.deepEqual(regions.map((r) => [r.face, r.label, r.pixels]), [[-1, 0, 4000 - 800], [0, 1, 400], [1, 1, 200], [1, 13, 200]]);
    assert.deepEqual(composeLabelMap(width, height, regions), labels);
  });
});
