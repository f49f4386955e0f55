/** CONV_2D, DEPTHWISE_CONV_2D and MediaPipe's custom Convolution2DTransposeBias → ONNX Conv / ConvTranspose. */
import { attr } from '../../onnx/graph-builder';
import { conv2DOptions, depthwiseConv2DOptions, transposeConvBiasOptions } from '../../tflite/options';
import type { TfliteOperator } from '../../tflite/read-model';
import type { ConversionContext } from '../conversion-context';
import { transposeData } from '../layout';
import { tflitePadding } from '../padding';
import { expectInputs, expectShape, nhwcShape } from './common';

function biasInitializer(ctx: ConversionContext, index: number | undefined, channels: number, base: string): string | undefined {
  if (index === undefined || index < 0) return undefined;
  const bias = ctx.floatConstant(index);
  if (bias.data.length !== channels) throw ctx.fail(`bias has ${bias.data.length} values for ${channels} output channels`);
  return ctx.graph.addFloatInitializer(`${base}_bias`, [channels], bias.data);
}

function checkStrides(ctx: ConversionContext, strideH: number, strideW: number, dilationH = 1, dilationW = 1): void {
  if (strideH < 1 || strideW < 1) throw ctx.fail(`strides ${strideH}×${strideW}`);
  if (dilationH < 1 || dilationW < 1) throw ctx.fail(`dilations ${dilationH}×${dilationW}`);
}

export function convertConv2D(ctx: ConversionContext, op: TfliteOperator): void {
  const [x, w, b] = expectInputs(ctx, op, 2, 3) as [number, number, number | undefined];
  const out = op.outputs[0]!;
  const o = conv2DOptions(op);
  checkStrides(ctx, o.strideH, o.strideW, o.dilationH, o.dilationW);
  const [n, h, wIn, c] = nhwcShape(ctx, x);
  const weights = ctx.floatConstant(w); // OHWI
  const [outC, kh, kw, inPerGroup] = weights.shape as [number, number, number, number];
  if (weights.shape.length !== 4 || c % inPerGroup !== 0) throw ctx.fail(`weights [${weights.shape}] do not fit input channels ${c}`);
  const ph = tflitePadding(o.padding, h, kh, o.strideH, o.dilationH);
  const pw = tflitePadding(o.padding, wIn, kw, o.strideW, o.dilationW);
  expectShape(ctx, out, [n, ph.outSize, pw.outSize, outC]);
  const base = ctx.baseName(out);
  const weight = ctx.graph.addFloatInitializer(`${base}_weight`, [outC, inPerGroup, kh, kw], transposeData(weights.data, weights.shape, [0, 3, 1, 2]));
  const bias = biasInitializer(ctx, b, outC, base);
  const conv = ctx.graph.addNode('Conv', [ctx.value(x, 'NCHW'), weight, ...(bias ? [bias] : [])], {
    kernel_shape: attr.ints([kh, kw]),
    strides: attr.ints([o.strideH, o.strideW]),
    dilations: attr.ints([o.dilationH, o.dilationW]),
    pads: attr.ints([ph.before, pw.before, ph.after, pw.after]),
    group: attr.int(c / inPerGroup),
  }, o.activation === 'NONE' ? base : `${base}_preact`);
  ctx.define(out, ctx.applyActivation(conv, o.activation, base), 'NCHW');
}

