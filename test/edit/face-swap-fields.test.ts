/**
 * The face swap's smooth fields and the full-size pass that reads them, on synthetic inputs (no
 * model): colour gains on their own coarse grid, each field interpolated on its own grid, and the
 * source face prepared once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPlane } from '../../src/engine/edit/pixel/blend/float-plane';
import { localColourGains } from '../../src/engine/edit/processors/face-swap/color-match';
import { meshWarp } from '../../src/engine/edit/pixel/warp/mesh-warp';
import { compositeFace } from '../../src/engine/edit/processors/face-swap/face-composite';
import { SwapSource } from '../../src/engine/edit/processors/face-swap/swap-source';

/** Two triangles covering the rectangle (x0, y0)–(x1, y1): corners 0 1 / 2 3. */
function quad(x0: number, y0: number, x1: number, y1: number): number[] {
  return [x0, y0, x1, y0, x0, y1, x1, y1];
}
const QUAD_TRIANGLES = [0, 1, 2, 1, 3, 2];

/** An interleaved RGB grid of `width` × `height` whose pixel (x, y) is colour(x, y). */
function rgbGrid(width: number, height: number, colour: (x: number, y: number) => [number, number, number]) {
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(colour(x, y), (y * width + x) * 3);
  return { width, height, channels: 3, data };
}

describe('local colour gains', () => {
  it('are the ratio of the two faces\' skin colours, on a grid coarser than their inputs\' for a wide blur', () => {
    const width = 60;
    const height = 48;
    // The target is lit from the left (twice as bright there as on the right); the warped source
    // evenly. Skin weight everywhere but a "feature" block that must not count.
    const target = rgbGrid(width, height, (x) => {
      const light = 2 - x / (width - 1);
      return [100 * light, 80 * light, 60 * light];
    });
    const warped = rgbGrid(width, height, () => [100, 80, 60]);
    const skin = createPlane(width, height);
    skin.data.fill(1);
    for (let y = 20; y < 28; y++) for (let x = 26; x < 34; x++) skin.data[y * width + x] = 0;
    for (let y = 20; y < 28; y++) for (let x = 26; x < 34; x++) target.data.set([0, 0, 0], (y * width + x) * 3);
    const gains = localColourGains(target, warped, skin, 8);
    assert.ok(gains.factor >= 2, `the gains' grid is ${gains.factor}× coarser`);
    assert.deepEqual([gains.planes[0]!.width, gains.planes[0]!.height], [Math.ceil(width / gains.factor), Math.ceil(height / gains.factor)]);
    const row = Math.floor(gains.planes[0]!.height / 2);
    const at = (c: number, x: number) => gains.planes[c]!.data[row * gains.planes[c]!.width + x]!;
    const last = gains.planes[0]!.width - 1;
    for (let c = 0; c < 3; c++) {
      assert.ok(at(c, 0) > 1.6, `channel ${c}: gain ${at(c, 0).toFixed(2)} on the lit side`);
      assert.ok(at(c, last) < 1.4, `channel ${c}: gain ${at(c, last).toFixed(2)} on the dark side`);
      // The black "feature" has no weight: in its middle the gain is its surroundings' (about 1.5).
      const middle = Math.floor((30 / width) * gains.planes[c]!.width);
      assert.ok(Math.abs(at(c, middle) - 1.5) < 0.1, `channel ${c}: gain ${at(c, middle).toFixed(2)} over the feature`);
    }
  });

  it('fall back to the whole face\'s gain where there is no skin near', () => {
    const width = 64;
    const height = 16;
    const target = rgbGrid(width, height, () => [150, 150, 150]);
    const warped = rgbGrid(width, height, () => [100, 100, 100]);
    const skin = createPlane(width, height);
    for (let y = 0; y < height; y++) for (let x = 0; x < 8; x++) skin.data[y * width + x] = 1;
    const gains = localColourGains(target, warped, skin, 4);
    const plane = gains.planes[1]!;
    assert.ok(Math.abs(plane.data[plane.width - 1]! - 1.5) < 1e-6, `far from the skin: ${plane.data[plane.width - 1]}`);
  });
});

