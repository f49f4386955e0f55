/** MAX_POOL_2D and AVERAGE_POOL_2D → ONNX MaxPool / AveragePool with explicit pads. */
import { attr } from '../../onnx/graph-builder';
import { pool2DOptions } from '../../tflite/options';
import type { TfliteOperator } from '../../tflite/read-model';
import type { ConversionContext } from '../conversion-context';
import { tflitePadding } from '../padding';
import { expectInputs, expectShape, nhwcShape } from './common';

function convertPool(ctx: ConversionContext, op: TfliteOperator, onnxOp: 'MaxPool' | 'AveragePool'): void {
  const [x] = expectInputs(ctx, op, 1, 1) as [number];
  const out = op.outputs[0]!;
  const o = pool2DOptions(op);
  if (o.strideH < 1 || o.strideW < 1 || o.filterH < 1 || o.filterW < 1) throw ctx.fail(`filter ${o.filterH}×${o.filterW}, strides ${o.strideH}×${o.strideW}`);
  const [n, h, w, c] = nhwcShape(ctx, x);
  const ph = tflitePadding(o.padding, h, o.filterH, o.strideH);
  const pw = tflitePadding(o.padding, w, o.filterW, o.strideW);
  expectShape(ctx, out, [n, ph.outSize, pw.outSize, c]);
  const base = ctx.baseName(out);
  const attributes = {
    kernel_shape: attr.ints([o.filterH, o.filterW]),
    strides: attr.ints([o.strideH, o.strideW]),
    pads: attr.ints([ph.before, pw.before, ph.after, pw.after]),
    // TFLite averages over the pixels inside the image only, as count_include_pad = 0 does.
    ...(onnxOp === 'AveragePool' ? { count_include_pad: attr.int(0) } : {}),
  };
  const y = ctx.graph.addNode(onnxOp, [ctx.value(x, 'NCHW')], attributes, o.activation === 'NONE' ? base : `${base}_preact`);
  ctx.define(out, ctx.applyActivation(y, o.activation, base), 'NCHW');
}

export const convertMaxPool2D = (ctx: ConversionContext, op: TfliteOperator): void => convertPool(ctx, op, 'MaxPool');
export const convertAveragePool2D = (ctx: ConversionContext, op: TfliteOperator): void => convertPool(ctx, op, 'AveragePool');
