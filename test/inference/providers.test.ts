import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  availableProviders,
  defaultProviderOrder,
  parseProviderList,
  planProviders,
  requestedProviderOrder,
} from '../../src/engine/inference/providers';
import { SeamError } from '../../src/shared/errors';

describe('provider order', () => {
  it('tries GPU providers the platform can have, then CPU', () => {
    assert.deepEqual(defaultProviderOrder('linux'), ['cuda', 'cpu']);
    assert.deepEqual(defaultProviderOrder('win32'), ['cuda', 'dml', 'cpu']);
    assert.deepEqual(defaultProviderOrder('darwin'), ['coreml', 'cpu']);
  });

  it('parses SEAM_PROVIDERS-style lists, with aliases and without duplicates', () => {
    assert.deepEqual(parseProviderList('cuda, CPU'), ['cuda', 'cpu']);
    assert.deepEqual(parseProviderList('directml cpu cpu'), ['dml', 'cpu']);
    assert.throws(() => parseProviderList('cuda,vulkan'), (e: unknown) => e instanceof SeamError && /vulkan/.test(e.message));
    assert.throws(() => parseProviderList(' , '), SeamError);
  });

  it('option > SEAM_PROVIDERS > platform default', () => {
    assert.deepEqual(requestedProviderOrder({ env: {}, platform: 'darwin' }), ['coreml', 'cpu']);
    assert.deepEqual(requestedProviderOrder({ env: { SEAM_PROVIDERS: 'cpu' }, platform: 'darwin' }), ['cpu']);
    assert.deepEqual(requestedProviderOrder({ env: { SEAM_PROVIDERS: 'cpu' }, providers: ['cuda', 'cpu'] }), ['cuda', 'cpu']);
  });

  it('records providers this build does not list instead of trying them', () => {
    const plan = planProviders({ providers: ['coreml', 'dml', 'cpu'] });
    const listed = availableProviders().map((p) => p.name);
    for (const skipped of plan.skipped) {
      assert.ok(!listed.includes(skipped.provider));
      assert.match(skipped.message, /not available in this onnxruntime-node build/);
    }
    assert.ok(plan.candidates.includes('cpu'));
  });

  it('describes what onnxruntime-node reports, with CPU bundled', () => {
    const cpu = availableProviders().find((p) => p.name === 'cpu');
    assert.deepEqual(cpu, { name: 'cpu', bundled: true, installed: true });
  });
});
