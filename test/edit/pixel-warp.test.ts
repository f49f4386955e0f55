import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { meshWarp } from '../../src/engine/edit/pixel/warp/mesh-warp';
import { prefilterFactor, shrinkSource } from '../../src/engine/edit/pixel/warp/prefilter-source';
import { forEachTriangleSpan, triangleAffine } from '../../src/engine/edit/pixel/warp/triangle-affine';
import { applyAffine } from '../../src/engine/vision/image-ops/affine';
import { sampleBilinear } from '../../src/engine/vision/image-ops/bilinear';

/** A width × height RGB image whose pixel (x, y) is (x, y, x + y) — every sample is checkable by hand. */
function coordinateImage(width: number, height: number) {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([x, y, x + y], (y * width + x) * 3);
  return { width, height, channels: 3 as const, data };
}

/** Two triangles covering the rectangle (x0, y0)–(x1, y1): corners 0 1 / 2 3. */
function quad(x0: number, y0: number, x1: number, y1: number): number[] {
  return [x0, y0, x1, y0, x0, y1, x1, y1];
}
const QUAD_TRIANGLES = [0, 1, 2, 1, 3, 2];

describe('triangleAffine', () => {
  it('maps each vertex of one triangle onto the other', () => {
    const from = [10, 10, 50, 20, 30, 70];
    const to = [100, 5, 140, 60, 80, 90];
    const m = triangleAffine(from, to)!;
    for (let k = 0; k < 3; k++) {
      const p = applyAffine(m, from[k * 2]!, from[k * 2 + 1]!);
      assert.ok(Math.abs(p.x - to[k * 2]!) < 1e-9 && Math.abs(p.y - to[k * 2 + 1]!) < 1e-9, `vertex ${k}`);
    }
  });

  it('is null for a degenerate triangle', () => {
    assert.equal(triangleAffine([0, 0, 1, 1, 2, 2], [0, 0, 1, 0, 0, 1]), null);
  });
});

describe('forEachTriangleSpan', () => {
  it('visits exactly the pixels whose centres are inside (either winding), clipped to the image', () => {
    for (const tri of [[3.2, 1.7, 17.9, 6.1, 6.4, 14.8], [6.4, 14.8, 17.9, 6.1, 3.2, 1.7], [-5, -5, 12, 2, 2, 30]]) {
      const seen = new Set<number>();
      forEachTriangleSpan(tri, 16, 16, (y, x0, x1) => {
        for (let x = x0; x < x1; x++) seen.add(y * 16 + x);
      }, 0);
      for (let y = 0; y < 16; y++) {
        for (let x = 0; x < 16; x++) {
          const [px, py] = [x + 0.5, y + 0.5];
          const side = (i: number) => {
            const [ax, ay, bx, by] = [tri[i * 2]!, tri[i * 2 + 1]!, tri[((i + 1) % 3) * 2]!, tri[((i + 1) % 3) * 2 + 1]!];
            return (bx - ax) * (py - ay) - (by - ay) * (px - ax);
          };
          const s = [side(0), side(1), side(2)];
          const inside = s.every((v) => v >= 0) || s.every((v) => v <= 0);
          assert.equal(seen.has(y * 16 + x), inside, `pixel ${x},${y}`);
        }
      }
    }
  });

  it('leaves no crack between two triangles sharing an edge', () => {
    const covered = new Uint8Array(40 * 40);
    const pts = [2.3, 1.1, 37.6, 3.9, 1.2, 38.4, 36.1, 35.7];
    for (const t of [[0, 1, 2], [1, 3, 2]]) {
      const tri = t.flatMap((i) => [pts[i * 2]!, pts[i * 2 + 1]!]);
      forEachTriangleSpan(tri, 40, 40, (y, x0, x1) => covered.fill(1, y * 40 + x0, y * 40 + x1));
    }
    // Every pixel centre well inside the quadrilateral is covered.
    for (let y = 6; y < 34; y++) for (let x = 6; x < 34; x++) assert.equal(covered[y * 40 + x], 1, `pixel ${x},${y}`);
  });
});

