/**
 * The converter op by op, on tiny TFLite models built here with the `flatbuffers` runtime: each
 * converted graph runs in onnxruntime-node and must match a plain reference of TFLite's own
 * semantics (padding, masks, layouts, half-pixel resize, transpose-conv scatter). And every
 * operator, option or fused activation the converter does not handle must fail loudly.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as flatbuffers from 'flatbuffers';
import * as ort from 'onnxruntime-node';
import { SeamError } from '../../src/shared/errors';
import { convertTfliteToOnnx } from '../../src/engine/models/convert/tflite-to-onnx';

// ---- a minimal TFLite writer (schema.fbs field ids) --------------------------------------------

const Op = { ADD: 0, AVERAGE_POOL_2D: 1, CONCATENATION: 2, CONV_2D: 3, DEPTHWISE_CONV_2D: 4, DEQUANTIZE: 6, MAX_POOL_2D: 17, MUL: 18, RESHAPE: 22, RESIZE_BILINEAR: 23, SOFTMAX: 25, CUSTOM: 32, PAD: 34, MEAN: 40, STRIDED_SLICE: 45, PRELU: 54 } as const;
const Opt = { Conv2D: 1, DepthwiseConv2D: 2, Pool2D: 5, Concatenation: 10, Add: 11, ResizeBilinear: 15, Reducer: 27, StridedSlice: 32 } as const;
const FLOAT32 = 0;
const FLOAT16 = 1;
const INT32 = 2;

interface TensorDef { name: string; shape: number[]; type?: number; data?: Float32Array | Int32Array | Uint8Array }
interface OpDef {
  code: number;
  custom?: string;
  inputs: number[];
  outputs: number[];
  optionsType?: number;
  /** Builds the option table: a list of [field id, kind, value]. */
  options?: Array<[number, 'i8' | 'i32' | 'bool', number]>;
  customOptions?: Uint8Array;
}

