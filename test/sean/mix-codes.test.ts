/**
 * How the neural region style moves SEAN codes: alpha interpolates from the target's own code to
 * the reference's, a second reference mixes in linearly, and a region the reference lacks borrows
 * its twin's code or keeps the target's own (never SEAN's all-zero "absent" code).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mixCodes, mixReferences, presentLabels, referenceCodes, type EncodedCrop } from '../../src/engine/edit/processors/neural-region-style/mix-codes';
import { LABEL_COUNT, labelId } from '../../src/shared/labels';

const L = 4; // code length: the rules do not depend on SEAN's 512

/** Codes where label j's row is all `value(j)`, present where `present` says. */
function crop(value: (id: number) => number, present: (id: number) => boolean): EncodedCrop {
  const codes = new Float32Array(LABEL_COUNT * L);
  for (let id = 0; id < LABEL_COUNT; id++) codes.fill(present(id) ? value(id) : 0, id * L, (id + 1) * L);
  return { codes, present: Array.from({ length: LABEL_COUNT }, (_, id) => present(id)) };
}
const row = (codes: Float32Array, id: number) => [...codes.subarray(id * L, (id + 1) * L)];
const alphas = (weights: Record<number, number>) => Array.from({ length: LABEL_COUNT }, (_, id) => weights[id] ?? 0);

const hair = labelId('hair');
const skin = labelId('skin');
const lEye = labelId('l_eye');
const rEye = labelId('r_eye');
const hat = labelId('hat');

describe('SEAN code mixing', () => {
  it('counts a label present only with pixels on the encoder’s even grid', () => {
    const size = 8;
    const labels = new Uint8Array(size * size);
    labels[1] = hair; // odd column: invisible to the encoder
    for (const [x, y] of [[0, 0], [2, 0], [0, 2], [2, 2]]) labels[y! * size + x!] = skin;
    const present = presentLabels(labels, size);
    assert.equal(present[hair], false);
    assert.equal(present[skin], true);
  });

  it('moves each weighted region by its alpha and leaves the others exactly', () => {
    const target = crop((id) => id, () => true);
    const reference = referenceCodes(crop((id) => 100 + id, () => true), L);
    const mixed = mixCodes(target, mixReferences(reference, null, 0), alphas({ [hair]: 1, [skin]: 0.25 }), L);
    assert.deepEqual(row(mixed.codes, hair), [100 + hair, 100 + hair, 100 + hair, 100 + hair]);
    assert.deepEqual(row(mixed.codes, skin), Array(L).fill(skin + 0.25 * 100));
    assert.deepEqual(row(mixed.codes, lEye), Array(L).fill(lEye));
    assert.deepEqual([mixed.keptOwn, mixed.absentInTarget], [[], []]);
  });

  it('a region the reference lacks: the twin’s code, else the target keeps its own', () => {
    const target = crop((id) => id, (id) => id !== hat);
    const reference = referenceCodes(crop((id) => 100 + id, (id) => id !== lEye && id !== hair), L);
    assert.equal(reference.borrowed.get(lEye), rEye);
    const mixed = mixCodes(target, mixReferences(reference, null, 0), alphas({ [hair]: 1, [lEye]: 1, [hat]: 1 }), L);
    assert.deepEqual(row(mixed.codes, lEye), Array(L).fill(100 + rEye), 'left eye borrowed the right eye’s style');
    assert.deepEqual(row(mixed.codes, hair), Array(L).fill(hair), 'hair kept the target’s own code, not zero');
    assert.deepEqual(mixed.keptOwn, [hair]);
    assert.deepEqual(mixed.absentInTarget, [hat]);
  });

  it('two references: linear mix; a region only one has fades with that reference’s share', () => {
    const target = crop(() => 0, () => true);
    const a = referenceCodes(crop(() => 10, () => true), L);
    const b = referenceCodes(crop(() => 20, (id) => id !== hair), L);
    const styles = mixReferences(a, b, 0.25);
    const mixed = mixCodes(target, styles, alphas({ [skin]: 1, [hair]: 1 }), L);
    assert.deepEqual(row(mixed.codes, skin), Array(L).fill(12.5));
    assert.deepEqual(row(mixed.codes, hair), Array(L).fill(7.5), 'hair: 75% of the first reference, the rest the target’s own');
    assert.deepEqual(row(mixCodes(target, mixReferences(a, b, 1), alphas({ [hair]: 1 }), L).codes, hair), Array(L).fill(0), 'mix 1 is the second reference alone');
  });
});
