/**
 * TFLite → ONNX, in TypeScript. The ONNX graph keeps the TFLite model's NHWC inputs and outputs
 * (same names, same shapes) and works in NCHW inside. Every operator, option and fused activation
 * is either converted exactly or refused with a MODEL_INVALID error that names it: a model this
 * converter accepts computes what TFLite computes (to float rounding).
 */
import type { TensorSpec } from '../manifest';
import { OnnxDataType, attr } from '../onnx/graph-builder';
import { unsupported } from '../tflite/options';
import { operatorNames, readTfliteModel, type TfliteOperator } from '../tflite/read-model';
import { TensorType } from '../tflite/schema';
import { ConversionContext } from './conversion-context';
import { NCHW_TO_NHWC } from './layout';
import { convertConv2D, convertDepthwiseConv2D, convertTransposeConvBias } from './ops/conv';
import { convertDequantize } from './ops/dequantize';
import { convertAdd, convertHardSwish, convertLogistic, convertMul, convertPrelu, convertRelu } from './ops/elementwise';
import { convertAveragePool2D, convertMaxPool2D } from './ops/pool';
import { convertResizeBilinear } from './ops/resize';
import { convertConcatenation, convertMean, convertPad, convertReshape, convertStridedSlice } from './ops/shape';

/**
 * Bump when the converter's output changes for the same input (a fix, a different graph), so
 * `npm run models` rebuilds models made by an older converter.
 */
export const CONVERTER_VERSION = '2';

export const ONNX_OPSET = 17;

type OpHandler = (ctx: ConversionContext, op: TfliteOperator) => void;

/** Builtin names and MediaPipe custom codes this converter handles. */
const HANDLERS: Readonly<Record<string, OpHandler>> = {
  ADD: convertAdd,
  AVERAGE_POOL_2D: convertAveragePool2D,
  CONCATENATION: convertConcatenation,
  CONV_2D: convertConv2D,
  DEPTHWISE_CONV_2D: convertDepthwiseConv2D,
  DEQUANTIZE: convertDequantize,
  HARD_SWISH: convertHardSwish,
  LOGISTIC: convertLogistic,
  MAX_POOL_2D: convertMaxPool2D,
  MEAN: convertMean,
  MUL: convertMul,
  PAD: convertPad,
  PRELU: convertPrelu,
  RELU: convertRelu,
  RESHAPE: convertReshape,
  RESIZE_BILINEAR: convertResizeBilinear,
  STRIDED_SLICE: convertStridedSlice,
  Convolution2DTransposeBias: convertTransposeConvBias,
};

export const SUPPORTED_OPS: readonly string[] = Object.keys(HANDLERS).sort();

export interface ConvertOptions {
  /** Graph name and the `source` metadata entry, e.g. the model id. */
  name?: string;
}

export interface ConversionResult {
  onnx: Uint8Array;
  /** The graph inputs: TFLite's names and NHWC shapes, unchanged. */
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** Distinct TFLite operator names in the model (builtin names and custom codes), sorted. */
  ops: string[];
  /** Distinct ONNX op types in the converted graph, sorted. */
  onnxOps: string[];
}

function float32Spec(ctx: ConversionContext, index: number, role: string): TensorSpec {
  const t = ctx.tensor(index);
  if (t.type !== TensorType.FLOAT32 || t.quantized) throw ctx.fail(`graph ${role} ${t.name} is ${t.quantized ? 'quantized ' : ''}${t.typeName}; only float32 is supported`);
  if (t.shape.some((d) => d <= 0)) throw ctx.fail(`graph ${role} ${t.name} has a non-static shape [${t.shape}]`);
  return { name: t.name, shape: [...t.shape], dtype: 'float32' };
}

export function convertTfliteToOnnx(tflite: Uint8Array, opts: ConvertOptions = {}): ConversionResult {
  const model = readTfliteModel(tflite);
  const graphName = opts.name ?? 'tflite_model';
  const ctx = new ConversionContext(model, graphName);
  const g = ctx.graph;

  const inputs = model.inputs.map((index) => float32Spec(ctx, index, 'input'));
  const outputs = model.outputs.map((index) => float32Spec(ctx, index, 'output'));
  const inputNames = new Set(inputs.map((s) => s.name));
  for (const spec of inputs) g.addInput(spec.name, OnnxDataType.FLOAT, spec.shape);
  model.inputs.forEach((index) => ctx.define(index, ctx.tensor(index).name, 'NHWC'));
  for (const spec of outputs) if (!inputNames.has(spec.name)) g.reserveName(spec.name);

  for (const op of model.operators) {
    ctx.currentOp = op;
    const handler = HANDLERS[op.opName];
    if (!handler) {
      throw unsupported(op, op.customCode !== undefined ? `custom operator ${op.customCode} is not supported` : `operator ${op.opName} is not supported (supported: ${SUPPORTED_OPS.join(', ')})`);
    }
    if (op.hasOptions2) throw unsupported(op, 'builtin_options_2 is set, which is not supported');
    if (op.intermediates.length > 0) throw unsupported(op, 'intermediate tensors are not supported');
    if (op.customCode === undefined && op.customOptions && op.customOptions.byteLength > 0) throw unsupported(op, 'a builtin operator with custom options');
    handler(ctx, op);
    for (const out of op.outputs) {
      if (ctx.heldLayout(out) === undefined && !ctx.isConstant(out)) throw unsupported(op, `internal: output ${ctx.tensor(out).name} was not produced`);
    }
  }
  ctx.currentOp = undefined;

  model.outputs.forEach((index, i) => {
    const spec = outputs[i]!;
    if (ctx.heldLayout(index) === 'NCHW' && !ctx.heldLayoutSet(index).has('NHWC')) {
      // Transpose back to NHWC straight into the public name: no extra Identity node.
      g.addNodeNamed('Transpose', [ctx.value(index, 'NCHW')], { perm: attr.ints(NCHW_TO_NHWC) }, spec.name);
      g.addOutput(spec.name, OnnxDataType.FLOAT, spec.shape);
    } else {
      g.addOutput(ctx.value(index, 'NHWC'), OnnxDataType.FLOAT, spec.shape, spec.name);
    }
  });

  const onnx = g.encode({
    producerName: 'seam-tflite2onnx',
    producerVersion: CONVERTER_VERSION,
    opset: ONNX_OPSET,
    docString: `Converted from TFLite by Seam's converter ${CONVERTER_VERSION}.`,
    metadata: { source: graphName, converter: `seam-tflite2onnx ${CONVERTER_VERSION}` },
  });
  return { onnx, inputs, outputs, ops: operatorNames(model), onnxOps: g.opTypes };
}

