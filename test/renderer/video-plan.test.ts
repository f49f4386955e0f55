/**
 * The video edit plan the panels build: keyframed sliders read the value the engine will render
 * with (the shared interpolation), the plan sent to the engine is what the user set up, and a
 * plan that cannot run yet says why instead of sending half an edit.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyframedValue, stepsAtFrame, type Keyframe } from '../../src/shared/keyframes';
import type { ProcessorDescriptor } from '../../src/shared/processor-options';
import { VideoEditPlanSchema } from '../../src/shared/video-contract';
import * as plans from '../../src/renderer/src/video/video-plan';

const attributes: ProcessorDescriptor = {
  id: 'attributes',
  title: 'Face attributes',
  description: '',
  fields: [
    { kind: 'number', key: 'eyeSize', label: 'Eye size', min: -100, max: 100, step: 1, default: 0 },
    { kind: 'number', key: 'smile', label: 'Smile', min: -100, max: 100, step: 1, default: 0 },
    { kind: 'boolean', key: 'allFaces', label: 'Every face', default: true },
    { kind: 'face', key: 'face', label: 'Face', default: -1 },
  ],
};
const swap: ProcessorDescriptor = {
  id: 'face-swap',
  title: 'Face swap',
  description: '',
  fields: [
    { kind: 'photo', key: 'source', label: 'Source photo', required: true },
    { kind: 'face', key: 'sourceFace', label: 'Source face', default: -1 },
    { kind: 'face', key: 'targetFace', label: 'Face to replace', default: -1 },
    { kind: 'number', key: 'strength', label: 'Strength', min: 0, max: 1, step: 0.05, default: 1 },
  ],
};
const describe_ = (id: string) => [attributes, swap].find((d) => d.id === id);

describe('keyframe interpolation (src/shared/keyframes.ts)', () => {
  const keys: Keyframe[] = [
    { stepIndex: 0, key: 'eyeSize', frame: 10, value: 0 },
    { stepIndex: 0, key: 'eyeSize', frame: 30, value: 80 },
    { stepIndex: 0, key: 'smile', frame: 0, value: 50 },
    { stepIndex: 1, key: 'eyeSize', frame: 0, value: -100 },
  ];

  it('holds before the first keyframe and after the last, and is linear between', () => {
    assert.equal(keyframedValue(keys, 0, 'eyeSize', 0), 0);
    assert.equal(keyframedValue(keys, 0, 'eyeSize', 10), 0);
    assert.equal(keyframedValue(keys, 0, 'eyeSize', 15), 20);
    assert.equal(keyframedValue(keys, 0, 'eyeSize', 20), 40);
    assert.equal(keyframedValue(keys, 0, 'eyeSize', 30), 80);
    assert.equal(keyframedValue(keys, 0, 'eyeSize', 99), 80);
    assert.equal(keyframedValue(keys, 0, 'smile', 70), 50, 'one keyframe holds everywhere');
    assert.equal(keyframedValue(keys, 1, 'eyeSize', 20), -100, 'each step has its own keyframes');
    assert.equal(keyframedValue(keys, 0, 'other', 20), undefined);
  });

  it('does not care in which order the keyframes were set', () => {
    const reversed = [...keys].reverse();
    for (const frame of [0, 12, 21, 29, 40]) assert.equal(keyframedValue(reversed, 0, 'eyeSize', frame), keyframedValue(keys, 0, 'eyeSize', frame));
  });

  it('replaces only keyframed options in each step', () => {
    const steps = stepsAtFrame([{ processor: 'attributes', options: { eyeSize: 5, smile: 0, lips: 7 } }], keys, 20);
    assert.deepEqual(steps[0]!.options, { eyeSize: 40, smile: 50, lips: 7 });
  });
});

describe('the plan from the panel’s state', () => {
  const start = plans.setOperation(plans.EMPTY_DRAFT, 0, attributes);

  it('sends no plan (the source frame) until an operation is chosen', () => {
    assert.deepEqual(plans.buildPlan(plans.EMPTY_DRAFT, describe_), { plan: null, waiting: null });
  });

  it('says what is missing for a swap with no source photo, and plans once it is chosen', () => {
    const draft = plans.setOperation(plans.EMPTY_DRAFT, 0, swap);
    assert.deepEqual(plans.buildPlan(draft, describe_), { plan: null, waiting: 'Face swap: choose a source photo.' });
    const ready = plans.setOptionAt(draft, 0, 'source', 'image:img-abc', 0);
    const built = plans.buildPlan(ready, describe_);
    assert.equal(built.waiting, null);
    assert.deepEqual(built.plan?.steps, [{ processor: 'face-swap', options: { source: 'image:img-abc', sourceFace: -1, strength: 1 } }]);
  });

  it('leaves choosing faces in the frame to the track choice', () => {
    assert.deepEqual(
      plans.videoDescriptor(attributes).fields.map((f) => f.key),
      ['eyeSize', 'smile'],
    );
    assert.deepEqual(
      plans.videoDescriptor(swap).fields.map((f) => f.key),
      ['source', 'sourceFace', 'strength'],
      'the source photo’s face is still chosen',
    );
  });

  it('turns a slider with two keyframes, a face pick and overrides into one plan the contract accepts', () => {
    let draft = plans.setOptionAt(start, 0, 'smile', 30, 0);
    draft = plans.setOptionAt(draft, 0, 'eyeSize', 10, 0);
    draft = plans.setKeyframe(draft, 0, 'eyeSize', 5, 10); // "◆ keyframe" at frame 5
    draft = plans.setOptionAt(draft, 0, 'eyeSize', 90, 25); // keyframed now: moving it at frame 25 keys it there
    draft = { ...draft, target: { kind: 'track', trackId: 1 } };
    draft = plans.addOverride(draft, { fromFrame: 40, toFrame: 60, target: { kind: 'none' } });

    assert.equal(plans.keyframedAt(draft, 0, 'eyeSize', 15), 50, 'the slider reads the interpolated value');
    assert.deepEqual(plans.optionsAtFrame(draft, 0, 15), { eyeSize: 50, smile: 30, allFaces: true, face: -1 });
    assert.deepEqual(plans.keyframeMarks(draft), [
      { frame: 5, keys: ['eyeSize'] },
      { frame: 25, keys: ['eyeSize'] },
    ]);

    const built = plans.buildPlan(draft, describe_);
    assert.ok(built.plan);
    const parsed = VideoEditPlanSchema.parse(built.plan);
    assert.deepEqual(parsed.steps, [{ processor: 'attributes', options: { eyeSize: 10, smile: 30 } }]);
    assert.deepEqual(parsed.target, { kind: 'track', trackId: 1 });
    assert.deepEqual(parsed.overrides, [{ fromFrame: 40, toFrame: 60, target: { kind: 'none' } }]);
    assert.deepEqual(
      parsed.keyframes.map((k) => [k.key, k.frame, k.value]).sort(),
      [
        ['eyeSize', 25, 90],
        ['eyeSize', 5, 10],
      ],
    );
    // The engine's interpolation of that plan gives what the slider showed.
    assert.equal(stepsAtFrame(parsed.steps, parsed.keyframes, 15)[0]!.options['eyeSize'], 50);
  });

  it('replaces a keyframe set again at the same frame, and keeps the value when the last one goes', () => {
    let draft = plans.setKeyframe(start, 0, 'smile', 5, 10);
    draft = plans.setKeyframe(draft, 0, 'smile', 5, 60);
    assert.equal(draft.keyframes.length, 1);
    assert.equal(plans.keyframedAt(draft, 0, 'smile', 0), 60);
    draft = plans.removeKeyframe(draft, 0, 'smile', 5);
    assert.equal(draft.keyframes.length, 0);
    assert.equal(draft.steps[0]!.options['smile'], 60);
    assert.equal(plans.isKeyframed(draft, 0, 'smile'), false);
  });

  it('drops keyframes when the operation changes: they belonged to the old options', () => {
    const keyed = plans.setKeyframe(start, 0, 'smile', 5, 10);
    assert.deepEqual(plans.setOperation(keyed, 0, swap).keyframes, []);
  });

  it('stacks operations in order, each with its own options and keyframes, and sends them all', () => {
    // A swap, then a smile on the swapped face, the smile keyed from 0 at frame 0 to 60 at frame 20.
    let draft = plans.setOperation(plans.EMPTY_DRAFT, 0, swap);
    draft = plans.setOptionAt(draft, 0, 'source', 'image:img-abc', 0);
    draft = plans.setOperation(draft, 1, attributes);
    draft = plans.setKeyframe(draft, 1, 'smile', 0, 0);
    draft = plans.setOptionAt(draft, 1, 'smile', 60, 20);
    draft = plans.setKeyframe(draft, 0, 'strength', 20, 0.5);
    assert.deepEqual(draft.steps.map((s) => s.processor), ['face-swap', 'attributes']);
    assert.equal(plans.keyframedAt(draft, 1, 'smile', 10), 30);
    assert.equal(plans.optionsAtFrame(draft, 0, 10)['smile'], undefined, 'the swap has no smile of its own');
    assert.deepEqual(plans.keyframeMarks(draft), [
      { frame: 0, keys: ['smile (2)'] },
      { frame: 20, keys: ['smile (2)', 'strength (1)'] },
    ]);

    const parsed = VideoEditPlanSchema.parse(plans.buildPlan(draft, describe_).plan);
    assert.deepEqual(parsed.steps, [
      { processor: 'face-swap', options: { source: 'image:img-abc', sourceFace: -1, strength: 1 } },
      { processor: 'attributes', options: { eyeSize: 0, smile: 0 } },
    ]);
    assert.equal(stepsAtFrame(parsed.steps, parsed.keyframes, 10)[1]!.options['smile'], 30, 'the engine reads the second step’s keyframes');
    assert.equal(stepsAtFrame(parsed.steps, parsed.keyframes, 20)[0]!.options['strength'], 0.5);

    // A swap still waiting for its photo holds back the whole plan, and says which operation waits.
    const waiting = plans.setOperation(draft, 0, swap);
    assert.deepEqual(plans.buildPlan(waiting, describe_), { plan: null, waiting: 'Operation 1: Face swap: choose a source photo.' });
  });

  it('moves an operation with its keyframes, and removing one brings the later ones’ keyframes down', () => {
    let draft = plans.setOperation(plans.EMPTY_DRAFT, 0, attributes);
    draft = plans.setOperation(draft, 1, swap);
    draft = plans.setKeyframe(draft, 0, 'smile', 3, 40);
    draft = plans.setKeyframe(draft, 1, 'strength', 7, 0.2);

    const moved = plans.moveOperation(draft, 1, 0);
    assert.deepEqual(moved.steps.map((s) => s.processor), ['face-swap', 'attributes']);
    assert.equal(plans.keyframedAt(moved, 0, 'strength', 7), 0.2);
    assert.equal(plans.keyframedAt(moved, 1, 'smile', 3), 40);
    assert.deepEqual(plans.moveOperation(moved, 0, 5), moved, 'a move past the end does nothing');

    const removed = plans.removeOperation(draft, 0);
    assert.deepEqual(removed.steps.map((s) => s.processor), ['face-swap']);
    assert.deepEqual(removed.keyframes, [{ stepIndex: 0, key: 'strength', frame: 7, value: 0.2 }]);
    assert.deepEqual(plans.setOperation(removed, 0, null).steps, [], 'choosing nothing removes it too');
    assert.deepEqual(plans.setOperation(removed, 3, attributes), removed, 'no gap can be left in the list');
  });

  it('sends a painted mask correction at the clip’s size, tied to its track', () => {
    const data = new Uint8Array(4 * 3);
    data[5] = 255;
    const draft = { ...start, maskCorrections: [{ frame: 7, trackId: 1, spanFrames: 12, mode: 'exclude' as const, width: 4, height: 3, data }] };
    const parsed = VideoEditPlanSchema.parse(plans.buildPlan(draft, describe_).plan);
    assert.equal(parsed.maskCorrections.length, 1);
    assert.deepEqual({ ...parsed.maskCorrections[0]!, mask: { ...parsed.maskCorrections[0]!.mask, data: [...parsed.maskCorrections[0]!.mask.data] } }, {
      frame: 7,
      trackId: 1,
      spanFrames: 12,
      mode: 'exclude',
      mask: { width: 4, height: 3, data: [...data] },
    });
  });
});
