import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { probeModels } from '../../src/engine/inference/probe';
import type { ModelManifestEntry, ModelTask } from '../../src/engine/models/manifest';
import { readManifestFile } from '../../src/engine/models/manifest-io';
import { resolvePaths } from '../../src/engine/paths';
import { ALL_TASKS, writeFixtureModel } from '../support/onnx-fixtures';

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seam-probe-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function entryFor(task: ModelTask, file: string): ModelManifestEntry {
  return {
    id: task,
    task,
    file,
    builtIn: false,
    sha256: '0'.repeat(64),
    bytes: 0,
    licence: 'test',
    source: { kind: 'file', originalName: file },
    inputs: [],
    outputs: [],
  };
}

describe('probeModels', () => {
  it('loads each model, reports its provider, inputs and median latency', async () => {
    const entries: ModelManifestEntry[] = [];
    for (const task of ALL_TASKS) {
      await writeFixtureModel(dir, task);
      entries.push(entryFor(task, `${task}.onnx`));
    }
    const results = await probeModels(entries, [join(dir, 'nowhere'), dir], { providers: ['cpu'], runs: 3 });
    assert.equal(results.length, ALL_TASKS.length);
    for (const result of results) {
      assert.equal(result.error, undefined, `${result.id}: ${result.error}`);
      assert.equal(result.provider, 'cpu');
      assert.ok(typeof result.latencyMs === 'number' && result.latencyMs >= 0);
      assert.ok(result.inputs.length > 0);
      assert.deepEqual(result.contractProblems, []);
      assert.equal(result.path, join(dir, `${result.id}.onnx`));
    }
  });

  it('reports missing and broken files without stopping', async () => {
    await writeFile(join(dir, 'broken.onnx'), 'not a model');
    const results = await probeModels(
      [entryFor('face-detection', 'absent.onnx'), entryFor('face-detection', 'broken.onnx'), entryFor('face-landmarks', 'face-landmarks.onnx')],
      [dir],
      { providers: ['cpu'], runs: 1 },
    );
    assert.match(results[0]!.error!, /absent\.onnx is missing/);
    assert.equal(results[0]!.provider, null);
    assert.match(results[1]!.error!, /could not be loaded/);
    assert.deepEqual(results[1]!.failures.map((f) => f.provider), ['cpu']);
    assert.equal(results[2]!.error, undefined);
  });

  it('records provider failures ahead of the one used', async () => {
    const [result] = await probeModels([entryFor('face-landmarks', 'face-landmarks.onnx')], [dir], { providers: ['cuda', 'cpu'], runs: 1 });
    assert.equal(result!.provider, 'cpu');
    assert.deepEqual(result!.failures.map((f) => f.provider), ['cuda']);
  });

  const builtIn = resolvePaths({ env: {} }).builtInModelsDir;
  const builtInManifest = join(builtIn, 'manifest.json');
  it('loads all five built-in models on CPU', { skip: !existsSync(builtInManifest) && 'resources/models is not built yet (npm run models)' }, async () => {
    const manifest = await readManifestFile(builtInManifest);
    const entries = manifest!.models;
    assert.equal(entries.length, 5);
    const results = await probeModels(entries, [builtIn], { providers: ['cpu'], runs: 5 });
    for (const result of results) {
      assert.equal(result.error, undefined, `${result.id}: ${result.error}`);
      assert.equal(result.provider, 'cpu');
      assert.deepEqual(result.contractProblems, [], `${result.id} breaks its ${result.task} contract`);
    }
  });
});
