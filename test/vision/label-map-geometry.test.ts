// The label map's building blocks, without models: MediaPipe's edge lists chained into ordered
// regions, the scanline fill, the label-map helpers, and the soft layer masks (which must add up
// to one at every pixel).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LABEL_COUNT } from '../../src/shared/labels';
import { FACEMESH_FACE_OVAL, FACEMESH_LIPS } from '../../src/engine/vision/face-mesh-connections';
import {
  chainConnections,
  FACE_OVAL,
  LEFT_BROW,
  LEFT_EYE,
  LIPS_INNER_LOWER,
  LIPS_INNER_UPPER,
  LIPS_OUTER_LOWER,
  LIPS_OUTER_UPPER,
  LOWER_LIP,
  MOUTH_INTERIOR,
  NOSE,
  RIGHT_BROW,
  RIGHT_EYE,
  UPPER_LIP,
} from '../../src/engine/vision/face-mesh-regions';
import { assertValidLabelMap, labelMask, labelPixelCounts, presentLabels, type LabelMap } from '../../src/engine/vision/label-map/label-map';
import { capsulePolygon, ellipsePolygon, fillPolygon, forEachPolygonSpan } from '../../src/engine/vision/label-map/rasterize';
import { softLabelMask, softLabelMasks, toByteMask } from '../../src/engine/vision/label-map/soft-masks';

describe('face mesh regions', () => {
  it('chains edge lists into loops and paths', () => {
    assert.deepEqual(chainConnections([[1, 2], [2, 3], [3, 1]]), [{ closed: true, indices: [1, 2, 3] }]);
    assert.deepEqual(chainConnections([[5, 6], [6, 7], [9, 8]]), [
      { closed: false, indices: [5, 6, 7] },
      { closed: false, indices: [9, 8] },
    ]);
    assert.throws(() => chainConnections([[1, 2], [1, 3], [1, 4]]), /joins 3 edges/);
  });

  it('orders the oval, eyes, brows, lips and nose as simple polygons', () => {
    assert.equal(FACE_OVAL.length, FACEMESH_FACE_OVAL.length);
    assert.equal(FACE_OVAL[0], 10);
    assert.equal(new Set(FACE_OVAL).size, 36);
    for (const [name, loop] of Object.entries({ LEFT_EYE, RIGHT_EYE })) assert.equal(new Set(loop).size, 16, name);
    assert.deepEqual([RIGHT_BROW[0], RIGHT_BROW[4], RIGHT_BROW[9]], [46, 55, 70]);
    assert.deepEqual([LEFT_BROW[0], LEFT_BROW[4], LEFT_BROW[9]], [276, 285, 300]);
    // Lip arcs run corner to corner and pass through their named middle points.
    for (const [arc, from, through, to] of [
      [LIPS_OUTER_UPPER, 61, 0, 291],
      [LIPS_OUTER_LOWER, 61, 17, 291],
      [LIPS_INNER_UPPER, 78, 13, 308],
      [LIPS_INNER_LOWER, 78, 14, 308],
    ] as const) {
      assert.equal(arc[0], from);
      assert.equal(arc.at(-1), to);
      assert.ok(arc.includes(through));
    }
    // Every FACEMESH_LIPS point is in one of the two lips; the mouth is the inner ring.
    const lipPoints = new Set(FACEMESH_LIPS.flat());
    assert.deepEqual(new Set([...UPPER_LIP, ...LOWER_LIP]), lipPoints);
    assert.equal(new Set(MOUTH_INTERIOR).size, 20);
    assert.equal(new Set(NOSE).size, NOSE.length);
  });
});

