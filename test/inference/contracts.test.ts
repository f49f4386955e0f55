import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InferenceSession } from 'onnxruntime-node';
import { checkModelContract, MODEL_TASKS } from '../../src/engine/models/contracts';
import type { SessionMetadata } from '../../src/engine/inference/tensor-metadata';
import type { ModelTask } from '../../src/engine/models/manifest';
import { USER_MODEL_TASKS } from '../../src/shared/model-contract';
import { ALL_TASKS, faceDetectionGraph, styleGeneratorGraph, writeFixtureModel, writeGraph, type FixtureGraph } from '../support/onnx-fixtures';

let dir: string;
const loaded = new Map<ModelTask, InferenceSession>();

async function load(path: string): Promise<InferenceSession> {
  return InferenceSession.create(path, { executionProviders: ['cpu'] });
}

async function loadGraph(graph: FixtureGraph, name: string): Promise<InferenceSession> {
  return load(await writeGraph(dir, graph, name));
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seam-contracts-'));
  for (const task of ALL_TASKS) loaded.set(task, await load(await writeFixtureModel(dir, task)));
});

after(async () => {
  for (const session of loaded.values()) await session.release();
  await rm(dir, { recursive: true, force: true });
});

/** Metadata written by hand, the way ORT 1.30 reports it. */
function meta(inputs: Array<[string, number[] | Array<number | string>]>, outputs: Array<[string, Array<number | string>]>): SessionMetadata {
  const value = ([name, shape]: [string, Array<number | string>]) => ({ name, isTensor: true as const, type: 'float32' as const, shape });
  return { inputMetadata: inputs.map(value), outputMetadata: outputs.map(value) };
}

describe('task contracts', () => {
  it('the model manager offers exactly the tasks the engine checks', () => {
    assert.deepEqual(USER_MODEL_TASKS.map((t) => t.task), [...MODEL_TASKS]);
  });

  it('every fixture honours its own task and no other', () => {
    for (const task of MODEL_TASKS) {
      const session = loaded.get(task)!;
      assert.deepEqual(checkModelContract(task, session), [], `${task} fixture should pass`);
      for (const other of MODEL_TASKS) {
        if (other === task) continue;
        assert.notDeepEqual(checkModelContract(other, session), [], `${task} fixture must fail the ${other} contract`);
      }
    }
  });

  it('says what a face detector needs and what this model has', () => {
    const problems = checkModelContract('face-detection', loaded.get('style-encoder')!);
    assert.ok(problems.length > 0);
    assert.match(problems[0]!, /^face-detection models need one 4-D float32 image input \[1, H, W, 3\].*; this one has 2 inputs: image float32 \[1, 3, 256, 256\], labels float32 \[1, 19, 256, 256\]/);
  });

  it('names the missing output', () => {
    const problems = checkModelContract('face-detection', loaded.get('person-segmentation')!);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /box regressor output \[1, N, 16\].* and a float32 score output \[1, N, 1\].*; this one has 1 output: activation_10 float32 \[1, 256, 256, 1\]$/);
  });

  it('requires regressors and scores to agree on the anchor count', () => {
    const problems = checkModelContract('face-detection', meta([['input', [1, 128, 128, 3]]], [['r', [1, 896, 16]], ['s', [1, 2304, 1]]]));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /do not fit together/);
  });

  it('accepts the full-range detector shape and symbolic dimensions', () => {
    assert.deepEqual(checkModelContract('face-detection', meta([['input', [1, 192, 192, 3]]], [['reshaped_regressor_face_4', [1, 2304, 16]], ['reshaped_classifier_face_4', [1, 2304, 1]]])), []);
    assert.deepEqual(checkModelContract('face-detection', meta([['input', ['batch', 'h', 'w', 3]]], [['r', ['batch', 'n', 16]], ['s', ['batch', 'n', 1]]])), []);
  });

  it('refuses extra inputs where the task has none', () => {
    const problems = checkModelContract('face-detection', meta([['input', [1, 128, 128, 3]], ['extra', [1]]], [['r', [1, 896, 16]], ['s', [1, 896, 1]]]));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /and nothing else; this one has 2 inputs/);
  });

  it('accepts NCHW person segmentation too', () => {
    assert.deepEqual(checkModelContract('person-segmentation', meta([['x', [1, 3, 512, 512]]], [['y', [1, 1, 512, 512]]])), []);
    assert.notDeepEqual(checkModelContract('person-segmentation', meta([['x', [1, 3, 512, 512]]], [['y', [1, 512, 512, 1]]])), []);
  });

  it('checks dtypes, not just shapes', () => {
    const uint8: SessionMetadata = {
      inputMetadata: [{ name: 'input', isTensor: true, type: 'uint8', shape: [1, 128, 128, 3] }],
      outputMetadata: meta([], [['r', [1, 896, 16]], ['s', [1, 896, 1]]]).outputMetadata,
    };
    assert.match(checkModelContract('face-detection', uint8)[0]!, /float32 image input.*input uint8 \[1, 128, 128, 3\]/);
  });

  it('style generators may have noise inputs, and the required ones are found by shape', async () => {
    const graph = styleGeneratorGraph();
    graph.inputs.reverse(); // names and order are free
    const session = await loadGraph(graph, 'gen-reordered.onnx');
    try {
      assert.deepEqual(checkModelContract('style-generator', session), []);
    } finally {
      await session.release();
    }
    const noLabels = checkModelContract('style-generator', meta([['codes', [1, 19, 512]]], [['image', [1, 3, 256, 256]]]));
    assert.match(noLabels[0]!, /one-hot label input \[1, 19, 256, 256\]/);
  });

  it('landmark outputs are matched by element count', async () => {
    assert.deepEqual(checkModelContract('face-landmarks', meta([['x', [1, 192, 192, 3]]], [['lm', [1, 468, 3]], ['p', [1, 1]]])), []);
    const wrong = await loadGraph(faceDetectionGraph(192, 2304), 'det-as-landmarks.onnx');
    try {
      assert.match(checkModelContract('face-landmarks', wrong).join('\n'), /1404 values/);
    } finally {
      await wrong.release();
    }
  });
});
