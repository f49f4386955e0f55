/**
 * Typed readers for the builtin option tables the converter understands. Each reader names the
 * fields it knows; a field it does not know that is present in the file means the model relies on
 * behaviour we do not implement, so it throws rather than convert to a silently different graph.
 */
import { SeamError } from '../../../shared/errors';
import type { FlatTable } from './flatbuffer-table';
import type { TfliteOperator } from './read-model';
import { ACTIVATION_NAMES, BuiltinOptionsType } from './schema';

export function unsupported(op: TfliteOperator, detail: string): SeamError {
  return new SeamError('MODEL_INVALID', `Cannot convert TFLite operator #${op.index} ${op.opName}: ${detail}.`, { op: op.opName, operatorIndex: op.index });
}

/**
 * Returns the option table after checking its union type and that only `knownFields` are set.
 * An operator with no options at all (type NONE) is accepted: every field takes its default.
 */
function optionsTable(op: TfliteOperator, typeName: keyof typeof BuiltinOptionsType, knownFields: readonly string[]): FlatTable | undefined {
  const expected = BuiltinOptionsType[typeName];
  if (op.optionsType === BuiltinOptionsType.NONE) return undefined;
  if (op.optionsType !== expected) throw unsupported(op, `options of union type ${op.optionsType}, expected ${typeName} (${expected})`);
  const table = op.options;
  if (!table) throw unsupported(op, `${typeName} declared but missing`);
  for (const id of table.presentFieldIds()) {
    if (id >= knownFields.length) throw unsupported(op, `${typeName} sets field #${id}, which this converter does not know`);
  }
  return table;
}

/** For operators whose options table is empty in the schema (or absent): refuse anything set. */
export function expectNoOptions(op: TfliteOperator, typeName?: keyof typeof BuiltinOptionsType): void {
  if (op.optionsType === BuiltinOptionsType.NONE) return;
  if (typeName) {
    optionsTable(op, typeName, []);
    return;
  }
  throw unsupported(op, `unexpected builtin options of union type ${op.optionsType}`);
}

export type Activation = (typeof ACTIVATION_NAMES)[number];

function activation(op: TfliteOperator, code: number): Activation {
  const name = ACTIVATION_NAMES[code];
  if (name === undefined) throw unsupported(op, `unknown fused activation function ${code}`);
  return name;
}

export type PaddingKind = 'SAME' | 'VALID';

function padding(op: TfliteOperator, code: number): PaddingKind {
  if (code === 0) return 'SAME';
  if (code === 1) return 'VALID';
  throw unsupported(op, `unknown padding ${code}`);
}

export interface Conv2DOptions { padding: PaddingKind; strideW: number; strideH: number; activation: Activation; dilationW: number; dilationH: number }

export function conv2DOptions(op: TfliteOperator): Conv2DOptions {
  const t = optionsTable(op, 'Conv2DOptions', ['padding', 'stride_w', 'stride_h', 'fused_activation_function', 'dilation_w_factor', 'dilation_h_factor']);
  return {
    padding: padding(op, t?.i8(0, 0) ?? 0), // Padding : byte
    strideW: t?.i32(1, 0) ?? 0,
    strideH: t?.i32(2, 0) ?? 0,
    activation: activation(op, t?.i8(3, 0) ?? 0), // ActivationFunctionType : byte
    dilationW: t?.i32(4, 1) ?? 1,
    dilationH: t?.i32(5, 1) ?? 1,
  };
}

export interface DepthwiseConv2DOptions extends Conv2DOptions { depthMultiplier: number }

export function depthwiseConv2DOptions(op: TfliteOperator): DepthwiseConv2DOptions {
  const t = optionsTable(op, 'DepthwiseConv2DOptions', ['padding', 'stride_w', 'stride_h', 'depth_multiplier', 'fused_activation_function', 'dilation_w_factor', 'dilation_h_factor']);
  return {
    padding: padding(op, t?.i8(0, 0) ?? 0),
    strideW: t?.i32(1, 0) ?? 0,
    strideH: t?.i32(2, 0) ?? 0,
    depthMultiplier: t?.i32(3, 0) ?? 0,
    activation: activation(op, t?.i8(4, 0) ?? 0),
    dilationW: t?.i32(5, 1) ?? 1,
    dilationH: t?.i32(6, 1) ?? 1,
  };
}

export interface Pool2DOptions { padding: PaddingKind; strideW: number; strideH: number; filterW: number; filterH: number; activation: Activation }