function buildTflite(tensors: TensorDef[], inputs: number[], outputs: number[], ops: OpDef[]): Uint8Array {
  const b = new flatbuffers.Builder(1024);
  const intVector = (xs: number[]) => {
    b.startVector(4, xs.length, 4);
    for (let i = xs.length - 1; i >= 0; i--) b.addInt32(xs[i]!);
    return b.endVector();
  };
  const tableVector = (xs: number[]) => {
    b.startVector(4, xs.length, 4);
    for (let i = xs.length - 1; i >= 0; i--) b.addOffset(xs[i]!);
    return b.endVector();
  };
  const buffers: number[] = [];
  b.startObject(3);
  buffers.push(b.endObject()); // buffer 0: empty, by convention
  const tensorTables = tensors.map((t) => {
    let bufferIndex = 0;
    if (t.data) {
      const data = b.createByteVector(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
      b.startObject(3);
      b.addFieldOffset(0, data, 0);
      buffers.push(b.endObject());
      bufferIndex = buffers.length - 1;
    }
    const name = b.createString(t.name);
    const shape = intVector(t.shape);
    b.startObject(8);
    b.addFieldOffset(0, shape, 0);
    b.addFieldInt8(1, t.type ?? FLOAT32, 0);
    b.addFieldInt32(2, bufferIndex, 0);
    b.addFieldOffset(3, name, 0);
    return b.endObject();
  });
  const codes: string[] = [];
  const opcodeOf = (op: OpDef) => {
    const key = `${op.code}/${op.custom ?? ''}`;
    if (!codes.includes(key)) codes.push(key);
    return codes.indexOf(key);
  };
  const operatorTables = ops.map((op) => {
    const opcode = opcodeOf(op);
    let options = 0;
    if (op.options) {
      const maxField = Math.max(0, ...op.options.map(([id]) => id));
      b.startObject(maxField + 1);
      for (const [id, kind, value] of op.options) {
        if (kind === 'i32') b.addFieldInt32(id, value, null);
        else b.addFieldInt8(id, value, null);
      }
      options = b.endObject();
    }
    const custom = op.customOptions ? b.createByteVector(op.customOptions) : 0;
    const ins = intVector(op.inputs);
    const outs = intVector(op.outputs);
    b.startObject(6);
    b.addFieldInt32(0, opcode, null);
    b.addFieldOffset(1, ins, 0);
    b.addFieldOffset(2, outs, 0);
    if (op.optionsType) b.addFieldInt8(3, op.optionsType, 0);
    if (options) b.addFieldOffset(4, options, 0);
    if (custom) b.addFieldOffset(5, custom, 0);
    return b.endObject();
  });
  const codeTables = codes.map((key) => {
    const [code, custom] = key.split('/') as [string, string];
    const customString = custom ? b.createString(custom) : 0;
    b.startObject(4);
    b.addFieldInt8(0, Math.min(Number(code), 127), 0);
    if (customString) b.addFieldOffset(1, customString, 0);
    b.addFieldInt32(2, 1, 0);
    b.addFieldInt32(3, Number(code), 0);
    return b.endObject();
  });
  const tensorVector = tableVector(tensorTables);
  const inputVector = intVector(inputs);
  const outputVector = intVector(outputs);
  const operatorVector = tableVector(operatorTables);
  b.startObject(5);
  b.addFieldOffset(0, tensorVector, 0);
  b.addFieldOffset(1, inputVector, 0);
  b.addFieldOffset(2, outputVector, 0);
  b.addFieldOffset(3, operatorVector, 0);
  const subgraph = b.endObject();
  const codeVector = tableVector(codeTables);
  const subgraphVector = tableVector([subgraph]);
  const bufferVector = tableVector(buffers);
  b.startObject(5);
  b.addFieldInt32(0, 3, 0);
  b.addFieldOffset(1, codeVector, 0);
  b.addFieldOffset(2, subgraphVector, 0);
  b.addFieldOffset(4, bufferVector, 0);
  b.finish(b.endObject(), 'TFL3');
  return b.asUint8Array().slice();
}

// ---- helpers ----------------------------------------------------------------------------------

function seeded(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

const count = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

async function runConverted(tflite: Uint8Array, feeds: Record<string, { data: Float32Array; shape: number[] }>): Promise<Record<string, Float32Array>> {
  const { onnx } = convertTfliteToOnnx(tflite, { name: 'test' });
  const session = await ort.InferenceSession.create(onnx, { executionProviders: ['cpu'] });
  try {
    const inputs: Record<string, ort.Tensor> = {};
    for (const [name, { data, shape }] of Object.entries(feeds)) inputs[name] = new ort.Tensor('float32', data, shape);
    const results = await session.run(inputs);
    return Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.data as Float32Array]));
  } finally {
    await session.release();
  }
}

function assertClose(actual: Float32Array, expected: Float32Array | number[], label: string, tolerance = 1e-5): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < actual.length; i++) {
    const e = expected[i]!;
    assert.ok(Math.abs(actual[i]! - e) <= tolerance * Math.max(1, Math.abs(e)), `${label}[${i}]: ${actual[i]} vs ${e}`);
  }
}

/** TFLite SAME/VALID, written out independently of the converter's padding.ts. */
function tflitePad(padding: 'SAME' | 'VALID', size: number, k: number, s: number): { out: number; before: number } {
  if (padding === 'VALID') return { out: Math.ceil((size - k + 1) / s), before: 0 };
  const out = Math.ceil(size / s);
  return { out, before: Math.floor(Math.max((out - 1) * s + k - size, 0) / 2) };
}

