/**
 * State of one TFLite → ONNX conversion: which ONNX value holds each TFLite tensor, in which
 * layout, and the constants (weights) known at conversion time, including those folded out of
 * DEQUANTIZE. Op handlers ask for a tensor in the layout they need; the context inserts (and
 * caches) a Transpose or a transposed initializer.
 */
import { SeamError } from '../../../shared/errors';
import { OnnxGraphBuilder, attr } from '../onnx/graph-builder';
import type { TfliteModel, TfliteOperator, TfliteTensor } from '../tflite/read-model';
import { unsupported, type Activation } from '../tflite/options';
import { TensorType } from '../tflite/schema';
import { NCHW_TO_NHWC, NHWC_TO_NCHW, permuteShape, transposeData } from './layout';

/** NCHW: a 4-D tensor transposed for ONNX. NHWC: the tensor exactly as TFLite lays it out (any rank). */
export type Layout = 'NCHW' | 'NHWC';

export type ConstTensor =
  | { kind: 'float'; shape: number[]; data: Float32Array }
  | { kind: 'int'; shape: number[]; data: Int32Array }
  | { kind: 'float16'; shape: number[]; raw: Uint8Array };

const MAX_NAME_LENGTH = 96;

export class ConversionContext {
  readonly graph: OnnxGraphBuilder;
  readonly model: TfliteModel;
  readonly #values = new Map<number, Map<Layout, string>>();
  readonly #constants = new Map<number, ConstTensor>();
  /** The operator being converted, for error messages from shared helpers. */
  currentOp: TfliteOperator | undefined;

  constructor(model: TfliteModel, graphName: string) {
    this.model = model;
    this.graph = new OnnxGraphBuilder(graphName);
  }

  fail(detail: string): SeamError {
    if (this.currentOp) return unsupported(this.currentOp, detail);
    return new SeamError('MODEL_INVALID', `Cannot convert TFLite model: ${detail}.`);
  }

  tensor(index: number): TfliteTensor {
    const t = this.model.tensors[index];
    if (!t) throw this.fail(`tensor ${index} does not exist`);
    return t;
  }

  shape(index: number): number[] {
    return this.tensor(index).shape;
  }

  rank(index: number): number {
    return this.tensor(index).shape.length;
  }

  /** A readable base name for ONNX values derived from a TFLite tensor (TFLite names can be very long). */
  baseName(index: number, suffix = ''): string {
    const name = this.tensor(index).name;
    return (name.length <= MAX_NAME_LENGTH ? name : `tensor_${index}`) + suffix;
  }

  // ---- constants -------------------------------------------------------------------------

  isConstant(index: number): boolean {
    return this.#constants.has(index) || this.tensor(index).data !== undefined;
  }

  setConstant(index: number, value: ConstTensor): void {
    this.#constants.set(index, value);
  }

  constant(index: number): ConstTensor {
    const cached = this.#constants.get(index);
    if (cached) return cached;
    const t = this.tensor(index);
    if (!t.data) throw this.fail(`input tensor ${t.name} must be a constant here, but it is computed at run time`);
    if (t.quantized) throw this.fail(`constant ${t.name} is quantized (${t.typeName}); quantized models are not supported`);
    const view = new DataView(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    const count = t.shape.reduce((a, b) => a * b, 1);
    const size = t.type === TensorType.FLOAT16 ? 2 : t.type === TensorType.INT64 ? 8 : 4;
    if (t.data.byteLength !== count * size) throw this.fail(`constant ${t.name} has ${t.data.byteLength} bytes for shape [${t.shape}] of ${t.typeName}`);
    let value: ConstTensor;
    if (t.type === TensorType.FLOAT32) {
      const data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(4 * i, true);
      value = { kind: 'float', shape: t.shape, data };
    } else if (t.type === TensorType.INT32) {
      const data = new Int32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt32(4 * i, true);
      value = { kind: 'int', shape: t.shape, data };
    } else if (t.type === TensorType.INT64) {
      const data = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const v = view.getBigInt64(8 * i, true);
        if (v > 2147483647n || v < -2147483648n) throw this.fail(`int64 constant ${t.name} holds ${v}, outside int32`);
        data[i] = Number(v);
      }
      value = { kind: 'int', shape: t.shape, data };
    } else if (t.type === TensorType.FLOAT16) {
      value = { kind: 'float16', shape: t.shape, raw: t.data };
    } else {
      throw this.fail(`constant ${t.name} has type ${t.typeName}, which is not supported`);
    }
    this.#constants.set(index, value);
    return value;
  }

  floatConstant(index: number): { shape: number[]; data: Float32Array } {
    const c = this.constant(index);
    if (c.kind !== 'float') throw this.fail(`constant ${this.tensor(index).name} is ${c.kind}, expected float32`);
    return c;
  }

  intConstant(index: number): number[] {
    const c = this.constant(index);
    if (c.kind !== 'int') throw this.fail(`constant ${this.tensor(index).name} is ${c.kind}, expected an integer tensor`);
    return Array.from(c.data);
  }

  // ---- activations (run-time values) -----------------------------------------------------