export function pool2DOptions(op: TfliteOperator): Pool2DOptions {
  const t = optionsTable(op, 'Pool2DOptions', ['padding', 'stride_w', 'stride_h', 'filter_width', 'filter_height', 'fused_activation_function']);
  return {
    padding: padding(op, t?.i8(0, 0) ?? 0),
    strideW: t?.i32(1, 0) ?? 0,
    strideH: t?.i32(2, 0) ?? 0,
    filterW: t?.i32(3, 0) ?? 0,
    filterH: t?.i32(4, 0) ?? 0,
    activation: activation(op, t?.i8(5, 0) ?? 0),
  };
}

export function concatenationOptions(op: TfliteOperator): { axis: number; activation: Activation } {
  const t = optionsTable(op, 'ConcatenationOptions', ['axis', 'fused_activation_function']);
  return { axis: t?.i32(0, 0) ?? 0, activation: activation(op, t?.i8(1, 0) ?? 0) };
}

export function addOptions(op: TfliteOperator): { activation: Activation } {
  // pot_scale_int16 (field 1) only matters for int16 quantized kernels, which we refuse elsewhere.
  const t = optionsTable(op, 'AddOptions', ['fused_activation_function', 'pot_scale_int16']);
  return { activation: activation(op, t?.i8(0, 0) ?? 0) };
}

export function mulOptions(op: TfliteOperator): { activation: Activation } {
  const t = optionsTable(op, 'MulOptions', ['fused_activation_function']);
  return { activation: activation(op, t?.i8(0, 0) ?? 0) };
}

export function resizeBilinearOptions(op: TfliteOperator): { alignCorners: boolean; halfPixelCenters: boolean } {
  // Fields 0/1 (new_height/new_width) are deprecated: the size input tensor decides.
  const t = optionsTable(op, 'ResizeBilinearOptions', ['new_height', 'new_width', 'align_corners', 'half_pixel_centers']);
  return { alignCorners: t?.bool(2, false) ?? false, halfPixelCenters: t?.bool(3, false) ?? false };
}

export function reshapeOptions(op: TfliteOperator): { newShape: number[] } {
  const t = optionsTable(op, 'ReshapeOptions', ['new_shape']);
  return { newShape: t?.i32Vector(0) ?? [] };
}

export function reducerOptions(op: TfliteOperator): { keepDims: boolean } {
  const t = optionsTable(op, 'ReducerOptions', ['keep_dims']);
  return { keepDims: t?.bool(0, false) ?? false };
}

export interface StridedSliceOptions { beginMask: number; endMask: number; ellipsisMask: number; newAxisMask: number; shrinkAxisMask: number; offset: boolean }

export function stridedSliceOptions(op: TfliteOperator): StridedSliceOptions {
  const t = optionsTable(op, 'StridedSliceOptions', ['begin_mask', 'end_mask', 'ellipsis_mask', 'new_axis_mask', 'shrink_axis_mask', 'offset']);
  return {
    beginMask: t?.i32(0, 0) ?? 0,
    endMask: t?.i32(1, 0) ?? 0,
    ellipsisMask: t?.i32(2, 0) ?? 0,
    newAxisMask: t?.i32(3, 0) ?? 0,
    shrinkAxisMask: t?.i32(4, 0) ?? 0,
    offset: t?.bool(5, false) ?? false,
  };
}

/**
 * MediaPipe's `Convolution2DTransposeBias` keeps its options as a raw C struct
 * (TfLiteTransposeConvParams: int32 padding, stride_width, stride_height), not FlexBuffers.
 * Its padding uses the C enum TfLitePadding: 0 unknown, 1 SAME, 2 VALID.
 */
export function transposeConvBiasOptions(op: TfliteOperator): { padding: PaddingKind; strideW: number; strideH: number } {
  const raw = op.customOptions;
  if (!raw || raw.byteLength !== 12) throw unsupported(op, `custom options are ${raw?.byteLength ?? 0} bytes, expected the 12-byte {padding, stride_w, stride_h} struct`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const code = view.getInt32(0, true);
  const strideW = view.getInt32(4, true);
  const strideH = view.getInt32(8, true);
  if (code !== 1 && code !== 2) throw unsupported(op, `padding code ${code} in custom options (expected 1 SAME or 2 VALID)`);
  if (strideW < 1 || strideH < 1) throw unsupported(op, `strides ${strideW}×${strideH} in custom options`);
  return { padding: code === 1 ? 'SAME' : 'VALID', strideW, strideH };
}
