/**
 * The pure parts of a video edit plan: keyframed slider values (shared with the page), which
 * faces a frame's edit takes (range overrides, later ones winning), a painted mask following its
 * face's box, and the plan's checks and render key.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyframedValue, keyframesOf, stepsAtFrame, type Keyframe } from '../../src/shared/keyframes';
import { SeamError } from '../../src/shared/errors';
import { VideoEditPlanSchema, type VideoEditPlanInput } from '../../src/shared/video-contract';
import { choiceTakes, planKey, targetAt, validatePlan } from '../../src/engine/video/edit-plan';
import { boxSimilarity, followMask, maskBounds } from '../../src/engine/video/mask-follow';

const parse = (plan: VideoEditPlanInput) => VideoEditPlanSchema.parse(plan);
const swap = { processor: 'face-swap', options: { source: 'image:img-1' } };
const clip = { name: 'talk.mp4', width: 40, height: 30, frameCount: 100 };

describe('keyframes', () => {
  const keys: Keyframe[] = [
    { stepIndex: 0, key: 'strength', frame: 10, value: 0.2 },
    { stepIndex: 0, key: 'strength', frame: 30, value: 1 },
    { stepIndex: 1, key: 'strength', frame: 0, value: 0.5 },
  ];
  it('interpolates linearly between keyframes of the same option and holds outside them', () => {
    assert.equal(keyframedValue(keys, 0, 'strength', 0), 0.2);
    assert.equal(keyframedValue(keys, 0, 'strength', 10), 0.2);
    assert.ok(Math.abs(keyframedValue(keys, 0, 'strength', 20)! - 0.6) < 1e-12);
    assert.ok(Math.abs(keyframedValue(keys, 0, 'strength', 25)! - 0.8) < 1e-12);
    assert.equal(keyframedValue(keys, 0, 'strength', 99), 1);
    assert.equal(keyframedValue(keys, 1, 'strength', 50), 0.5, 'another step keeps its own value');
    assert.equal(keyframedValue(keys, 0, 'blendFeather', 5), undefined);
  });
  it('takes the later of two keyframes on the same frame, on both sides of a span', () => {
    const twice = [...keys, { stepIndex: 0, key: 'strength', frame: 30, value: 0.6 }];
    assert.equal(keyframedValue(twice, 0, 'strength', 30), 0.6);
    assert.ok(Math.abs(keyframedValue(twice, 0, 'strength', 20)! - 0.4) < 1e-12);
    assert.deepEqual(keyframesOf(twice, 0, 'strength').map((k) => [k.frame, k.value]), [[10, 0.2], [30, 0.6]]);
  });
  it('sets the options of each step at a frame without touching the plan', () => {
    const steps = [{ options: { strength: 1, keep: ['mouth'] } }, { options: { strength: 1 } }];
    const at20 = stepsAtFrame(steps, keys, 20);
    assert.ok(Math.abs((at20[0]!.options.strength as number) - 0.6) < 1e-12);
    assert.deepEqual(at20[0]!.options.keep, ['mouth']);
    assert.equal(at20[1]!.options.strength, 0.5);
    assert.equal(steps[0]!.options.strength, 1);
  });
});

describe('range overrides', () => {
  const plan = parse({
    steps: [swap],
    target: { kind: 'track', trackId: 1 },
    overrides: [
      { fromFrame: 10, toFrame: 20, target: { kind: 'none' } },
      { fromFrame: 15, toFrame: 30, target: { kind: 'all' } },
    ],
  });
  it('uses the plan target outside every override, and the later override where two cover a frame', () => {
    assert.deepEqual(targetAt(plan, 9), { kind: 'track', trackId: 1 });
    assert.deepEqual(targetAt(plan, 10), { kind: 'none' });
    assert.deepEqual(targetAt(plan, 14), { kind: 'none' });
    assert.deepEqual(targetAt(plan, 15), { kind: 'all' });
    assert.deepEqual(targetAt(plan, 30), { kind: 'all' });
    assert.deepEqual(targetAt(plan, 31), { kind: 'track', trackId: 1 });
  });
  it('a choice takes its track, every track, or none', () => {
    assert.equal(choiceTakes({ kind: 'track', trackId: 2 }, 2), true);
    assert.equal(choiceTakes({ kind: 'track', trackId: 2 }, 1), false);
    assert.equal(choiceTakes({ kind: 'all' }, 7), true);
    assert.equal(choiceTakes({ kind: 'none' }, 7), false);
  });
});

describe('a mask following its face', () => {
  const width = 200;
  const height = 150;
  // A 10×10 square painted on the face's left cheek on the painted frame.
  const mask = { width, height, data: new Uint8Array(width * height) };
  for (let y = 60; y < 70; y++) for (let x = 50; x < 60; x++) mask.data[y * width + x] = 255;
  const from = { x: 40, y: 40, width: 60, height: 80 };

  it('moves with the box and keeps its place on the face', () => {
    const to = { x: 90, y: 50, width: 60, height: 80 };
    const moved = followMask(mask, boxSimilarity(from, to));
    assert.deepEqual(maskBounds({ width, height, data: moved }), { left: 100, top: 70, right: 110, bottom: 80 });
    assert.equal(moved[75 * width + 105], 255);
    assert.equal(moved[65 * width + 55], 0, 'nothing is left where it was painted');
  });
  it('scales with the box about its centre', () => {
    const to = { x: 10, y: 0, width: 120, height: 160 }; // twice the size, same centre
    const moved = followMask(mask, boxSimilarity(from, to));
    const bounds = maskBounds({ width, height, data: moved })!;
    // The square's centre (55, 65) is (−15, −15) from the box centre (70, 80): (−30, −30) at twice the size.
    assert.ok(Math.abs((bounds.left + bounds.right) / 2 - 40) <= 1 && Math.abs((bounds.top + bounds.bottom) / 2 - 50) <= 1, JSON.stringify(bounds));
    let painted = 0;
    for (const v of moved) painted += v / 255;
    assert.ok(Math.abs(painted - 400) < 40, `area ${painted} ≈ 4 × 100`);
  });
  it('drops what moves out of the frame', () => {
    const moved = followMask(mask, boxSimilarity(from, { x: -70, y: 40, width: 60, height: 80 }));
    assert.equal(maskBounds({ width, height, data: moved }), undefined);
  });
});

describe('plan checks and key', () => {
  const refused = (plan: VideoEditPlanInput, pattern: RegExp) =>
    assert.throws(() => validatePlan(parse(plan), clip), (e: unknown) => e instanceof SeamError && e.code === 'BAD_INPUT' && pattern.test(e.message));

  it('refuses keyframes on missing steps or non-number options, out-of-range values, masks of another size, frames past the end', () => {
    refused({ steps: [swap], keyframes: [{ stepIndex: 1, key: 'strength', frame: 0, value: 1 }] }, /names step 1, but the plan has 1 step/);
    refused({ steps: [swap], keyframes: [{ stepIndex: 0, key: 'allFaces', frame: 0, value: 1 }] }, /"allFaces" of Face swap, which is not a number option/);
    refused({ steps: [swap], keyframes: [{ stepIndex: 0, key: 'strength', frame: 0, value: 3 }] }, /strength/);
    const mask = { width: 10, height: 10, data: new Uint8Array(100) };
    refused({ steps: [swap], maskCorrections: [{ frame: 0, trackId: 1, spanFrames: 5, mode: 'exclude', mask }] }, /10×10, but talk\.mp4 is 40×30/);
    refused({ steps: [swap], overrides: [{ fromFrame: 100, toFrame: 120, target: { kind: 'none' } }] }, /starts at frame 100, but talk\.mp4 has 100 frames/);
    validatePlan(parse({ steps: [swap], keyframes: [{ stepIndex: 0, key: 'strength', frame: 0, value: 0.5 }] }), clip);
  });

  it("changes with anything that changes pixels, including a mask's content", () => {
    const mask = (v: number) => ({ width: 40, height: 30, data: new Uint8Array(1200).fill(v) });
    const base = parse({ steps: [swap], maskCorrections: [{ frame: 0, trackId: 1, spanFrames: 5, mode: 'exclude', mask: mask(0) }] });
    assert.equal(planKey(base), planKey(parse({ steps: [swap], maskCorrections: [{ frame: 0, trackId: 1, spanFrames: 5, mode: 'exclude', mask: mask(0) }] })));
    assert.notEqual(planKey(base), planKey(parse({ steps: [swap], maskCorrections: [{ frame: 0, trackId: 1, spanFrames: 5, mode: 'exclude', mask: mask(1) }] })));
    assert.notEqual(planKey(base), planKey({ ...base, overrides: [{ fromFrame: 0, toFrame: 1, target: { kind: 'none' } }] }));
    assert.notEqual(planKey(base), planKey(base, { photos: ['other'] }));
  });
});