/** NHWC conv / depthwise conv reference. weights OHWI (conv) or 1HW(C·M) (depthwise). */
function referenceConv(x: Float32Array, [n, h, w, c]: number[], weights: Float32Array, wShape: number[], bias: Float32Array, stride: number, padding: 'SAME' | 'VALID', depthwise: boolean, act: (v: number) => number) {
  const [d0, kh, kw, d3] = wShape as [number, number, number, number];
  const outC = depthwise ? d3 : d0;
  const ph = tflitePad(padding, h!, kh, stride);
  const pw = tflitePad(padding, w!, kw, stride);
  const out = new Float32Array(n! * ph.out * pw.out * outC);
  for (let oy = 0; oy < ph.out; oy++) for (let ox = 0; ox < pw.out; ox++) for (let oc = 0; oc < outC; oc++) {
    let sum = bias[oc]!;
    for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) {
      const iy = oy * stride - ph.before + ky;
      const ix = ox * stride - pw.before + kx;
      if (iy < 0 || iy >= h! || ix < 0 || ix >= w!) continue;
      if (depthwise) {
        const ic = Math.floor(oc / (outC / c!));
        sum += x[(iy * w! + ix) * c! + ic]! * weights[(ky * kw + kx) * outC + oc]!;
      } else {
        for (let ic = 0; ic < c!; ic++) sum += x[(iy * w! + ix) * c! + ic]! * weights[((oc * kh + ky) * kw + kx) * d3 + ic]!;
      }
    }
    out[(oy * pw.out + ox) * outC + oc] = act(sum);
  }
  return { out, shape: [n!, ph.out, pw.out, outC] };
}

function expectModelInvalid(fn: () => unknown, mentions: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof SeamError, `expected SeamError, got ${String(error)}`);
    assert.equal(error.code, 'MODEL_INVALID');
    assert.match(error.message, mentions);
    return true;
  });
}

// ---- numerical checks ---------------------------------------------------------------------------

