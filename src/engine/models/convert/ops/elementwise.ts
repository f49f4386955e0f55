/** ADD, MUL, PRELU (broadcasting binaries) and RELU, LOGISTIC, HARD_SWISH (layout-agnostic unaries). */
import { attr } from '../../onnx/graph-builder';
import { addOptions, expectNoOptions, mulOptions, type Activation } from '../../tflite/options';
import type { TfliteOperator } from '../../tflite/read-model';
import type { ConversionContext, Layout } from '../conversion-context';
import { NHWC_TO_NCHW, permuteShape, transposeData } from '../layout';
import { expectInputs } from './common';

/**
 * Tensor `index` ready to broadcast against a rank-`outRank` result computed in `layout`. TFLite
 * broadcasts NHWC shapes right-aligned, so a lower-rank operand (a per-channel [C] or [1,1,C]
 * vector) is first padded to 4-D NHWC, then permuted like the data: [C] → [1,C,1,1].
 */
export function broadcastOperand(ctx: ConversionContext, index: number, layout: Layout): string {
  const shape = ctx.shape(index);
  if (layout === 'NHWC' || shape.length === 4) return ctx.value(index, layout);
  if (shape.length === 0 || shape.every((d) => d === 1)) {
    return ctx.value(index, 'NHWC'); // scalars and all-ones broadcast the same in any layout
  }
  if (shape.length > 4) throw ctx.fail(`operand ${ctx.tensor(index).name} of rank ${shape.length} cannot broadcast against a 4-D tensor`);
  const shape4 = [...new Array<number>(4 - shape.length).fill(1), ...shape];
  return ctx.memo(`broadcast-nchw:${index}`, () => {
    const base = ctx.baseName(index, '_nchw');
    if (ctx.isConstant(index)) {
      const c = ctx.floatConstant(index);
      return ctx.graph.addFloatInitializer(base, permuteShape(shape4, NHWC_TO_NCHW), transposeData(c.data, shape4, NHWC_TO_NCHW));
    }
    const reshaped = ctx.graph.addNode('Reshape', [ctx.value(index, 'NHWC'), ctx.graph.addInt64Vector(`${base}_shape`, shape4)], {}, `${base}_4d`);
    return ctx.graph.addNode('Transpose', [reshaped], { perm: attr.ints(NHWC_TO_NCHW) }, base);
  });
}

function convertBinary(ctx: ConversionContext, op: TfliteOperator, onnxOp: 'Add' | 'Mul' | 'PRelu', activation: Activation): void {
  const [a, b] = expectInputs(ctx, op, 2, 2) as [number, number];
  const out = op.outputs[0]!;
  const layout: Layout = ctx.rank(out) === 4 ? 'NCHW' : 'NHWC';
  if (onnxOp === 'PRelu' && ctx.rank(a) !== ctx.rank(out)) throw ctx.fail(`PRELU input rank ${ctx.rank(a)} differs from output rank ${ctx.rank(out)}`);
  const base = ctx.baseName(out);
  const y = ctx.graph.addNode(onnxOp, [broadcastOperand(ctx, a, layout), broadcastOperand(ctx, b, layout)], {}, activation === 'NONE' ? base : `${base}_preact`);
  ctx.define(out, ctx.applyActivation(y, activation, base), layout);
}

export const convertAdd = (ctx: ConversionContext, op: TfliteOperator): void => convertBinary(ctx, op, 'Add', addOptions(op).activation);
export const convertMul = (ctx: ConversionContext, op: TfliteOperator): void => convertBinary(ctx, op, 'Mul', mulOptions(op).activation);

/**
 * PRELU: f(x) = x ≥ 0 ? x : α·x. With a constant per-channel α on a 4-D tensor (every MediaPipe
 * model), it is emitted as α·x + (1−α)·relu(x) with the two products as depthwise 1×1 convs:
 * onnxruntime's CPU PRelu is slow and makes it insert layout reorders around each one, while
 * these convs join the NCHWc convolution path. Measured on face_landmark (23 PRelus): 3.5 → 1.6 ms.
 * Any other α falls back to ONNX PRelu, which is exact for every shape.
 */
export function convertPrelu(ctx: ConversionContext, op: TfliteOperator): void {
  expectNoOptions(op);
  const [x, alpha] = expectInputs(ctx, op, 2, 2) as [number, number];
  const out = op.outputs[0]!;
  const channels = ctx.rank(out) === 4 ? ctx.shape(out)[3]! : 0;
  const slope = channels > 0 && ctx.rank(x) === 4 && ctx.isConstant(alpha) ? perChannelSlope(ctx, alpha, channels) : null;
  if (!slope) {
    convertBinary(ctx, op, 'PRelu', 'NONE');
    return;
  }
  const base = ctx.baseName(out);
  const input = ctx.value(x, 'NCHW');
  const depthwise = (name: string, weights: Float32Array, source: string) =>
    ctx.graph.addNode(
      'Conv',
      [source, ctx.graph.addFloatInitializer(`${base}_${name}`, [channels, 1, 1, 1], weights)],
      { group: attr.int(channels), kernel_shape: attr.ints([1, 1]) },
      `${base}_${name}_out`,
    );
  const scaled = depthwise('alpha', slope, input);
  const positive = depthwise('one_minus_alpha', slope.map((a) => 1 - a), ctx.graph.addNode('Relu', [input], {}, `${base}_relu`));
  ctx.define(out, ctx.graph.addNode('Add', [scaled, positive], {}, base), 'NCHW');
}

/** α as one value per channel when it is constant and varies along the channel axis only. */
function perChannelSlope(ctx: ConversionContext, alpha: number, channels: number): Float32Array | null {
  const shape = ctx.shape(alpha);
  const c = ctx.constant(alpha);
  if (c.kind !== 'float') return null;
  const nonUnit = shape.filter((d) => d !== 1);
  if (nonUnit.length === 0) return new Float32Array(channels).fill(c.data[0]!);
  if (nonUnit.length === 1 && shape.at(-1) === channels) return c.data.slice();
  return null;
}

function convertUnary(ctx: ConversionContext, op: TfliteOperator, onnxOp: string, attributes = {}): void {
  const [x] = expectInputs(ctx, op, 1, 1) as [number];
  const out = op.outputs[0]!;
  const input = ctx.anyValue(x);
  ctx.define(out, ctx.graph.addNode(onnxOp, [input.name], attributes, ctx.baseName(out)), input.layout);
}

export function convertRelu(ctx: ConversionContext, op: TfliteOperator): void {
  expectNoOptions(op);
  convertUnary(ctx, op, 'Relu');
}

export function convertLogistic(ctx: ConversionContext, op: TfliteOperator): void {
  expectNoOptions(op);
  convertUnary(ctx, op, 'Sigmoid');
}

/** TFLite x·relu6(x+3)/6 is ONNX HardSwish (alpha 1/6, beta 0.5; no attributes in opset 14+). */
export function convertHardSwish(ctx: ConversionContext, op: TfliteOperator): void {
  expectNoOptions(op, 'HardSwishOptions');
  convertUnary(ctx, op, 'HardSwish');
}