  /** Records that ONNX value `name` holds tensor `index` in `layout`. */
  define(index: number, name: string, layout: Layout): void {
    if (layout === 'NCHW' && this.rank(index) !== 4) throw this.fail(`internal: NCHW layout for rank-${this.rank(index)} tensor ${this.tensor(index).name}`);
    let held = this.#values.get(index);
    if (!held) this.#values.set(index, (held = new Map()));
    held.set(layout, name);
  }

  /** The layout a tensor is already held in (NCHW preferred), or undefined when not computed yet. */
  heldLayout(index: number): Layout | undefined {
    const held = this.#values.get(index);
    if (held?.has('NCHW')) return 'NCHW';
    if (held?.has('NHWC')) return 'NHWC';
    return undefined;
  }

  /** Every layout the tensor is currently held in. */
  heldLayoutSet(index: number): ReadonlySet<Layout> {
    return new Set(this.#values.get(index)?.keys() ?? []);
  }

  /** The natural working layout for a tensor: NCHW for rank 4, else as TFLite has it. */
  static workingLayout(rank: number): Layout {
    return rank === 4 ? 'NCHW' : 'NHWC';
  }

  /** An ONNX value holding tensor `index` in `layout`, adding a Transpose or an initializer as needed. */
  value(index: number, layout: Layout): string {
    const t = this.tensor(index);
    if (layout === 'NCHW' && t.shape.length !== 4) throw this.fail(`internal: NCHW requested for rank-${t.shape.length} tensor ${t.name}`);
    const held = this.#values.get(index);
    const have = held?.get(layout);
    if (have) return have;
    if (this.isConstant(index)) return this.#constantValue(index, layout);
    if (t.quantized) throw this.fail(`tensor ${t.name} is quantized (${t.typeName}); quantized models are not supported`);
    if (t.type !== TensorType.FLOAT32) throw this.fail(`tensor ${t.name} is ${t.typeName}; only float32 activations are supported`);
    const other = held?.get(layout === 'NCHW' ? 'NHWC' : 'NCHW');
    if (!other) throw this.fail(`tensor ${t.name} is used before any operator produces it`);
    const perm = layout === 'NCHW' ? NHWC_TO_NCHW : NCHW_TO_NHWC;
    const name = this.graph.addNode('Transpose', [other], { perm: attr.ints(perm) }, this.baseName(index, layout === 'NCHW' ? '_nchw' : '_nhwc'));
    this.define(index, name, layout);
    return name;
  }

  /** The tensor in whatever layout is cheapest (no transpose), for layout-agnostic ops. */
  anyValue(index: number): { name: string; layout: Layout } {
    const held = this.heldLayout(index);
    const layout = held ?? ConversionContext.workingLayout(this.rank(index));
    return { name: this.value(index, layout), layout };
  }

  #constantValue(index: number, layout: Layout): string {
    const c = this.constant(index);
    if (c.kind === 'float16') throw this.fail(`float16 constant ${this.tensor(index).name} is used without DEQUANTIZE`);
    let name: string;
    if (c.kind === 'float') {
      const data = layout === 'NCHW' ? transposeData(c.data, c.shape, NHWC_TO_NCHW) : c.data;
      const shape = layout === 'NCHW' ? permuteShape(c.shape, NHWC_TO_NCHW) : c.shape;
      name = this.graph.addFloatInitializer(this.baseName(index, layout === 'NCHW' ? '_nchw' : ''), shape, data);
    } else {
      // Integer tensors reach ONNX only as int64 (shapes, axes); int32 arithmetic is not supported.
      throw this.fail(`integer constant ${this.tensor(index).name} used as a data input`);
    }
    this.define(index, name, layout);
    return name;
  }

  readonly #memo = new Map<string, unknown>();

  /** Caches a derived value (e.g. a re-laid-out constant) under `key` for this conversion. */
  memo<T>(key: string, make: () => T): T {
    if (this.#memo.has(key)) return this.#memo.get(key) as T;
    const value = make();
    this.#memo.set(key, value);
    return value;
  }

  /** Float scalar initializer (Clip bounds and the like), shared between nodes. */
  scalar(baseName: string, value: number): string {
    return this.memo(`scalar:${value}`, () => this.graph.addFloatInitializer(baseName, [], [value]));
  }

  /** Applies a TFLite fused activation to `input`; returns the output value name. */
  applyActivation(input: string, activation: Activation, outputBase: string): string {
    switch (activation) {
      case 'NONE':
        return input;
      case 'RELU':
        return this.graph.addNode('Relu', [input], {}, outputBase);
      case 'RELU6':
        return this.graph.addNode('Clip', [input, this.scalar('zero', 0), this.scalar('six', 6)], {}, outputBase);
      case 'RELU_N1_TO_1':
        return this.graph.addNode('Clip', [input, this.scalar('minus_one', -1), this.scalar('one', 1)], {}, outputBase);
      case 'TANH':
        return this.graph.addNode('Tanh', [input], {}, outputBase);
      default:
        throw this.fail(`fused activation ${activation} is not supported`);
    }
  }
}
