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
