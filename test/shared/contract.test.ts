import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EVENT_NAMES, METHOD_NAMES } from '../../src/shared/contract-names';
import { ContractViolation, eventNames, methodNames, parseArgs } from '../../src/shared/contract';

describe('contract', () => {
  it('the preload’s name lists and the schemas name the same methods and events', () => {
    assert.deepEqual([...METHOD_NAMES].sort(), [...methodNames].sort());
    assert.deepEqual([...EVENT_NAMES].sort(), [...eventNames].sort());
  });

  it('fills defaults and accepts well-formed calls', () => {
    assert.deepEqual(parseArgs('doctor', [{}]), [{ probeModels: true }]);
    assert.deepEqual(parseArgs('doctor', [{ probeModels: false }]), [{ probeModels: false }]);
    assert.deepEqual(parseArgs('cancelJob', [{ jobId: '3' }]), [{ jobId: '3' }]);
  });

  it('rejects malformed arguments with a message naming the method and the field', () => {
    assert.throws(() => parseArgs('doctor', [{ probeModels: 'yes' }]), (e: Error) => {
      assert.ok(e instanceof ContractViolation);
      assert.match(e.message, /doctor/);
      assert.match(e.message, /probeModels/);
      return true;
    });
    assert.throws(() => parseArgs('doctor', [{ probeModels: true, path: '/etc/passwd' }]), ContractViolation);
    assert.throws(() => parseArgs('cancelJob', [{ jobId: 'x'.repeat(10_000) }]), ContractViolation);
    assert.throws(() => parseArgs('cancelJob', ['not an object']), ContractViolation);
    assert.throws(() => parseArgs('cancelJob', [{ jobId: '1' }, 'extra']), ContractViolation);
  });
});

describe('labels', async () => {
  const { LABELS, labelId, labelRgb } = await import('../../src/shared/labels');
  it('follow the CelebAMask-HQ order SEAN’s checkpoints use', () => {
    assert.deepEqual(
      LABELS.map((l) => l.name),
      ['background', 'skin', 'nose', 'eye_g', 'l_eye', 'r_eye', 'l_brow', 'r_brow', 'l_ear', 'r_ear', 'mouth', 'u_lip', 'l_lip', 'hair', 'hat', 'ear_r', 'neck_l', 'neck', 'cloth'],
    );
    LABELS.forEach((l, i) => assert.equal(l.id, i));
    assert.equal(labelId('hair'), 13);
    assert.deepEqual(labelRgb(labelId('neck')), [255, 153, 51]);
  });
});
