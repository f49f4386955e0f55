/**
 * SEAN's architecture tables against the facts: the generated key table equals
 * generator_state_dict.tsv (where the facts are present), the parameter counts are SEAN's, and the
 * state-dict check names what is wrong with a foreign checkpoint.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SEAN_STATE_DICT_ROWS } from '../../src/engine/models/sean/sean-state-dict.generated';
import { SEAN_ACES, SEAN_NOISE_INPUTS } from '../../src/engine/models/sean/sean-architecture';
import { checkSeanStateDict, findStateDictProblems, SEAN_STATE_DICT } from '../../src/engine/models/sean/check-state-dict';
import { openSeanCheckpoint } from '../../src/engine/models/sean/export-sean-onnx';
import type { CheckpointTensorInfo } from '../../src/engine/models/torch/torch-checkpoint';
import { SeamError } from '../../src/shared/errors';
import { DEFAULT_TSV, parseTsv, renderTable } from './tools/generate-key-table';

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

describe('SEAN architecture tables', () => {
  it('the generated key table is exactly the facts file', (t) => {
    const tsv = process.env.SEAN_FACTS_TSV ?? DEFAULT_TSV;
    if (!existsSync(tsv)) {
      t.skip(`facts file ${tsv} not present`);
      return;
    }
    const generated = readFileSync(new URL('../../src/engine/models/sean/sean-state-dict.generated.ts', import.meta.url), 'utf8');
    assert.equal(generated, renderTable(parseTsv(readFileSync(tsv, 'utf8')), 'generator_state_dict.tsv'), 'regenerate with test/sean/tools/generate-key-table.ts');
  });

  it("has SEAN's key and parameter counts (INFERENCE.md §2)", () => {
    assert.equal(SEAN_STATE_DICT_ROWS.length, 982);
    const numbers = SEAN_STATE_DICT_ROWS.reduce((n, [, shape]) => n + count(shape), 0);
    assert.equal(numbers, 267_043_339);
    const encoder = SEAN_STATE_DICT_ROWS.filter(([key]) => key.startsWith('Zencoder.')).reduce((n, [, shape]) => n + count(shape), 0);
    assert.equal(encoder, 1_568_576);
  });

  it('lists the 18 ACEs and noise inputs in draw order, 262,272 noise values per image', () => {
    assert.equal(SEAN_ACES.length, 18);
    assert.deepEqual(SEAN_NOISE_INPUTS.slice(6, 9).map((n) => n.name), ['noise_up_0_ace_s', 'noise_up_0_ace_0', 'noise_up_0_ace_1']);
    assert.equal(SEAN_NOISE_INPUTS.reduce((n, i) => n + i.resolution ** 2, 0), 262_272);
    for (const ace of SEAN_ACES) {
      assert.deepEqual([...SEAN_STATE_DICT.get(`${ace.prefix}.noise_var`)!.shape], [ace.channels], ace.prefix);
    }
  });
});

describe('SEAN state-dict check', () => {
  const seanTensors = (): Map<string, CheckpointTensorInfo> =>
    new Map([...SEAN_STATE_DICT].map(([key, spec]) => [key, { dtype: spec.dtype === 'f32' ? 'float32' : 'int64', shape: spec.shape }]));

  it("accepts SEAN's keys, with or without the dead ones", () => {
    const tensors = seanTensors();
    assert.doesNotThrow(() => checkSeanStateDict(tensors, 'x.pth'));
    for (const [key, spec] of SEAN_STATE_DICT) if (!spec.used) tensors.delete(key);
    assert.doesNotThrow(() => checkSeanStateDict(tensors, 'x.pth'));
  });

  it('reports misshaped, missing and foreign keys with both shapes', () => {
    const tensors = seanTensors();
    tensors.set('fc.weight', { dtype: 'float32', shape: [1024, 20, 3, 3] });
    tensors.delete('up_2.ace_1.fc_mu7.weight');
    tensors.set('up_4.conv_0.bias', { dtype: 'float32', shape: [32] });
    const problems = findStateDictProblems(tensors);
    assert.deepEqual(problems.misshaped, ["fc.weight is [1024, 20, 3, 3], SEAN's is [1024, 19, 3, 3]"]);
    assert.deepEqual(problems.missing, ['up_2.ace_1.fc_mu7.weight']);
    assert.deepEqual(problems.unexpected, ['up_4.conv_0.bias']);
    assert.throws(() => checkSeanStateDict(tensors, 'x.pth'), (error: unknown) => error instanceof SeamError && error.code === 'MODEL_INVALID' && /fc\.weight is \[1024, 20, 3, 3\], SEAN's is \[1024, 19, 3, 3\]/.test(error.message));
  });

  it('refuses a checkpoint of another architecture as MODEL_INVALID, naming the first keys', async () => {
    const path = join(new URL('./fixtures/', import.meta.url).pathname, 'other-arch.legacy.pth');
    await assert.rejects(openSeanCheckpoint(path), (error: unknown) => {
      assert.ok(error instanceof SeamError);
      assert.equal(error.code, 'MODEL_INVALID');
      assert.match(error.message, /^other-arch\.legacy\.pth is a PyTorch checkpoint, but not SEAN's CelebA-HQ generator/);
      assert.match(error.message, /Wrong shape: fc\.bias is \[512\], SEAN's is \[1024\]; conv_img\.weight is \[3, 32, 3, 3\], SEAN's is \[3, 64, 3, 3\]/);
      assert.match(error.message, /Missing: Zencoder\.model\.1\.weight; Zencoder\.model\.1\.bias; .* \(and \d+ more\)/);
      assert.match(error.message, /Not in SEAN: up_4\.conv_0\.bias/);
      return true;
    });
  });
});