describe('converted ops match TFLite semantics', () => {
  test('CONV_2D, SAME, stride 2 on an odd size, with fused RELU6', async () => {
    const xShape = [1, 7, 9, 3];
    const wShape = [4, 3, 3, 3];
    const x = seeded(count(xShape), 1);
    const weights = seeded(count(wShape), 2).map((v) => v * 2);
    const bias = Float32Array.from([0.5, -0.25, 1, 3]);
    const ref = referenceConv(x, xShape, weights, wShape, bias, 2, 'SAME', false, (v) => Math.min(6, Math.max(0, v)));
    const model = buildTflite(
      [{ name: 'x', shape: xShape }, { name: 'w', shape: wShape, data: weights }, { name: 'b', shape: [4], data: bias }, { name: 'y', shape: ref.shape }],
      [0], [3],
      [{ code: Op.CONV_2D, inputs: [0, 1, 2], outputs: [3], optionsType: Opt.Conv2D, options: [[0, 'i8', 0], [1, 'i32', 2], [2, 'i32', 2], [3, 'i8', 3]] }],
    );
    assertClose((await runConverted(model, { x: { data: x, shape: xShape } })).y!, ref.out, 'conv');
  });

  test('DEPTHWISE_CONV_2D with channel multiplier 2, VALID, float16 weights behind DEQUANTIZE', async () => {
    const xShape = [1, 6, 5, 3];
    const wShape = [1, 3, 3, 6];
    const x = seeded(count(xShape), 3);
    // Values exactly representable in float16: multiples of 1/64 in [-1, 1].
    const weights = seeded(count(wShape), 4).map((v) => Math.round(v * 64) / 64);
    const half = new Uint16Array(weights.length);
    weights.forEach((v, i) => { half[i] = toHalf(v); });
    const bias = new Float32Array(6).fill(0.125);
    const ref = referenceConv(x, xShape, weights, wShape, bias, 1, 'VALID', true, (v) => v);
    const model = buildTflite(
      [{ name: 'x', shape: xShape }, { name: 'w16', shape: wShape, type: FLOAT16, data: new Uint8Array(half.buffer) }, { name: 'w', shape: wShape }, { name: 'b', shape: [6], data: bias }, { name: 'y', shape: ref.shape }],
      [0], [4],
      [
        { code: Op.DEQUANTIZE, inputs: [1], outputs: [2] },
        { code: Op.DEPTHWISE_CONV_2D, inputs: [0, 2, 3], outputs: [4], optionsType: Opt.DepthwiseConv2D, options: [[0, 'i8', 1], [1, 'i32', 1], [2, 'i32', 1], [3, 'i32', 2]] },
      ],
    );
    assertClose((await runConverted(model, { x: { data: x, shape: xShape } })).y!, ref.out, 'depthwise');
  });

  test('AVERAGE_POOL_2D and MAX_POOL_2D with SAME padding count only pixels inside the image', async () => {
    const xShape = [1, 5, 5, 2];
    const x = seeded(count(xShape), 5);
    const model = buildTflite(
      [{ name: 'x', shape: xShape }, { name: 'avg', shape: [1, 3, 3, 2] }, { name: 'max', shape: [1, 3, 3, 2] }],
      [0], [1, 2],
      [
        { code: Op.AVERAGE_POOL_2D, inputs: [0], outputs: [1], optionsType: Opt.Pool2D, options: [[0, 'i8', 0], [1, 'i32', 2], [2, 'i32', 2], [3, 'i32', 2], [4, 'i32', 2]] },
        { code: Op.MAX_POOL_2D, inputs: [0], outputs: [2], optionsType: Opt.Pool2D, options: [[0, 'i8', 0], [1, 'i32', 2], [2, 'i32', 2], [3, 'i32', 2], [4, 'i32', 2]] },
      ],
    );
    const out = await runConverted(model, { x: { data: x, shape: xShape } });
    const avg: number[] = [];
    const max: number[] = [];
    // 5 → 3 with k 2, s 2: total pad 1, all after.
    for (let oy = 0; oy < 3; oy++) for (let ox = 0; ox < 3; ox++) for (let c = 0; c < 2; c++) {
      const vals: number[] = [];
      for (let y = oy * 2; y < Math.min(5, oy * 2 + 2); y++) for (let xx = ox * 2; xx < Math.min(5, ox * 2 + 2); xx++) vals.push(x[(y * 5 + xx) * 2 + c]!);
      avg.push(vals.reduce((a, b) => a + b, 0) / vals.length);
      max.push(Math.max(...vals));
    }
    assertClose(out.avg!, avg, 'avg');
    assertClose(out.max!, max, 'max');
  });

  test('RESIZE_BILINEAR half_pixel_centers and align_corners at non-integer scales', async () => {
    const xShape = [1, 5, 7, 2];
    const x = seeded(count(xShape), 6);
    for (const mode of ['half_pixel', 'align_corners'] as const) {
      const [oh, ow] = [9, 4];
      const model = buildTflite(
        [{ name: 'x', shape: xShape }, { name: 'size', shape: [2], type: INT32, data: Int32Array.from([oh, ow]) }, { name: 'y', shape: [1, oh, ow, 2] }],
        [0], [2],
        [{ code: Op.RESIZE_BILINEAR, inputs: [0, 1], outputs: [2], optionsType: Opt.ResizeBilinear, options: [[mode === 'align_corners' ? 2 : 3, 'bool', 1]] }],
      );
      const expected: number[] = [];
      const axis = (o: number, inSize: number, outSize: number) => {
        const scale = mode === 'align_corners' ? (inSize - 1) / (outSize - 1) : inSize / outSize;
        const v = mode === 'align_corners' ? o * scale : (o + 0.5) * scale - 0.5;
        const lo = Math.max(Math.floor(v), 0);
        const hi = Math.min(Math.ceil(v), inSize - 1);
        return { lo, hi, t: v - lo };
      };
      for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) for (let c = 0; c < 2; c++) {
        const ay = axis(oy, 5, oh);
        const ax = axis(ox, 7, ow);
        const at = (y: number, xx: number) => x[(y * 7 + xx) * 2 + c]!;
        expected.push(at(ay.lo, ax.lo) * (1 - ay.t) * (1 - ax.t) + at(ay.hi, ax.lo) * ay.t * (1 - ax.t) + at(ay.lo, ax.hi) * (1 - ay.t) * ax.t + at(ay.hi, ax.hi) * ay.t * ax.t);
      }
      assertClose((await runConverted(model, { x: { data: x, shape: xShape } })).y!, expected, mode);
    }
  });

  test('Convolution2DTransposeBias: OHWI weights, no flip, SAME stride 2 for odd and even kernels', async () => {
    for (const k of [2, 3, 4]) {
      const xShape = [1, 3, 4, 2];
      const wShape = [3, k, k, 2];
      const x = seeded(count(xShape), 7 + k);
      const weights = seeded(count(wShape), 8 + k);
      const bias = Float32Array.from([0.1, -0.2, 0.3]);
      const [oh, ow] = [6, 8];
      const pad = (outSize: number, inSize: number) => Math.floor(Math.max((inSize - 1) * 2 + k - outSize, 0) / 2);
      const expected = new Float32Array(oh * ow * 3);
      for (let i = 0; i < expected.length; i++) expected[i] = bias[i % 3]!;
      for (let iy = 0; iy < 3; iy++) for (let ix = 0; ix < 4; ix++) for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) {
        const oy = iy * 2 - pad(oh, 3) + ky;
        const ox = ix * 2 - pad(ow, 4) + kx;
        if (oy < 0 || oy >= oh || ox < 0 || ox >= ow) continue;
        for (let oc = 0; oc < 3; oc++) for (let ic = 0; ic < 2; ic++) {
          expected[(oy * ow + ox) * 3 + oc]! += x[(iy * 4 + ix) * 2 + ic]! * weights[((oc * k + ky) * k + kx) * 2 + ic]!;
        }
      }
      const options = new Uint8Array(new Int32Array([1, 2, 2]).buffer); // {padding SAME, stride_w, stride_h}
      const model = buildTflite(
        [{ name: 'x', shape: xShape }, { name: 'w', shape: wShape, data: weights }, { name: 'b', shape: [3], data: bias }, { name: 'y', shape: [1, oh, ow, 3] }],
        [0], [3],
        [{ code: Op.CUSTOM, custom: 'Convolution2DTransposeBias', inputs: [0, 1, 2], outputs: [3], customOptions: options }],
      );
      assertClose((await runConverted(model, { x: { data: x, shape: xShape } })).y!, expected, `kernel ${k}`);
    }
  });

  test('PAD on the channel axis, CONCATENATION on channels, PRELU, MUL by a per-channel constant', async () => {
    const xShape = [1, 2, 3, 2];
    const x = seeded(count(xShape), 9);
    const alpha = Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5]);
    const scale = Float32Array.from([1, 2, 3, 4, 5]);
    const model = buildTflite(
      [
        { name: 'x', shape: xShape },
        { name: 'pads', shape: [4, 2], type: INT32, data: Int32Array.from([0, 0, 1, 0, 0, 1, 1, 0]) },
        { name: 'padded', shape: [1, 3, 4, 3] },
        { name: 'x2', shape: [1, 3, 4, 2] },
        { name: 'cat', shape: [1, 3, 4, 5] },
        { name: 'alpha', shape: [1, 1, 5], data: alpha },
        { name: 'prelu', shape: [1, 3, 4, 5] },
        { name: 'scale', shape: [5], data: scale },
        { name: 'y', shape: [1, 3, 4, 5] },
      ],
      [0, 3], [8],
      [
        { code: Op.PAD, inputs: [0, 1], outputs: [2] },
        { code: Op.CONCATENATION, inputs: [2, 3], outputs: [4], optionsType: Opt.Concatenation, options: [[0, 'i32', -1]] },
        { code: Op.PRELU, inputs: [4, 5], outputs: [6] },
        { code: Op.MUL, inputs: [6, 7], outputs: [8] },
      ],
    );
    const x2 = seeded(24, 10);
    const expected: number[] = [];
    for (let y = 0; y < 3; y++) for (let xx = 0; xx < 4; xx++) for (let c = 0; c < 5; c++) {
      let v: number;
      if (c < 3) {
        const sy = y - 1;
        const sx = xx;
        v = sy >= 0 && sx < 3 && c >= 1 ? x[(sy * 3 + sx) * 2 + (c - 1)]! : 0;
      } else {
        v = x2[(y * 4 + xx) * 2 + (c - 3)]!;
      }
      expected.push((v >= 0 ? v : alpha[c]! * v) * scale[c]!);
    }
    const out = await runConverted(model, { x: { data: x, shape: xShape }, x2: { data: x2, shape: [1, 3, 4, 2] } });
    assertClose(out.y!, expected, 'pad/concat/prelu/mul');
  });

  test('MEAN without keep_dims, RESHAPE and STRIDED_SLICE with masks and shrink', async () => {
    const xShape = [1, 4, 3, 5];
    const x = seeded(count(xShape), 11);
    const model = buildTflite(
      [
        { name: 'x', shape: xShape },
        { name: 'axes', shape: [2], type: INT32, data: Int32Array.from([1, 2]) },
        { name: 'mean', shape: [1, 5] },
        { name: 'begin', shape: [4], type: INT32, data: Int32Array.from([0, 1, 2, 1]) },
        { name: 'end', shape: [4], type: INT32, data: Int32Array.from([1, 4, 3, 5]) },
        { name: 'strides', shape: [4], type: INT32, data: Int32Array.from([1, 2, 1, 2]) },
        { name: 'sliced', shape: [1, 2, 2] }, // shrink axis 2 (W), begin_mask on axis 0
        { name: 'flat', shape: [1, 4] },
      ],
      [0], [2, 7],
      [
        { code: Op.MEAN, inputs: [0, 1], outputs: [2], optionsType: Opt.Reducer, options: [[0, 'bool', 0]] },
        { code: Op.STRIDED_SLICE, inputs: [0, 3, 4, 5], outputs: [6], optionsType: Opt.StridedSlice, options: [[0, 'i32', 1], [4, 'i32', 4]] },
        { code: Op.RESHAPE, inputs: [6], outputs: [7] },
      ],
    );
    const out = await runConverted(model, { x: { data: x, shape: xShape } });
    const mean: number[] = [];
    for (let c = 0; c < 5; c++) {
      let s = 0;
      for (let i = 0; i < 12; i++) s += x[i * 5 + c]!;
      mean.push(s / 12);
    }
    assertClose(out.mean!, mean, 'mean');
    const sliced: number[] = [];
    for (const h of [1, 3]) for (const c of [1, 3]) sliced.push(x[(h * 3 + 2) * 5 + c]!);
    assertClose(out.flat!, sliced, 'strided slice');
  });
});