describe('meshWarp', () => {
  it('reproduces the source exactly when the mesh does not move', () => {
    const source = coordinateImage(32, 24);
    const points = quad(0, 0, 32, 24);
    const warp = meshWarp({ source, sourcePoints: points, targetPoints: points, triangles: QUAD_TRIANGLES, window: { left: 0, top: 0, width: 32, height: 24 } });
    assert.ok(warp.coverage.every((v) => v === 1));
    assert.deepEqual(Array.from(warp.data), Array.from(source.data));
  });

  it('moves pixels: a mesh shifted by (5, 3) samples 5 columns left and 3 rows up, in the window asked for', () => {
    const source = coordinateImage(40, 40);
    const window = { left: 10, top: 10, width: 12, height: 8 };
    const warp = meshWarp({ source, sourcePoints: quad(0, 0, 30, 30), targetPoints: quad(5, 3, 35, 33), triangles: QUAD_TRIANGLES, window });
    for (let y = 0; y < window.height; y++) {
      for (let x = 0; x < window.width; x++) {
        const p = (y * window.width + x) * 3;
        assert.deepEqual([warp.data[p], warp.data[p + 1]], [window.left + x - 5, window.top + y - 3], `pixel ${x},${y}`);
      }
    }
  });

  it('leaves pixels outside the mesh and outside the mask uncovered and zero', () => {
    const source = coordinateImage(20, 20);
    const mask = new Uint8Array(20 * 20).fill(1);
    mask[5 * 20 + 5] = 0;
    const warp = meshWarp({ source, sourcePoints: quad(0, 0, 20, 20), targetPoints: quad(0, 0, 10, 20), triangles: QUAD_TRIANGLES, window: { left: 0, top: 0, width: 20, height: 20 }, mask });
    assert.equal(warp.coverage[5 * 20 + 5], 0, 'masked out');
    assert.equal(warp.coverage[5 * 20 + 15], 0, 'right of the mesh');
    assert.equal(warp.data[(5 * 20 + 15) * 3], 0);
    assert.equal(warp.coverage[5 * 20 + 4], 1);
    // Squeezed 2× horizontally: output x samples source 2x.
    assert.ok(Math.abs(warp.data[(5 * 20 + 4) * 3]! - 8.5) < 1e-4, `got ${warp.data[(5 * 20 + 4) * 3]}`);
  });

  it('samples as sampleBilinear does, edge replicated, on spans inside the source and on spans running off it', () => {
    // A 3×3-cell mesh whose outer cells reach past the source's edges: the inner spans stay on
    // the source, the outer ones run off it on every side.
    const width = 40;
    const height = 32;
    const data = new Uint8Array(width * height * 3);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 251;
    const source = { width, height, channels: 3 as const, data };
    const targetPoints: number[] = [];
    const sourcePoints: number[] = [];
    for (let j = 0; j < 4; j++) {
      for (let i = 0; i < 4; i++) {
        targetPoints.push(i * 10, j * 9);
        sourcePoints.push(-3 + i * 15.3 + ((i * j) % 3) * 0.7, -2 + j * 11.5 - ((i + j) % 2) * 0.9);
      }
    }
    const triangles: number[] = [];
    for (let j = 0; j < 3; j++) for (let i = 0; i < 3; i++) triangles.push(j * 4 + i, j * 4 + i + 1, (j + 1) * 4 + i, j * 4 + i + 1, (j + 1) * 4 + i + 1, (j + 1) * 4 + i);
    const window = { left: 0, top: 0, width: 30, height: 27 };
    const warp = meshWarp({ source, sourcePoints, targetPoints, triangles, window, antialias: false });
    const expected = new Float32Array(3);
    let offSource = 0;
    let checked = 0;
    for (let t = 0; t < triangles.length; t += 3) {
      const corners = (points: number[]) => triangles.slice(t, t + 3).flatMap((v) => [points[v * 2]!, points[v * 2 + 1]!]);
      const m = triangleAffine(corners(targetPoints), corners(sourcePoints))!;
      forEachTriangleSpan(corners(targetPoints), window.width, window.height, (y, x0, x1) => {
        for (let x = x0; x < x1; x++, checked++) {
          const at = applyAffine(m, x + 0.5, y + 0.5);
          if (at.x < 0.5 || at.y < 0.5 || at.x > width - 0.5 || at.y > height - 0.5) offSource++;
          sampleBilinear(source, at.x, at.y, 'replicate', 3, expected, 0);
          // Pixels on an edge two triangles share may take either one's map: within a hair.
          for (let c = 0; c < 3; c++) assert.ok(Math.abs(warp.data[(y * window.width + x) * 3 + c]! - expected[c]!) < 0.5, `pixel ${x},${y} channel ${c}`);
        }
      });
    }
    assert.ok(checked >= window.width * window.height, `${checked} pixels checked`);
    assert.ok(offSource > 50 && offSource < checked / 2, `${offSource} of them sample beyond the source's edge`);
  });

  it('averages a much larger source down instead of aliasing', () => {
    // A 1-pixel checkerboard shrunk 4×, offset so output centres fall on source pixel centres:
    // plain bilinear reads 0s or 255s there; the average is 127.5.
    const size = 66;
    const data = new Uint8Array(size * size * 3);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data.fill((x + y) % 2 ? 255 : 0, (y * size + x) * 3, (y * size + x) * 3 + 3);
    const source = { width: size, height: size, channels: 3 as const, data };
    const input = { source, sourcePoints: quad(0.5, 0.5, 64.5, 64.5), targetPoints: quad(0, 0, 16, 16), triangles: QUAD_TRIANGLES, window: { left: 0, top: 0, width: 16, height: 16 } };
    const smooth = meshWarp(input);
    for (let p = 1; p < 15; p++) assert.ok(Math.abs(smooth.data[(p * 16 + p) * 3]! - 127.5) < 1, `pixel ${p}: ${smooth.data[(p * 16 + p) * 3]}`);
    const aliased = meshWarp({ ...input, antialias: false });
    assert.ok(Math.abs(aliased.data[(5 * 16 + 5) * 3]! - 127.5) > 100, 'without the prefilter it aliases');
  });
});

describe('prefilter', () => {
  it('shrinks by the mesh\'s whole shrink factor, and keeps a byte source in bytes', () => {
    assert.equal(prefilterFactor(quad(0, 0, 60, 60), quad(0, 0, 20, 20)), 3);
    assert.equal(prefilterFactor(quad(0, 0, 30, 30), quad(0, 0, 20, 20)), 1, 'under 2×: no prefilter');
    const bytes = { width: 8, height: 8, channels: 3 as const, data: new Uint8Array(8 * 8 * 3) };
    for (let i = 0; i < bytes.data.length; i += 3) bytes.data[i] = (i / 3) % 2 ? 255 : 0;
    const shrunk = shrinkSource(bytes, quad(0, 0, 8, 8), 2)!;
    assert.ok(shrunk.source.data instanceof Uint8Array, 'bytes stay bytes');
    assert.equal(shrunk.source.data[0], 128, 'the 2×2 mean 127.5, rounded');
    const floats = { ...bytes, data: Float32Array.from(bytes.data) };
    const shrunkFloats = shrinkSource(floats, quad(0, 0, 8, 8), 2)!;
    assert.ok(shrunkFloats.source.data instanceof Float32Array, 'floats stay floats');
    assert.equal(shrunkFloats.source.data[0], 127.5);
  });
});
