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

/** PRELU: f(x) = x ≥ 0 ? x : α·x, as ONNX PRelu; α [1,1,C] becomes a [1,C,1,1] slope. */
export function convertPrelu(ctx: ConversionContext, op: TfliteOperator): void {
  expectNoOptions(op);
  convertBinary(ctx, op, 'PRelu', 'NONE');
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