describe('scanline fill', () => {
  it('covers the pixels whose centres are inside, each once', () => {
    const width = 40;
    const height = 30;
    const target = new Uint8Array(width * height);
    // A rectangle from (5, 5) to (25, 15): exactly 20 × 10 pixel centres.
    fillPolygon(target, width, height, [5, 5, 25, 5, 25, 15, 5, 15], 7);
    assert.equal(target.filter((v) => v === 7).length, 200);
    assert.equal(target[5 * width + 5], 7);
    assert.equal(target[15 * width + 25], 0);
  });

  it('approximates areas of ellipses and capsules, clipped to the image', () => {
    let count = 0;
    forEachPolygonSpan(ellipsePolygon(100, 100, 40, 20, [Math.SQRT1_2, Math.SQRT1_2], 64), 300, 300, (_y, x0, x1) => (count += x1 - x0));
    assert.ok(Math.abs(count - Math.PI * 40 * 20) / (Math.PI * 40 * 20) < 0.02, `ellipse ${count}`);
    count = 0;
    forEachPolygonSpan(capsulePolygon(50, 50, 150, 50, 10), 300, 300, (_y, x0, x1) => (count += x1 - x0));
    const capsule = 100 * 20 + Math.PI * 100;
    assert.ok(Math.abs(count - capsule) / capsule < 0.03, `capsule ${count}`);
    count = 0;
    forEachPolygonSpan([-50, -50, 20, -50, 20, 20, -50, 20], 10, 10, (_y, x0, x1) => (count += x1 - x0));
    assert.equal(count, 100, 'clipped to the 10×10 image');
  });
});

/** A 10×6 map: background left, hair, skin, cloth; alpha soft across the person's left edge. */
function tinyMap(): LabelMap {
  const width = 10;
  const height = 6;
  const data = new Uint8Array(width * height);
  const personAlpha = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      data[i] = x < 3 ? 0 : y < 2 ? 13 : y < 4 ? 1 : 18;
      personAlpha[i] = x < 2 ? 0 : x === 2 ? 0.3 : x === 3 ? 0.7 : 1;
    }
  }
  return { width, height, data, personAlpha, faceCount: 1, parser: 'test' };
}

describe('label map helpers', () => {
  it('counts, lists and masks labels', () => {
    const map = tinyMap();
    assertValidLabelMap(map);
    const counts = labelPixelCounts(map);
    assert.equal(counts.length, LABEL_COUNT);
    assert.deepEqual([counts[0], counts[1], counts[13], counts[18]], [18, 14, 14, 14]);
    assert.deepEqual(presentLabels(map).map((l) => l.name), ['background', 'skin', 'hair', 'cloth']);
    const hairAndSkin = labelMask(map, ['hair', 1]);
    assert.equal(hairAndSkin.filter((v) => v === 255).length, 28);
    assert.throws(() => labelMask(map, 19), { name: 'SeamError', code: 'BAD_INPUT' });
    assert.throws(() => assertValidLabelMap({ ...map, data: Uint8Array.from(map.data, (v) => (v === 18 ? 19 : v)) }), /outside 0\.\.18/);
  });
});

describe('soft masks', () => {
  it('add up to one at every pixel, follow the person alpha at the background and feather inside', () => {
    const map = tinyMap();
    const masks = softLabelMasks(map, { feather: 1 });
    assert.deepEqual([...masks.keys()], [0, 1, 13, 18]);
    for (let i = 0; i < map.data.length; i++) {
      let sum = 0;
      for (const mask of masks.values()) sum += mask[i]!;
      assert.ok(Math.abs(sum - 1) < 1e-5, `pixel ${i}: ${sum}`);
    }
    // Background takes 1 − alpha (alpha clamped to agree with the hard map at 0.5).
    assert.ok(Math.abs(masks.get(0)![2 * 10 + 2]! - 0.7) < 1e-6);
    assert.ok(Math.abs(masks.get(0)![2 * 10 + 3]! - 0.3) < 1e-6);
    // Between hair (rows 0–1) and skin (rows 2–3) the edge is feathered, not hard.
    const hairAtEdge = masks.get(13)![2 * 10 + 6]!;
    assert.ok(hairAtEdge > 0.2 && hairAtEdge < 0.5, `hair just below its edge: ${hairAtEdge}`);
    assert.deepEqual(softLabelMask(map, 'hair', { feather: 1 }), masks.get(13));
    // feather 0: hard inside the person.
    const hard = softLabelMask(map, 'skin', { feather: 0 });
    assert.equal(hard[2 * 10 + 6], 1);
    assert.equal(hard[1 * 10 + 6], 0);
    assert.deepEqual(Array.from(toByteMask(Float32Array.of(-1, 0.5, 2))), [0, 128, 255]);
  });
});