describe('compositing the swapped face', () => {
  it('reads each field on its own grid: gains on a coarser grid than the blend weight still change smoothly from row to row', () => {
    const size = 32;
    const image = { width: size, height: size, channels: 3 as const, data: new Uint8Array(size * size * 3) };
    const source = { width: size, height: size, channels: 3 as const, data: new Uint8Array(size * size * 3).fill(100) };
    const window = { left: 0, top: 0, width: size, height: size };
    const warp = { source, sourcePoints: quad(0, 0, size, size), targetPoints: quad(0, 0, size, size), triangles: QUAD_TRIANGLES, window, mask: new Uint8Array(size * size).fill(1) };
    // Full weight everywhere, on the full-size grid; gains from 1 (top cell row) to 2 (bottom) on a grid 16× coarser.
    const blend = createPlane(size, size);
    blend.data.fill(1);
    const rows = (top: number, bottom: number) => ({ width: 2, height: 2, data: new Float32Array([top, top, bottom, bottom]) });
    const region = new Uint8Array(size * size);
    compositeFace({ image, region, warp, blend, factor: 1, gains: { planes: [rows(1, 2), rows(1, 2), rows(1, 2)], factor: 16 }, strength: 1 });
    const at = (y: number) => image.data[(y * size + 5) * 3]!;
    assert.equal(at(0), 100, 'top: gain 1');
    assert.equal(at(size - 1), 200, 'bottom: gain 2');
    // Between the two cell rows' centres (rows 8 and 24) the gain rises row by row.
    for (let y = 9; y < 24; y++) assert.ok(at(y) > at(y - 1), `row ${y}: ${at(y)} after ${at(y - 1)}`);
    assert.ok(region.every((v) => v === 255));
  });

  it('given the warp already made (a small face), blends the same pixels as warping again, and still only inside the hard mask', () => {
    const size = 24;
    const source = { width: size, height: size, channels: 3 as const, data: Uint8Array.from({ length: size * size * 3 }, (_, i) => (i * 7) % 251) };
    const photo = () => ({ width: 40, height: 40, channels: 3 as const, data: new Uint8Array(40 * 40 * 3).fill(30) });
    const window = { left: 8, top: 6, width: size, height: size };
    // The left half of the window may show the new face; the right half must stay the photo.
    const mask = Uint8Array.from({ length: size * size }, (_, p) => (p % size < size / 2 ? 1 : 0));
    const mesh = { source, sourcePoints: quad(0, 0, size, size), targetPoints: quad(8, 6, 8 + size, 6 + size), triangles: QUAD_TRIANGLES, antialias: false };
    const blend = createPlane(size, size);
    blend.data.fill(0.75);
    const gains = { planes: [0, 1, 2].map(() => ({ width: 1, height: 1, data: new Float32Array([1.1]) })), factor: 1 };
    const composite = (warped?: ReturnType<typeof meshWarp>) => {
      const image = photo();
      const region = new Uint8Array(40 * 40);
      compositeFace({ image, region, warp: { ...mesh, window, mask }, ...(warped ? { warped } : {}), blend, factor: 1, gains, strength: 1 });
      return { image, region };
    };
    const again = composite();
    // Made as swap-face.ts makes it: on the window's own grid, no mask.
    const made = meshWarp({ ...mesh, targetPoints: quad(0, 0, size, size), window: { left: 0, top: 0, width: size, height: size }, channels: 3 });
    const reused = composite(made);
    assert.deepEqual(reused.image.data, again.image.data);
    assert.deepEqual(reused.region, again.region);
    const at = (x: number, y: number) => reused.image.data[((6 + y) * 40 + 8 + x) * 3]!;
    assert.notEqual(at(3, 10), 30, 'inside the mask: blended');
    assert.equal(at(size - 3, 10), 30, 'outside the mask: the photo');
  });
});

describe('the prepared source face', () => {
  it('averages the source down once per shrink factor, in bytes, and not at all for a mesh that does not shrink it', () => {
    const size = 90;
    const image = { width: size, height: size, channels: 3 as const, data: new Uint8Array(size * size * 3) };
    for (let i = 0; i < image.data.length; i += 3) image.data[i] = ((i / 3) % size) % 2 ? 255 : 0;
    // 468 landmarks spread over the source (the cheeks sampled from them fall on it too).
    const points = Float64Array.from({ length: 468 * 2 }, (_, i) => 5 + ((i * 37) % 80));
    const prepared = new SwapSource(image, points);
    const corners = quad(5, 5, 85, 85);
    const same = prepared.warpInput(corners, quad(0, 0, 80, 80));
    assert.equal(same.source, image, 'no shrink, no copy');
    const shrunk = prepared.warpInput(corners, quad(0, 0, 20, 20));
    assert.ok(shrunk.source !== image && shrunk.source.data instanceof Uint8Array, 'a byte copy averaged down');
    assert.ok(shrunk.source.width < size / 3, `${shrunk.source.width} px wide`);
    // 4× (80 px of mesh onto 20), cut from a block left of the points (x 1 on): 4 columns to a
    // block, 2 of them lit, 127.5 rounded.
    assert.equal(shrunk.source.data[(2 * shrunk.source.width + 2) * 3], 128, 'the stripes averaged');
    assert.equal(shrunk.sourcePoints[0], (5 - 1) / 4, 'points moved onto the copy');
    assert.equal(prepared.warpInput(corners, quad(3, 1, 23, 21)).source, shrunk.source, 'the same factor again: the copy kept');
  });
});
