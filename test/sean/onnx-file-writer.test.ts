/**
 * The streaming ONNX writer: lazy (big) weights appended as a second graph field load in
 * onnxruntime as one graph, in float32 and float16, and a failure leaves no file behind.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { OnnxDataType } from '../../src/engine/models/onnx/graph-builder';
import { decodeFloat16 } from '../../src/engine/models/convert/float16';
import { encodeFloat16, float32ToFloat16Bits } from '../../src/engine/models/sean/half-precision';
import { LazyGraph } from '../../src/engine/models/sean/lazy-graph';
import { splitGraphField, writeLazyGraph } from '../../src/engine/models/sean/onnx-file-writer';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seam-onnx-writer-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** y = x · W + b with W lazy ([4, 3]) and b a small constant. */
function matmulGraph(fp16: boolean, produce: () => Promise<Float32Array>): LazyGraph {
  const g = new LazyGraph('lazy', { fp16 });
  g.builder.addInput('x', OnnxDataType.FLOAT, [2, 4]);
  const w = g.weight('w', [4, 3], produce);
  const b = g.constant('b', [3], [0.5, -1, 2]);
  g.builder.addOutput(g.node('Add', [g.node('MatMul', ['x', w]), b]), OnnxDataType.FLOAT, [2, 3], 'y');
  return g;
}

const W = Float32Array.from({ length: 12 }, (_, i) => (i - 5) / 3);
const X = Float32Array.from({ length: 8 }, (_, i) => i / 7 - 0.4);

function reference(weights: Float32Array): number[] {
  const out: number[] = [];
  for (let r = 0; r < 2; r++) for (let c = 0; c < 3; c++) {
    let sum = [0.5, -1, 2][c]!;
    for (let k = 0; k < 4; k++) sum += X[r * 4 + k]! * weights[k * 3 + c]!;
    out.push(sum);
  }
  return out;
}

async function run(path: string): Promise<Float32Array> {
  const session = await InferenceSession.create(path, { executionProviders: ['cpu'] });
  try {
    const out = await session.run({ x: new Tensor('float32', X, [2, 4]) });
    return out.y!.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('streaming ONNX writer', () => {
  for (const fp16 of [false, true]) {
    it(`writes lazy ${fp16 ? 'float16' : 'float32'} weights that onnxruntime reads as one graph`, async () => {
      const path = join(dir, `m-${fp16}.onnx`);
      const bytes = await writeLazyGraph(path, matmulGraph(fp16, async () => W.slice()), {});
      assert.ok(bytes > (fp16 ? 24 : 48));
      const weights = fp16 ? decodeFloat16(encodeFloat16(W)) : W;
      const got = Array.from(await run(path));
      reference(weights).forEach((want, i) => assert.ok(Math.abs(got[i]! - want) < 1e-5, `y[${i}] ${got[i]} vs ${want}`));
    });
  }

  it('writes one ordinary ModelProto: a single graph field holding nodes and all initializers', async () => {
    const path = join(dir, 'single-graph.onnx');
    await writeLazyGraph(path, matmulGraph(false, async () => W.slice()), {});
    const bytes = new Uint8Array(await readFile(path));
    const { before, graph, after } = splitGraphField(bytes);
    assert.equal(before.byteLength + graph.byteLength + after.byteLength + 2 + (graph.byteLength >= 128 ? 1 : 0), bytes.byteLength);
    assert.throws(() => splitGraphField(after), /no graph/, 'no second graph field after the first');
    // The lazy weight's raw bytes sit inside the graph field.
    const raw = new Uint8Array(W.buffer);
    const index = Buffer.from(graph).indexOf(Buffer.from(raw));
    assert.ok(index > 0, 'the weight is inside the graph');
  });

  it('leaves no file (and no temp file) when producing a weight fails', async () => {
    const path = join(dir, 'broken.onnx');
    await assert.rejects(writeLazyGraph(path, matmulGraph(false, async () => { throw new Error('read failed'); }), {}), /read failed/);
    await assert.rejects(writeLazyGraph(path, matmulGraph(false, async () => new Float32Array(5)), {}), /5 values for dims \[4,3\]/);
    assert.deepEqual((await readdir(dir)).filter((n) => n.includes('broken')), []);
  });

  it('rounds float32 to float16 to nearest even, with subnormals, overflow and NaN', () => {
    const cases: Array<[number, number]> = [
      [1, 0x3c00], [-2, 0xc000], [65504, 0x7bff], [65520, 0x7c00], [1e9, 0x7c00], [2 ** -24, 0x0001], [2 ** -26, 0x0000],
      [1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02], [3 * 2 ** -25, 0x0002], [Infinity, 0x7c00], [-0, 0x8000],
    ];
    for (const [value, bits] of cases) assert.equal(float32ToFloat16Bits(value), bits, `${value}`);
    for (let half = 0; half < 0x10000; half++) {
      if ((half & 0x7c00) === 0x7c00 && (half & 0x3ff) !== 0) continue; // NaNs
      assert.equal(float32ToFloat16Bits(decodeFloat16(new Uint8Array([half & 0xff, half >> 8]))[0]!), half, `half 0x${half.toString(16)} round trip`);
    }
    assert.equal(float32ToFloat16Bits(NaN) & 0x7c00, 0x7c00);
    assert.notEqual(float32ToFloat16Bits(NaN) & 0x3ff, 0);
  });
});