export function convertDepthwiseConv2D(ctx: ConversionContext, op: TfliteOperator): void {
  const [x, w, b] = expectInputs(ctx, op, 2, 3) as [number, number, number | undefined];
  const out = op.outputs[0]!;
  const o = depthwiseConv2DOptions(op);
  checkStrides(ctx, o.strideH, o.strideW, o.dilationH, o.dilationW);
  const [n, h, wIn, c] = nhwcShape(ctx, x);
  const weights = ctx.floatConstant(w); // 1 × H × W × (C·multiplier)
  const [one, kh, kw, outC] = weights.shape as [number, number, number, number];
  if (weights.shape.length !== 4 || one !== 1 || outC % c !== 0) throw ctx.fail(`depthwise weights [${weights.shape}] do not fit input channels ${c}`);
  const multiplier = outC / c;
  // depth_multiplier is deprecated in newer files (may be 0); the weight shape decides.
  if (o.depthMultiplier !== 0 && o.depthMultiplier !== multiplier) throw ctx.fail(`depth_multiplier ${o.depthMultiplier} disagrees with weights [${weights.shape}]`);
  const ph = tflitePadding(o.padding, h, kh, o.strideH, o.dilationH);
  const pw = tflitePadding(o.padding, wIn, kw, o.strideW, o.dilationW);
  expectShape(ctx, out, [n, ph.outSize, pw.outSize, outC]);
  const base = ctx.baseName(out);
  // TFLite output channel k = input channel ⌊k / M⌋, multiplier k mod M: the same order as ONNX
  // grouped Conv with group = C and M outputs per group, so 1HW(C·M) → (C·M)1HW is a plain transpose.
  const weight = ctx.graph.addFloatInitializer(`${base}_weight`, [outC, 1, kh, kw], transposeData(weights.data, weights.shape, [3, 0, 1, 2]));
  const bias = biasInitializer(ctx, b, outC, base);
  const conv = ctx.graph.addNode('Conv', [ctx.value(x, 'NCHW'), weight, ...(bias ? [bias] : [])], {
    kernel_shape: attr.ints([kh, kw]),
    strides: attr.ints([o.strideH, o.strideW]),
    dilations: attr.ints([o.dilationH, o.dilationW]),
    pads: attr.ints([ph.before, pw.before, ph.after, pw.after]),
    group: attr.int(c),
  }, o.activation === 'NONE' ? base : `${base}_preact`);
  ctx.define(out, ctx.applyActivation(conv, o.activation, base), 'NCHW');
}

/**
 * MediaPipe `Convolution2DTransposeBias`: inputs (x, weights OHWI, bias). TFLite scatters
 * out[y·s − pad_before + ky] += x[y]·w[ky] with pad_before from SAME padding of a forward conv
 * that maps the output size back to the input size; that is ONNX ConvTranspose's definition with
 * weights (I, O, kH, kW) and no kernel flip. The end pad is whatever makes ONNX produce exactly
 * TFLite's output size.
 */
export function convertTransposeConvBias(ctx: ConversionContext, op: TfliteOperator): void {
  const [x, w, b] = expectInputs(ctx, op, 3, 3) as [number, number, number];
  const out = op.outputs[0]!;
  const o = transposeConvBiasOptions(op);
  const [, h, wIn, c] = nhwcShape(ctx, x);
  const weights = ctx.floatConstant(w);
  const [outC, kh, kw, inC] = weights.shape as [number, number, number, number];
  if (weights.shape.length !== 4 || inC !== c) throw ctx.fail(`transpose-conv weights [${weights.shape}] do not fit input channels ${c}`);
  const [, outH, outW, outC2] = nhwcShape(ctx, out);
  if (outC2 !== outC) throw ctx.fail(`output channels ${outC2} ≠ weight output channels ${outC}`);
  const pads = [h, wIn].map((inSize, axis) => {
    const outSize = axis === 0 ? outH : outW;
    const k = axis === 0 ? kh : kw;
    const s = axis === 0 ? o.strideH : o.strideW;
    const forward = tflitePadding(o.padding, outSize, k, s);
    if (forward.outSize !== inSize) throw ctx.fail(`output size ${outSize} does not map back to input size ${inSize} with kernel ${k}, stride ${s}, ${o.padding}`);
    const full = s * (inSize - 1) + k;
    const end = full - forward.before - outSize;
    return { begin: forward.before, end: Math.max(end, 0), outputPadding: Math.max(-end, 0) };
  }) as [{ begin: number; end: number; outputPadding: number }, { begin: number; end: number; outputPadding: number }];
  const base = ctx.baseName(out);
  const weight = ctx.graph.addFloatInitializer(`${base}_weight`, [inC, outC, kh, kw], transposeData(weights.data, weights.shape, [3, 0, 1, 2]));
  const bias = biasInitializer(ctx, b, outC, base);
  const attributes = {
    kernel_shape: attr.ints([kh, kw]),
    strides: attr.ints([o.strideH, o.strideW]),
    pads: attr.ints([pads[0].begin, pads[1].begin, pads[0].end, pads[1].end]),
    ...(pads[0].outputPadding || pads[1].outputPadding ? { output_padding: attr.ints([pads[0].outputPadding, pads[1].outputPadding]) } : {}),
  };
  const y = ctx.graph.addNode('ConvTranspose', [ctx.value(x, 'NCHW'), weight, ...(bias ? [bias] : [])], attributes, base);
  ctx.define(out, y, 'NCHW');
}
