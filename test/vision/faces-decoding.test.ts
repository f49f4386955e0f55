// The face detector's decoding, without the models: SSD anchors exactly as MediaPipe generates
// them, box and keypoint decoding, the sigmoid's logit clip, weighted NMS, the tile layout, the
// reported order, and the landmark crop geometry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyAffine, invertAffine, scaleTranslate } from '../../src/engine/vision/image-ops/affine';
import { decodeDetections, sigmoid, type CandidateFace } from '../../src/engine/vision/faces/decode-detections';
import { FULL_RANGE, SHORT_RANGE } from '../../src/engine/vision/faces/detector-configs';
import { squareTiles, tileSide } from '../../src/engine/vision/faces/face-detector';
import { sortFacesLeftToRight, toFaceDetection } from '../../src/engine/vision/faces/face-order';
import type { Landmark } from '../../src/engine/vision/faces/face-types';
import { cropFromDetection, cropFromLandmarks, cropToImageTransform } from '../../src/engine/vision/faces/landmark-crop';
import { weightedNonMaxSuppression } from '../../src/engine/vision/faces/weighted-nms';

const close = (actual: number, expected: number, tolerance = 1e-9, what = '') =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what} ${actual} is not within ${tolerance} of ${expected}`);

function candidate(xmin: number, ymin: number, size: number, score: number, keypointX = xmin): CandidateFace {
  return { xmin, ymin, xmax: xmin + size, ymax: ymin + size, score, keypoints: Array.from({ length: 12 }, () => keypointX), model: 'short-range', foundBy: ['short-range'] };
}

describe('SSD anchors (MediaPipe settings)', () => {
  it('short range: 896 anchors, 2 per cell on the 16×16 map then 6 per cell on the 8×8 map', () => {
    const a = SHORT_RANGE.anchors;
    assert.equal(a.length, 896);
    assert.deepEqual(a[0], { x: 0.5 / 16, y: 0.5 / 16, width: 1, height: 1 });
    assert.deepEqual(a[1], a[0]);
    assert.deepEqual(a[2], { x: 1.5 / 16, y: 0.5 / 16, width: 1, height: 1 });
    assert.deepEqual(a[511], { x: 15.5 / 16, y: 15.5 / 16, width: 1, height: 1 });
    assert.deepEqual(a[512], { x: 0.5 / 8, y: 0.5 / 8, width: 1, height: 1 });
    assert.deepEqual(a[517], a[512]);
    assert.deepEqual(a[518], { x: 1.5 / 8, y: 0.5 / 8, width: 1, height: 1 });
    assert.deepEqual(a[895], { x: 7.5 / 8, y: 7.5 / 8, width: 1, height: 1 });
  });

  it('full range: 2304 anchors, one per cell of the 48×48 map', () => {
    const a = FULL_RANGE.anchors;
    assert.equal(a.length, 2304);
    assert.deepEqual(a[0], { x: 0.5 / 48, y: 0.5 / 48, width: 1, height: 1 });
    assert.deepEqual(a[1], { x: 1.5 / 48, y: 0.5 / 48, width: 1, height: 1 });
    assert.deepEqual(a[48], { x: 0.5 / 48, y: 1.5 / 48, width: 1, height: 1 });
  });
});

describe('decoding detections', () => {
  it('clips logits before the sigmoid so extreme values stay finite', () => {
    assert.equal(sigmoid(1e6, 100), 1 / (1 + Math.exp(-100)));
    assert.ok(sigmoid(-1e6, 100) > 0);
    close(sigmoid(0, 100), 0.5);
  });

  it('decodes box, keypoints and score against the anchor, in image pixels through the letterbox', () => {
    const n = SHORT_RANGE.anchors.length;
    const regressors = new Float32Array(n * 16);
    const logits = new Float32Array(n).fill(-10);
    const i = 600; // an anchor on the 8×8 map
    const anchor = SHORT_RANGE.anchors[i]!;
    // Offsets in input pixels (scale 128): centre +6.4 px right, box 32×25.6 px, right eye at -12.8, -6.4.
    regressors.set([6.4, 0, 32, 25.6, -12.8, -6.4], i * 16);
    logits[i] = 2;
    // The input is a 2× enlargement of the image shifted by 10 px: image = input / 2 + 10.
    const faces = decodeDetections(regressors, logits, SHORT_RANGE, scaleTranslate(0.5, 0.5, 10, 10));
    assert.equal(faces.length, 1);
    const f = faces[0]!;
    close(f.score, sigmoid(2), 1e-12);
    const cx = (anchor.x * 128 + 6.4) / 2 + 10;
    const cy = (anchor.y * 128) / 2 + 10;
    close((f.xmin + f.xmax) / 2, cx, 1e-4, 'centre x');
    close((f.ymin + f.ymax) / 2, cy, 1e-4, 'centre y');
    close(f.xmax - f.xmin, 16, 1e-4, 'width');
    close(f.ymax - f.ymin, 12.8, 1e-4, 'height');
    close(f.keypoints[0]!, (anchor.x * 128 - 12.8) / 2 + 10, 1e-4, 'right eye x');
    close(f.keypoints[1]!, (anchor.y * 128 - 6.4) / 2 + 10, 1e-4, 'right eye y');
  });

  it('drops anchors under the model threshold (0.5 short, 0.6 full)', () => {
    const logits = new Float32Array(FULL_RANGE.anchors.length).fill(Math.log(0.55 / 0.45));
    assert.equal(decodeDetections(new Float32Array(FULL_RANGE.anchors.length * 16), logits, FULL_RANGE, scaleTranslate(1, 1, 0, 0)).length, 0);
  });

  it('rejects outputs of the wrong size', () => {
    assert.throws(() => decodeDetections(new Float32Array(10), new Float32Array(1), SHORT_RANGE, scaleTranslate(1, 1, 0, 0)), /expected 896/);
  });
});

describe('weighted non-max suppression', () => {
  it('averages overlapping boxes by score and keeps the leader score', () => {
    const merged = weightedNonMaxSuppression([candidate(0, 0, 10, 0.9, 1), candidate(2, 0, 10, 0.6, 3)], 0.3);
    assert.equal(merged.length, 1);
    close(merged[0]!.xmin, (0 * 0.9 + 2 * 0.6) / 1.5, 1e-12);
    close(merged[0]!.keypoints[0]!, (1 * 0.9 + 3 * 0.6) / 1.5, 1e-12);
    assert.equal(merged[0]!.score, 0.9);
  });

  it('keeps boxes that overlap by IoU 0.3 or less apart', () => {
    // IoU of these two: 40 / 160 = 0.25.
    const kept = weightedNonMaxSuppression([candidate(0, 0, 10, 0.7), candidate(6, 0, 10, 0.9)], 0.3);
    assert.equal(kept.length, 2);
    assert.equal(kept[0]!.score, 0.9);
  });

  it('records every model in a merged cluster, the strongest as the lead', () => {
    const full = { ...candidate(1, 1, 10, 0.95), model: 'full-range' as const, foundBy: ['full-range' as const] };
    const merged = weightedNonMaxSuppression([candidate(0, 0, 10, 0.9), full]);
    assert.equal(merged[0]!.model, 'full-range');
    assert.deepEqual(toFaceDetection(merged[0]!).foundBy, ['full-range', 'short-range']);
  });
});

describe('tiles and order', () => {
  it('covers a 1280×720 frame with overlapping 480-pixel tiles', () => {
    assert.equal(tileSide(1280, 720), 480);
    const tiles = squareTiles(1280, 720);
    assert.equal(tiles.length, 8);
    for (const t of tiles) assert.ok(t.x >= 0 && t.y >= 0 && t.x + t.width <= 1280 && t.y + t.height <= 720);
    assert.deepEqual([...new Set(tiles.map((t) => t.x))], [0, 267, 533, 800]);
    assert.deepEqual([...new Set(tiles.map((t) => t.y))], [0, 240]);
    assert.deepEqual(squareTiles(480, 480), [], 'one tile would be the whole image');
  });

  it('orders faces left to right by box centre, then top to bottom', () => {
    const faces = [candidate(300, 0, 50, 0.9), candidate(10, 200, 50, 0.8), candidate(10, 20, 50, 0.7)].map(toFaceDetection);
    const sorted = sortFacesLeftToRight(faces);
    assert.deepEqual(sorted.map((f) => [f.box.x, f.box.y]), [[10, 20], [10, 200], [300, 0]]);
  });
});

describe('landmark crop geometry', () => {
  const detection = toFaceDetection({
    xmin: 100, ymin: 50, xmax: 200, ymax: 170, score: 0.9, model: 'short-range', foundBy: ['short-range'],
    // Right eye (the image's left) at (120, 100), left eye lower right at (180, 130): a tilted head.
    keypoints: [120, 100, 180, 130, 150, 120, 150, 150, 100, 110, 200, 140],
  });

  it('squares the box on its long side, scales it 1.5× and levels the eyes', () => {
    const crop = cropFromDetection(detection);
    close(crop.centerX, 150);
    close(crop.centerY, 110);
    close(crop.size, 180);
    close(crop.angle, Math.atan2(30, 60));
    // The eye-to-eye direction maps onto the crop's x axis: both eyes at the same crop row.
    const toCrop = cropToImageTransform(crop, 192);
    const inverse = invertAffine(toCrop);
    const right = applyAffine(inverse, 120, 100);
    const left = applyAffine(inverse, 180, 130);
    close(right.y, left.y, 1e-9, 'eye rows');
    const centre = applyAffine(toCrop, 96, 96);
    close(centre.x, 150, 1e-9);
    close(centre.y, 110, 1e-9);
  });

  it('from landmarks: their bounding box and the outer eye corners 33 → 263', () => {
    const points: Landmark[] = Array.from({ length: 468 }, (_, i) => ({ x: 100 + (i % 10) * 10, y: 200 + Math.floor(i / 10), z: 0 }));
    points[33] = { x: 120, y: 210, z: 0 };
    points[263] = { x: 170, y: 210, z: 0 };
    const crop = cropFromLandmarks(points);
    close(crop.angle, 0);
    close(crop.centerX, 145);
    close(crop.size, 1.5 * 90);
  });
});
