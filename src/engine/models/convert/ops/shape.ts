/** RESHAPE, CONCATENATION, PAD, MEAN, STRIDED_SLICE: the layout-sensitive ops. */
import { attr } from '../../onnx/graph-builder';
import { concatenationOptions, expectNoOptions, reducerOptions, reshapeOptions, stridedSliceOptions } from '../../tflite/options';
import type { TfliteOperator } from '../../tflite/read-model';
import type { ConversionContext, Layout } from '../conversion-context';
import { nhwcAxisToNchw, normaliseAxis } from '../layout';
import { expectInputs } from './common';

/** Reshape works on row-major NHWC order, so it runs on the TFLite layout; the result's shape is the model's own. */
export function convertReshape(ctx: ConversionContext, op: TfliteOperator): void {
  const [x] = expectInputs(ctx, op, 1, 2) as [number];
  const out = op.outputs[0]!;
  reshapeOptions(op); // read for validation only: the static output shape decides
  const shape = ctx.shape(out);
  if (shape.some((d) => d <= 0)) throw ctx.fail(`output shape [${shape}] is not static`);
  const inCount = ctx.shape(x).reduce((a, b) => a * b, 1);
  const outCount = shape.reduce((a, b) => a * b, 1);
  if (inCount !== outCount) throw ctx.fail(`reshape of ${inCount} elements to [${shape}]`);
  const base = ctx.baseName(out);
  const y = ctx.graph.addNode('Reshape', [ctx.value(x, 'NHWC'), ctx.graph.addInt64Vector(`${base}_shape`, shape)], {}, base);
  ctx.define(out, y, 'NHWC');
}

export function convertConcatenation(ctx: ConversionContext, op: TfliteOperator): void {
  if (op.inputs.length < 1 || op.outputs.length !== 1 || op.inputs.some((i) => i < 0)) throw ctx.fail('needs ≥ 1 input and 1 output');
  const out = op.outputs[0]!;
  const o = concatenationOptions(op);
  const rank = ctx.rank(out);
  const nhwcAxis = normaliseAxis(o.axis, rank);
  const layout: Layout = rank === 4 ? 'NCHW' : 'NHWC';
  const axis = rank === 4 ? nhwcAxisToNchw(nhwcAxis) : nhwcAxis;
  const base = ctx.baseName(out);
  const inputs = op.inputs.map((i) => ctx.value(i, layout));
  const y = ctx.graph.addNode('Concat', inputs, { axis: attr.int(axis) }, o.activation === 'NONE' ? base : `${base}_preact`);
  ctx.define(out, ctx.applyActivation(y, o.activation, base), layout);
}

/** PAD with zeros; paddings [rank, 2] in NHWC order become ONNX [begins…, ends…] in NCHW order. */
export function convertPad(ctx: ConversionContext, op: TfliteOperator): void {
  const [x, paddings] = expectInputs(ctx, op, 2, 2) as [number, number];
  expectNoOptions(op, 'PadOptions');
  const out = op.outputs[0]!;
  const rank = ctx.rank(x);
  const p = ctx.intConstant(paddings);
  if (p.length !== rank * 2) throw ctx.fail(`paddings has ${p.length} values for rank ${rank}`);
  if (p.some((v) => v < 0)) throw ctx.fail(`negative paddings [${p}]`);
  const layout: Layout = rank === 4 ? 'NCHW' : 'NHWC';
  const order = rank === 4 ? [0, 3, 1, 2] : [...Array(rank).keys()]; // ONNX axis k ← TFLite axis order[k]
  const pads = [...order.map((a) => p[2 * a]!), ...order.map((a) => p[2 * a + 1]!)];
  const base = ctx.baseName(out);
  const y = ctx.graph.addNode('Pad', [ctx.value(x, layout), ctx.graph.addInt64Vector(`${base}_pads`, pads)], { mode: attr.string('constant') }, base);
  ctx.define(out, y, layout);
}

