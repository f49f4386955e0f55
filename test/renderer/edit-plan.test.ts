/**
 * The pure rules behind the panels: which previews an edit stack asks the engine for, what a
 * new edit starts with, which photo a face picker shows, the recent-files list, and the error
 * text a user reads.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProcessorDescriptor } from '../../src/shared/processor-options';
import { facePhotoFor, initialOptions, missingRequirement, planPreviews } from '../../src/renderer/src/document/edit-plan';
import { readableError } from '../../src/renderer/src/lib/errors';
import { MAX_RECENT, forgetRecent, readRecent, rememberRecent, type KeyValueStorage } from '../../src/renderer/src/lib/recent-files';
import { SeamError } from '../../src/shared/errors';

const swap: ProcessorDescriptor = {
  id: 'face-swap',
  title: 'Face swap',
  description: '',
  fields: [
    { kind: 'photo', key: 'source', label: 'Source photo', required: true },
    { kind: 'face', key: 'sourceFace', label: 'Source face', default: -1 },
    { kind: 'face', key: 'targetFace', label: 'Face to replace', default: -1 },
    { kind: 'number', key: 'strength', label: 'Strength', min: 0, max: 1, step: 0.05, default: 1 },
    { kind: 'multi-choice', key: 'keep', label: 'Keep', choices: [{ value: 'mouth', label: 'Mouth' }], default: ['mouth'] },
    { kind: 'label-weights', key: 'weights', label: 'Weights', labels: ['hair', 'skin'], default: 0.5 },
    { kind: 'box', key: 'area', label: 'Area' },
  ],
};
const smile: ProcessorDescriptor = { id: 'smile', title: 'Smile', description: '', fields: [{ kind: 'number', key: 'amount', label: 'Amount', min: 0, max: 1, step: 0.1, default: 0 }] };
const describe_ = (id: string) => [swap, smile].find((d) => d.id === id);

describe('preview planning', () => {
  const step = (processor: string, options: Record<string, unknown> = {}) => ({ processor, options });

  it('asks only for the topmost result while every edit layer is opaque', () => {
    const plan = planPreviews([{ id: 'a', opacity: 1, step: step('smile') }, { id: 'b', opacity: 1, step: step('smile', { amount: 1 }) }], describe_, 0);
    assert.deepEqual(plan.previews.map((p) => [p.layerId, p.steps.length]), [['b', 2]]);
  });

  it('asks for the layers below too when a layer above lets them show through', () => {
    const plan = planPreviews([{ id: 'a', opacity: 1, step: step('smile') }, { id: 'b', opacity: 0.5, step: step('smile') }], describe_, 0);
    assert.deepEqual(plan.previews.map((p) => p.layerId), ['a', 'b']);
  });

  it('stops below a swap whose source photo is not chosen, and says why', () => {
    const plan = planPreviews([{ id: 'a', opacity: 1, step: step('smile') }, { id: 'b', opacity: 1, step: step('face-swap') }], describe_, 0);
    assert.deepEqual(plan.previews.map((p) => p.layerId), ['a']);
    assert.deepEqual(plan.waiting, ['Face swap: choose a source photo.']);
    assert.equal(missingRequirement(step('face-swap', { source: 'image:img-1' }), swap), null);
  });

  it('keys results by steps and label-map version, so painting regions asks again', () => {
    const layers = [{ id: 'a', opacity: 1, step: step('smile') }];
    assert.notEqual(planPreviews(layers, describe_, 1).previews[0]!.key, planPreviews(layers, describe_, 2).previews[0]!.key);
  });
});

describe('edit options', () => {
  it('starts from the descriptor defaults, with photos and boxes left unchosen', () => {
    assert.deepEqual(initialOptions(swap), { sourceFace: -1, targetFace: -1, strength: 1, keep: ['mouth'], weights: { hair: 0.5, skin: 0.5 } });
  });

  it('shows the source photo’s faces for a source face, this photo’s for the face to replace', () => {
    const [, sourceFace, targetFace] = swap.fields;
    assert.equal(facePhotoFor(sourceFace!, swap, { source: 'image:img-7' }, 'img-1'), 'img-7');
    assert.equal(facePhotoFor(sourceFace!, swap, {}, 'img-1'), null);
    assert.equal(facePhotoFor(targetFace!, swap, { source: 'image:img-7' }, 'img-1'), 'img-1');
  });
});

describe('recent files', () => {
  function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
    const data = new Map<string, string>();
    return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
  }
  const file = (name: string, openedAt = 1) => ({ name, width: 10, height: 10, thumbnail: 'data:image/jpeg;base64,AA', openedAt });

  it('keeps the newest first, one entry per name, at most ten', () => {
    const storage = memoryStorage();
    for (let i = 0; i < 12; i++) rememberRecent(storage, file(`p${i}.jpg`, i));
    rememberRecent(storage, file('p5.jpg', 99));
    const list = readRecent(storage);
    assert.equal(list.length, MAX_RECENT);
    assert.equal(list[0]!.name, 'p5.jpg');
    assert.equal(list.filter((f) => f.name === 'p5.jpg').length, 1);
    assert.equal(forgetRecent(storage, 'p5.jpg').some((f) => f.name === 'p5.jpg'), false);
  });

  it('survives garbage in storage', () => {
    const storage = memoryStorage();
    storage.setItem('seam.recentFiles', '{not json');
    assert.deepEqual(readRecent(storage), []);
    storage.setItem('seam.recentFiles', JSON.stringify([{ name: 3 }, file('ok.png')]));
    assert.deepEqual(readRecent(storage).map((f) => f.name), ['ok.png']);
  });
});

describe('readable errors', () => {
  it('shows the engine’s message, never a stack or an Error: prefix', () => {
    assert.equal(readableError(new SeamError('BAD_INPUT', 'broken.jpg is not an image Seam can read.')), 'broken.jpg is not an image Seam can read.');
    const thrown = new TypeError('x is undefined');
    assert.equal(readableError(thrown), 'x is undefined');
    assert.equal(readableError({ message: 'Error: boom\n    at f (a.js:1:1)' }), 'boom');
    assert.match(readableError(undefined), /gave no reason/);
  });
});
