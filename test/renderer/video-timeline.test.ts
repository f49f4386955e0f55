/**
 * The timeline's geometry and ranges, as a user scrubbing a clip meets them: a click lands on the
 * frame under the pointer, every frame can be reached whatever the strip's width, the keys move
 * one or ten frames and stop at the ends, and overlapping overrides show the one that applies.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeTarget, overrideSpans, rangeBetween, targetAt, type RangeOverride } from '../../src/renderer/src/video/frame-ranges';
import {
  formatClock,
  frameForKey,
  frameTime,
  frameToX,
  parseFrameRate,
  rangeToSpan,
  thumbnailCount,
  xToFrame,
} from '../../src/renderer/src/video/timeline-geometry';

describe('timeline geometry', () => {
  it('maps every frame to x and back, on strips narrower and wider than the clip', () => {
    for (const [frames, width] of [
      [100, 640],
      [9000, 640],
      [1, 300],
      [30, 29.5],
    ] as const) {
      for (let f = 0; f < frames; f++) assert.equal(xToFrame(frameToX(f, frames, width), frames, width), f, `frame ${f} of ${frames} on ${width} px`);
    }
  });

  it('gives the first and last frame for x outside the strip, and the frame under a click', () => {
    assert.equal(xToFrame(-40, 100, 500), 0);
    assert.equal(xToFrame(501, 100, 500), 99);
    assert.equal(xToFrame(500, 100, 500), 99);
    // 100 frames on 500 px: frame 37 owns [185, 190).
    assert.equal(xToFrame(185, 100, 500), 37);
    assert.equal(xToFrame(189.9, 100, 500), 37);
    assert.equal(xToFrame(190, 100, 500), 38);
  });

  it('draws a range from the start of its first frame to the end of its last', () => {
    assert.deepEqual(rangeToSpan(10, 19, 100, 500), { x: 50, width: 50 });
    assert.deepEqual(rangeToSpan(99, 99, 100, 500), { x: 495, width: 5 });
    assert.deepEqual(rangeToSpan(0, 500, 100, 500), { x: 0, width: 500 }, 'clamped to the clip');
  });

  it('moves one frame with the arrows, ten with Shift, to the ends with Home/End, and no further', () => {
    assert.equal(frameForKey('ArrowRight', false, 5, 100), 6);
    assert.equal(frameForKey('ArrowLeft', false, 5, 100), 4);
    assert.equal(frameForKey('ArrowRight', true, 5, 100), 15);
    assert.equal(frameForKey('ArrowLeft', true, 5, 100), 0);
    assert.equal(frameForKey('ArrowRight', true, 95, 100), 99);
    assert.equal(frameForKey('Home', false, 50, 100), 0);
    assert.equal(frameForKey('End', false, 50, 100), 99);
    assert.equal(frameForKey('a', false, 50, 100), null);
  });

  it('reads frame rates as ffprobe writes them and tells a frame’s time', () => {
    assert.equal(parseFrameRate('25/1'), 25);
    assert.ok(Math.abs(parseFrameRate('30000/1001') - 29.97) < 0.001);
    assert.equal(parseFrameRate('0/0'), 0);
    assert.equal(frameTime(50, '25/1'), 2);
    assert.equal(formatClock(2), '0:02.00');
    assert.equal(formatClock(3725.456), '1:02:05.46');
  });

  it('fills the strip with thumbnails, never more than the clip has frames or the contract allows', () => {
    assert.equal(thumbnailCount(800, 48, 4 / 3, 100), 13);
    assert.equal(thumbnailCount(800, 48, 4 / 3, 5), 5);
    assert.equal(thumbnailCount(100_000, 16, 1, 100_000), 200);
    assert.equal(thumbnailCount(0, 48, 4 / 3, 100), 1);
  });
});

describe('frame ranges and overrides', () => {
  const a: RangeOverride = { fromFrame: 10, toFrame: 40, target: { kind: 'none' } };
  const b: RangeOverride = { fromFrame: 30, toFrame: 50, target: { kind: 'track', trackId: 2 } };

  it('selects the same range whichever way the drag went', () => {
    assert.deepEqual(rangeBetween(40, 12), { fromFrame: 12, toFrame: 40 });
    assert.deepEqual(rangeBetween(12, 40), { fromFrame: 12, toFrame: 40 });
  });

  it('applies the later override where two overlap, the plan’s target elsewhere', () => {
    const base = { kind: 'all' } as const;
    assert.deepEqual(targetAt(base, [a, b], 9), base);
    assert.deepEqual(targetAt(base, [a, b], 10), a.target);
    assert.deepEqual(targetAt(base, [a, b], 30), b.target);
    assert.deepEqual(targetAt(base, [a, b], 50), b.target);
    assert.deepEqual(targetAt(base, [b, a], 30), a.target);
  });

  it('flattens overlapping overrides into the spans that are drawn', () => {
    assert.deepEqual(
      overrideSpans([a, b]).map((s) => [s.fromFrame, s.toFrame, s.index]),
      [
        [10, 29, 0],
        [30, 50, 1],
      ],
    );
    // An override inside an earlier one splits it in three.
    const inner: RangeOverride = { fromFrame: 20, toFrame: 25, target: { kind: 'all' } };
    assert.deepEqual(
      overrideSpans([a, inner]).map((s) => [s.fromFrame, s.toFrame, s.index]),
      [
        [10, 19, 0],
        [20, 25, 1],
        [26, 40, 0],
      ],
    );
    // Disjoint overrides leave the gap between them uncovered.
    assert.deepEqual(
      overrideSpans([{ ...a, toFrame: 12 }, { ...b, fromFrame: 40 }]).map((s) => [s.fromFrame, s.toFrame]),
      [
        [10, 12],
        [40, 50],
      ],
    );
    assert.equal(describeTarget(b.target), 'Face 2');
  });
});
