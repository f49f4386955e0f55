import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Tensor } from 'onnxruntime-node';
import { SessionPool, type ModelRef } from '../../src/engine/inference/session-pool';
import { SeamError } from '../../src/shared/errors';
import { personSegmentationGraph, writeFixtureModel, writeGraph } from '../support/onnx-fixtures';

let dir: string;
let segmentation: ModelRef;
let detection: ModelRef;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seam-pool-'));
  segmentation = { id: 'seg', path: await writeFixtureModel(dir, 'person-segmentation') };
  detection = { id: 'det', path: await writeFixtureModel(dir, 'face-detection') };
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function randomImage(seed: number, height = 256, width = 256): Tensor {
  const data = new Float32Array(height * width * 3);
  let state = seed;
  for (let i = 0; i < data.length; i += 1) {
    state = (state * 1103515245 + 12345) >>> 0;
    data[i] = state / 0xffffffff;
  }
  return new Tensor('float32', data, [1, height, width, 3]);
}

describe('SessionPool providers', () => {
  it('records the CUDA failure, falls back to CPU and reports CPU as the provider', async () => {
    const pool = new SessionPool({ providers: ['cuda', 'cpu'] });
    try {
      const session = await pool.acquire(detection);
      assert.equal(session.provider, 'cpu');
      assert.equal(session.failures.length, 1);
      assert.equal(session.failures[0]!.provider, 'cuda');
      // Either ORT's own "Failed to load shared library" or, on builds without CUDA, our "not available".
      assert.match(session.failures[0]!.message, /shared library|not available/i);
      const [info] = pool.list();
      assert.equal(info!.provider, 'cpu');
      assert.deepEqual(info!.failures.map((f) => f.provider), ['cuda']);
    } finally {
      await pool.releaseAll();
    }
  });

  it('takes the order from SEAM_PROVIDERS when no option is given', async () => {
    const pool = new SessionPool({ env: { SEAM_PROVIDERS: 'cpu' } });
    try {
      const session = await pool.acquire(detection);
      assert.equal(session.provider, 'cpu');
      assert.deepEqual(session.failures, []);
    } finally {
      await pool.releaseAll();
    }
  });

  it('an explicit option wins over SEAM_PROVIDERS', async () => {
    const pool = new SessionPool({ env: { SEAM_PROVIDERS: 'cpu' }, providers: ['cuda', 'cpu'] });
    try {
      const session = await pool.acquire(detection);
      assert.deepEqual(session.failures.map((f) => f.provider), ['cuda']);
    } finally {
      await pool.releaseAll();
    }
  });

  it('fails with every provider failure listed when none works', async () => {
    const pool = new SessionPool({ providers: ['cuda', 'coreml'] });
    await assert.rejects(pool.acquire(detection), (error: unknown) => {
      assert.ok(error instanceof SeamError);
      assert.equal(error.code, 'MISSING_DEPENDENCY');
      assert.match(error.message, /cuda: .*coreml: /s);
      return true;
    });
  });

  it('reports a file that is not ONNX as MODEL_INVALID (CPU could not load it)', async () => {
    const path = join(dir, 'junk.onnx');
    await writeFile(path, 'this is not a model');
    const pool = new SessionPool({ providers: ['cpu'] });
    await assert.rejects(pool.acquire({ id: 'junk', path }), (error: unknown) => error instanceof SeamError && error.code === 'MODEL_INVALID');
  });
});

describe('SessionPool sessions', () => {
  it('creates one session per model lazily, warms it up, and reuses it', async () => {
    const pool = new SessionPool({ providers: ['cpu'] });
    try {
      assert.equal(pool.list().length, 0);
      const [a, b] = await Promise.all([pool.acquire(segmentation), pool.acquire(segmentation)]);
      assert.equal(a, b, 'two concurrent acquires share one session');
      assert.equal(pool.list().length, 1);
      assert.ok(pool.list()[0]!.warmUpMs !== null);
      assert.equal(await pool.acquire(segmentation), a);
    } finally {
      await pool.releaseAll();
    }
  });

  it('warms up models with symbolic dimensions', async () => {
    const graph = personSegmentationGraph();
    graph.inputs[0]!.shape = ['batch', 'height', 'width', 3];
    graph.outputs[0]!.shape = ['batch', 'height', 'width', 1];
    const path = await writeGraph(dir, graph, 'symbolic.onnx');
    const pool = new SessionPool({ providers: ['cpu'] });
    try {
      const session = await pool.acquire({ id: 'symbolic', path });
      assert.deepEqual(session.info().inputs[0]!.shape, ['batch', 'height', 'width', 3]);
      const out = await session.run({ input_1: randomImage(1, 32, 48) });
      assert.deepEqual(out.activation_10!.dims, [1, 32, 48, 1]);
    } finally {
      await pool.releaseAll();
    }
  });

  it('concurrent runs on one session each get the result of their own input', async () => {
    const pool = new SessionPool({ providers: ['cpu'] });
    try {
      const session = await pool.acquire(segmentation);
      const inputs = [randomImage(1), randomImage(2)];
      const expected: Float32Array[] = [];
      for (const input of inputs) expected.push((await session.run({ input_1: input })).activation_10!.data as Float32Array);
      assert.notDeepEqual(expected[0], expected[1], 'the two inputs must give different outputs for the test to mean anything');

      const rounds = 40;
      const runs = Array.from({ length: rounds }, (_, i) =>
        pool.run(segmentation, { input_1: inputs[i % 2]! }).then((out) => ({ which: i % 2, data: out.activation_10!.data as Float32Array })),
      );
      for (const { which, data } of await Promise.all(runs)) {
        assert.deepEqual(data, expected[which]);
      }
      assert.equal(session.info().runs, rounds + 2);
    } finally {
      await pool.releaseAll();
    }
  });

  it('release frees the model; old handles refuse to run; acquiring again gives a new session', async () => {
    const pool = new SessionPool({ providers: ['cpu'] });
    const first = await pool.acquire(segmentation);
    const pending = first.run({ input_1: randomImage(3) });
    await pool.acquire(detection);
    await pool.release('seg');
    // A run queued before the release still completes.
    assert.deepEqual((await pending).activation_10!.dims, [1, 256, 256, 1]);
    assert.deepEqual(pool.list().map((s) => s.modelId), ['det']);
    await assert.rejects(first.run({ input_1: randomImage(3) }), /released/);
    const second = await pool.acquire(segmentation);
    assert.notEqual(second, first);
    await pool.releaseAll();
    assert.equal(pool.list().length, 0);
  });

  it('releases sessions after the idle time', async () => {
    const pool = new SessionPool({ providers: ['cpu'], idleReleaseMs: 50 });
    try {
      const session = await pool.acquire(detection);
      await session.run({ input: new Tensor('float32', new Float32Array(128 * 128 * 3), [1, 128, 128, 3]) });
      assert.equal(pool.list().length, 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(pool.list().length, 0);
      assert.equal(session.isReleased, true);
    } finally {
      await pool.releaseAll();
    }
  });

  it('a replaced model file under the same id gets a new session', async () => {
    const pool = new SessionPool({ providers: ['cpu'] });
    try {
      const a = await pool.acquire({ id: 'm', path: detection.path });
      const b = await pool.acquire({ id: 'm', path: segmentation.path });
      assert.notEqual(a, b);
      assert.equal(a.isReleased, true);
      assert.equal(pool.list().length, 1);
    } finally {
      await pool.releaseAll();
    }
  });
});