/** MEAN → ReduceMean (opset 17 takes axes as an attribute). */
export function convertMean(ctx: ConversionContext, op: TfliteOperator): void {
  const [x, axesTensor] = expectInputs(ctx, op, 2, 2) as [number, number];
  const out = op.outputs[0]!;
  const { keepDims } = reducerOptions(op);
  const rank = ctx.rank(x);
  const axes = [...new Set(ctx.intConstant(axesTensor).map((a) => normaliseAxis(a, rank)))].sort((a, b) => a - b);
  const base = ctx.baseName(out);
  if (rank === 4 && keepDims) {
    const y = ctx.graph.addNode('ReduceMean', [ctx.value(x, 'NCHW')], { axes: attr.ints(axes.map(nhwcAxisToNchw)), keepdims: attr.int(1) }, base);
    ctx.define(out, y, 'NCHW');
    return;
  }
  // Dropping axes changes which layout the rest is in, so reduce in TFLite's own layout.
  const y = ctx.graph.addNode('ReduceMean', [ctx.value(x, 'NHWC')], { axes: attr.ints(axes), keepdims: attr.int(keepDims ? 1 : 0) }, base);
  ctx.define(out, y, 'NHWC');
}

const INT64_MAX = 0x7fffffffffffffffn;
const INT64_MIN = -0x8000000000000000n;

/** STRIDED_SLICE with constant begin/end/strides; masks resolved at conversion time. */
export function convertStridedSlice(ctx: ConversionContext, op: TfliteOperator): void {
  const [x, beginT, endT, stridesT] = expectInputs(ctx, op, 4, 4) as [number, number, number, number];
  const out = op.outputs[0]!;
  const o = stridedSliceOptions(op);
  if (o.ellipsisMask || o.newAxisMask) throw ctx.fail(`ellipsis_mask ${o.ellipsisMask} / new_axis_mask ${o.newAxisMask} are not supported`);
  if (o.offset) throw ctx.fail('offset=true is not supported');
  const shape = ctx.shape(x);
  const rank = shape.length;
  const begin = ctx.intConstant(beginT);
  const end = ctx.intConstant(endT);
  const strides = ctx.intConstant(stridesT);
  if (begin.length !== rank || end.length !== rank || strides.length !== rank) throw ctx.fail(`begin/end/strides lengths ${begin.length}/${end.length}/${strides.length} for rank ${rank}`);
  const starts: bigint[] = [];
  const ends: bigint[] = [];
  const steps: bigint[] = [];
  const squeeze: number[] = [];
  for (let i = 0; i < rank; i++) {
    const bit = 1 << i;
    const step = strides[i]!;
    if (step === 0) throw ctx.fail(`stride 0 on axis ${i}`);
    if (o.shrinkAxisMask & bit) {
      // TFLite takes the single element at begin (end and stride are ignored).
      const b = begin[i]! < 0 ? begin[i]! + shape[i]! : begin[i]!;
      starts.push(BigInt(b));
      ends.push(BigInt(b + 1));
      steps.push(1n);
      squeeze.push(i);
      continue;
    }
    starts.push(o.beginMask & bit ? (step > 0 ? 0n : INT64_MAX) : BigInt(begin[i]!));
    ends.push(o.endMask & bit ? (step > 0 ? INT64_MAX : INT64_MIN) : BigInt(end[i]!));
    steps.push(BigInt(step));
  }
  const base = ctx.baseName(out);
  const useNchw = rank === 4 && squeeze.length === 0;
  const layout: Layout = useNchw ? 'NCHW' : 'NHWC';
  const axes = [...Array(rank).keys()].map((a) => (useNchw ? nhwcAxisToNchw(a) : a));
  const g = ctx.graph;
  let y = g.addNode('Slice', [
    ctx.value(x, layout),
    g.addInt64Vector(`${base}_starts`, starts),
    g.addInt64Vector(`${base}_ends`, ends),
    g.addInt64Vector(`${base}_axes`, axes),
    g.addInt64Vector(`${base}_steps`, steps),
  ], {}, squeeze.length ? `${base}_unsqueezed` : base);
  if (squeeze.length) y = g.addNode('Squeeze', [y, g.addInt64Vector(`${base}_squeeze_axes`, squeeze)], {}, base);
  ctx.define(out, y, ctx.rank(out) === 4 ? layout : 'NHWC');
}
