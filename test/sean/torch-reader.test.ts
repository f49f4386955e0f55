/**
 * The PyTorch checkpoint reader on small checkpoints torch 1.13 wrote (test/sean/fixtures, made by
 * reference/make_reader_cases.py): both formats, every dtype, views and strides, and the refusals.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OnnxDataType, OnnxGraphBuilder } from '../../src/engine/models/onnx/graph-builder';
import { TorchCheckpoint } from '../../src/engine/models/torch/torch-checkpoint';
import { SeamError } from '../../src/shared/errors';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const fixture = (name: string) => join(FIXTURES, name);

interface Expected {
  shape: number[];
  values: number[];
}

let scratch: string;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'seam-torch-reader-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function rejects(path: string, code: SeamError['code'], pattern: RegExp): Promise<void> {
  await assert.rejects(TorchCheckpoint.open(path), (error: unknown) => {
    assert.ok(error instanceof SeamError, String(error));
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  });
}

async function writeScratch(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(scratch, name);
  await writeFile(path, bytes);
  return path;
}

for (const format of ['legacy', 'zip'] as const) {
  describe(`torch checkpoint reader: ${format} format`, () => {
    it('reads every tensor with its dtype, shape and values', async () => {
      const expected = JSON.parse(await readFile(fixture('small.expected.json'), 'utf8')) as Record<string, Expected>;
      const checkpoint = await TorchCheckpoint.open(fixture(`small.${format}.pth`));
      try {
        assert.equal(checkpoint.format, format);
        assert.deepEqual([...checkpoint.tensors.keys()], Object.keys(expected), 'state-dict order is kept');
        const dtypes = Object.fromEntries([...checkpoint.tensors].map(([name, info]) => [name, info.dtype]));
        assert.deepEqual(
          { f32: dtypes.f32, f64: dtypes.f64, f16: dtypes.f16, bf16: dtypes.bf16, i64_scalar: dtypes.i64_scalar, u8: dtypes.u8, bool: dtypes.bool },
          { f32: 'float32', f64: 'float64', f16: 'float16', bf16: 'bfloat16', i64_scalar: 'int64', u8: 'uint8', bool: 'bool' },
        );
        for (const [name, want] of Object.entries(expected)) {
          assert.deepEqual([...checkpoint.tensors.get(name)!.shape], want.shape, `${name} shape`);
          const values = await checkpoint.readFloat32(name);
          assert.deepEqual(Array.from(values), want.values.map((v) => Math.fround(v)), `${name} values`);
        }
      } finally {
        await checkpoint.close();
      }
    });

    it('refuses a whole pickled nn.Module, naming the Python class', async () => {
      await rejects(fixture(`module.${format}.pth`), 'BAD_INPUT', /cannot be read safely: it refers to the Python object torch\.nn\.modules\.linear\.Linear.*state_dict/);
    });

    it('calls a file cut short a truncated checkpoint, wherever it is cut', async () => {
      const bytes = await readFile(fixture(`small.${format}.pth`));
      for (const fraction of [0.1, 0.5, 0.9]) {
        const cut = Math.floor(bytes.byteLength * fraction);
        const path = await writeScratch(`cut-${format}-${fraction}.pth`, bytes.subarray(0, cut));
        await rejects(path, 'BAD_INPUT', /is a truncated checkpoint/);
      }
      // The last few bytes (the legacy format's last record; the zip's directory).
      await rejects(await writeScratch(`cut-${format}-end.pth`, bytes.subarray(0, bytes.byteLength - 3)), 'BAD_INPUT', /is a truncated checkpoint/);
    });
  });
}

describe('torch checkpoint reader: not a checkpoint', () => {
  it('refuses a PNG, an ONNX model, random bytes, an empty file, a plain pickle and a plain zip', async () => {
    const onnx = new OnnxGraphBuilder('tiny');
    onnx.addInput('x', OnnxDataType.FLOAT, [1]);
    onnx.addOutput(onnx.addNode('Relu', ['x']), OnnxDataType.FLOAT, [1], 'y');
    const random = new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24);
    const cases = [
      new URL('../fixtures/media/astronaut.png', import.meta.url).pathname,
      await writeScratch('model.onnx', onnx.encode()),
      await writeScratch('random.bin', random),
      await writeScratch('empty.pth', new Uint8Array(0)),
      fixture('plain-pickle.pkl'),
      fixture('plain.zip'),
    ];
    for (const path of cases) await rejects(path, 'BAD_INPUT', /is not a PyTorch checkpoint/);
  });

  it('says NOT_FOUND for a path with no file', async () => {
    await rejects(join(scratch, 'nothing-here.pth'), 'NOT_FOUND', /no readable file/);
  });
});