// ---- loud failures ------------------------------------------------------------------------------

describe('the converter refuses what it cannot convert exactly', () => {
  const io: TensorDef[] = [{ name: 'x', shape: [1, 4, 4, 2] }, { name: 'y', shape: [1, 4, 4, 2] }];

  test('an unknown builtin operator is named in the error', () => {
    const model = buildTflite(io, [0], [1], [{ code: Op.SOFTMAX, inputs: [0], outputs: [1] }]);
    expectModelInvalid(() => convertTfliteToOnnx(model), /SOFTMAX is not supported/);
  });

  test('an unknown custom operator is named in the error', () => {
    const model = buildTflite(io, [0], [1], [{ code: Op.CUSTOM, custom: 'FancyWarp', inputs: [0], outputs: [1] }]);
    expectModelInvalid(() => convertTfliteToOnnx(model), /custom operator FancyWarp/);
  });

  const conv = (options: OpDef['options'], optionsType: number = Opt.Conv2D) => buildTflite(
    [...io, { name: 'w', shape: [2, 1, 1, 2], data: new Float32Array(4) }],
    [0], [1],
    [{ code: Op.CONV_2D, inputs: [0, 2], outputs: [1], optionsType, options }],
  );

  test('an unsupported fused activation (SIGN_BIT) is named', () => {
    expectModelInvalid(() => convertTfliteToOnnx(conv([[1, 'i32', 1], [2, 'i32', 1], [3, 'i8', 5]])), /SIGN_BIT/);
  });

  test('an out-of-range fused activation value is refused', () => {
    expectModelInvalid(() => convertTfliteToOnnx(conv([[1, 'i32', 1], [2, 'i32', 1], [3, 'i8', 9]])), /unknown fused activation function 9/);
  });

  test('an option field this converter does not know is refused', () => {
    expectModelInvalid(() => convertTfliteToOnnx(conv([[1, 'i32', 1], [2, 'i32', 1], [6, 'i8', 1]])), /Conv2DOptions sets field #6/);
  });

  test('options of the wrong union type are refused', () => {
    expectModelInvalid(() => convertTfliteToOnnx(conv([[0, 'i32', 1]], Opt.Add)), /expected Conv2DOptions/);
  });

  test('transpose-conv custom options that are not the 12-byte struct are refused', () => {
    const model = buildTflite(
      [...io, { name: 'w', shape: [2, 2, 2, 2], data: new Float32Array(16) }, { name: 'b', shape: [2], data: new Float32Array(2) }],
      [0], [1],
      [{ code: Op.CUSTOM, custom: 'Convolution2DTransposeBias', inputs: [0, 2, 3], outputs: [1], customOptions: new Uint8Array(8) }],
    );
    expectModelInvalid(() => convertTfliteToOnnx(model), /12-byte/);
  });

  test('a float16 weight used without DEQUANTIZE is refused', () => {
    const model = buildTflite(
      [...io, { name: 'w16', shape: [2, 1, 1, 2], type: FLOAT16, data: new Uint8Array(8) }],
      [0], [1],
      [{ code: Op.CONV_2D, inputs: [0, 2], outputs: [1], optionsType: Opt.Conv2D, options: [[1, 'i32', 1], [2, 'i32', 1]] }],
    );
    expectModelInvalid(() => convertTfliteToOnnx(model), /float16/);
  });

  test('an output shape that disagrees with the operator arithmetic is refused', () => {
    const model = buildTflite(
      [{ name: 'x', shape: [1, 4, 4, 2] }, { name: 'w', shape: [2, 3, 3, 2], data: new Float32Array(36) }, { name: 'y', shape: [1, 4, 4, 2] }],
      [0], [2],
      [{ code: Op.CONV_2D, inputs: [0, 1], outputs: [2], optionsType: Opt.Conv2D, options: [[0, 'i8', 1], [1, 'i32', 1], [2, 'i32', 1]] }],
    );
    expectModelInvalid(() => convertTfliteToOnnx(model), /computed shape is \[1,2,2,2\]/);
  });

  test('bytes that are not a TFLite model, or are cut short, are refused', () => {
    expectModelInvalid(() => convertTfliteToOnnx(new TextEncoder().encode('not a model at all')), /Not a TFLite model/);
    const model = buildTflite(io, [0], [1], [{ code: Op.ADD, inputs: [0, 0], outputs: [1], optionsType: Opt.Add }]);
    expectModelInvalid(() => convertTfliteToOnnx(model.subarray(0, model.byteLength - 40)), /Corrupt model file|outside/);
  });
});

/** float32 → float16 bits, for values that are exactly representable (the test uses k/64). */
function toHalf(value: number): number {
  if (value === 0) return Object.is(value, -0) ? 0x8000 : 0;
  const sign = value < 0 ? 0x8000 : 0;
  const abs = Math.abs(value);
  const exponent = Math.floor(Math.log2(abs));
  const fraction = Math.round((abs / 2 ** exponent - 1) * 1024);
  return sign | ((exponent + 15) << 10) | fraction;
}
