/**
 * Parses a TFLite flatbuffer into plain objects: the first subgraph's tensors and operators, with
 * constant data as views into the file. Option tables stay lazy (`FlatTable`) so the converter
 * reads exactly the fields it understands and can refuse the rest (see `options.ts`).
 */
import { SeamError } from '../../../shared/errors';
import { FlatBufferData, type FlatTable } from './flatbuffer-table';
import {
  BUILTIN_CUSTOM, BufferField, ModelField, OperatorCodeField, OperatorField, QuantizationField, SubGraphField,
  TENSOR_TYPE_NAMES, TensorField, builtinOperatorName,
} from './schema';

export interface TfliteTensor {
  index: number;
  name: string;
  shape: number[];
  /** -1 marks a dynamic dimension; equals `shape` when the model has no signature. */
  shapeSignature: number[];
  type: number;
  typeName: string;
  /** Constant contents (a view into the model bytes), or undefined for activations. */
  data: Uint8Array | undefined;
  /** True when the tensor carries quantization scales (int8/uint8 models; the converter refuses them). */
  quantized: boolean;
  isVariable: boolean;
}

export interface TfliteOperator {
  index: number;
  /** Builtin name (e.g. 'CONV_2D') or, for CUSTOM, the custom code (e.g. 'Convolution2DTransposeBias'). */
  opName: string;
  builtinCode: number;
  customCode: string | undefined;
  version: number;
  /** Tensor indices; -1 marks an omitted optional input. */
  inputs: number[];
  outputs: number[];
  optionsType: number;
  options: FlatTable | undefined;
  customOptions: Uint8Array | undefined;
  /** True when the operator also sets `builtin_options_2` (newer ops); the converter refuses it. */
  hasOptions2: boolean;
  intermediates: number[];
}

export interface TfliteModel {
  schemaVersion: number;
  description: string;
  subgraphCount: number;
  inputs: number[];
  outputs: number[];
  tensors: TfliteTensor[];
  operators: TfliteOperator[];
}

/** `TFL3` at bytes 4..8. */
const FILE_IDENTIFIER = 'TFL3';

export function readTfliteModel(bytes: Uint8Array): TfliteModel {
  if (bytes.byteLength < 8) throw new SeamError('MODEL_INVALID', `Not a TFLite model: only ${bytes.byteLength} bytes.`);
  const identifier = String.fromCharCode(...bytes.subarray(4, 8));
  if (identifier !== FILE_IDENTIFIER) {
    throw new SeamError('MODEL_INVALID', `Not a TFLite model: file identifier is ${JSON.stringify(identifier)}, expected "${FILE_IDENTIFIER}".`);
  }
  const data = new FlatBufferData(bytes);
  const model = data.rootTable();

  const operatorCodes = model.tableVector(ModelField.operator_codes, 'OperatorCode').map((code) => {
    // Codes < 127 live in the one-byte deprecated field; newer files also fill the int32 field.
    const builtinCode = Math.max(code.i8(OperatorCodeField.deprecated_builtin_code, 0), code.i32(OperatorCodeField.builtin_code, 0));
    return { builtinCode, customCode: code.string(OperatorCodeField.custom_code), version: code.i32(OperatorCodeField.version, 1) };
  });

  const buffers = model.tableVector(ModelField.buffers, 'Buffer').map((buffer): Uint8Array | undefined => {
    const inline = buffer.bytes(BufferField.data);
    if (inline && inline.byteLength > 0) return inline;
    // Models over 2 GB keep data after the flatbuffer: offset (> 1) and size relative to the file start.
    const offset = buffer.u64(BufferField.offset, 0);
    const size = buffer.u64(BufferField.size, 0);
    if (offset > 1 && size > 0) {
      data.check(offset, size, 'external buffer');
      return bytes.subarray(offset, offset + size);
    }
    return undefined;
  });

  const subgraphs = model.tableVector(ModelField.subgraphs, 'SubGraph');
  const subgraph = subgraphs[0];
  if (!subgraph) throw new SeamError('MODEL_INVALID', 'TFLite model has no subgraph.');

  const tensors = subgraph.tableVector(SubGraphField.tensors, 'Tensor').map((tensor, index): TfliteTensor => {
    const type = tensor.i8(TensorField.type, 0);
    const bufferIndex = tensor.u32(TensorField.buffer, 0);
    const quantization = tensor.table(TensorField.quantization, 'QuantizationParameters');
    const shape = tensor.i32Vector(TensorField.shape);
    const signature = tensor.i32Vector(TensorField.shape_signature);
    if (tensor.has(TensorField.sparsity)) {
      throw new SeamError('MODEL_INVALID', `TFLite tensor ${index} (${tensor.string(TensorField.name) ?? ''}) is sparse; sparse tensors are not supported.`);
    }
    return {
      index,
      name: tensor.string(TensorField.name) ?? `tensor_${index}`,
      shape,
      shapeSignature: signature.length > 0 ? signature : shape,
      type,
      typeName: TENSOR_TYPE_NAMES[type] ?? `type_${type}`,
      data: bufferIndex > 0 ? buffers[bufferIndex] : undefined,
      quantized: quantization !== undefined && quantization.vectorLength(QuantizationField.scale) > 0,
      isVariable: tensor.bool(TensorField.is_variable, false),
    };
  });

  const operators = subgraph.tableVector(SubGraphField.operators, 'Operator').map((op, index): TfliteOperator => {
    const opcodeIndex = op.u32(OperatorField.opcode_index, 0);
    const code = operatorCodes[opcodeIndex];
    if (!code) throw new SeamError('MODEL_INVALID', `TFLite operator ${index} uses opcode ${opcodeIndex}, but the model lists ${operatorCodes.length}.`);
    const isCustom = code.builtinCode === BUILTIN_CUSTOM;
    const inputs = op.i32Vector(OperatorField.inputs);
    const outputs = op.i32Vector(OperatorField.outputs);
    for (const t of [...inputs, ...outputs]) {
      if (t < -1 || t >= tensors.length) throw new SeamError('MODEL_INVALID', `TFLite operator ${index} refers to tensor ${t}, but the subgraph has ${tensors.length}.`);
    }
    if (op.has(OperatorField.large_custom_options_offset)) {
      throw new SeamError('MODEL_INVALID', `TFLite operator ${index} stores its custom options outside the flatbuffer (large_custom_options), which is not supported.`);
    }
    return {
      index,
      opName: isCustom ? code.customCode ?? 'CUSTOM' : builtinOperatorName(code.builtinCode),
      builtinCode: code.builtinCode,
      customCode: code.customCode,
      version: code.version,
      inputs,
      outputs,
      optionsType: op.u8(OperatorField.builtin_options_type, 0),
      options: op.table(OperatorField.builtin_options, 'BuiltinOptions'),
      customOptions: op.bytes(OperatorField.custom_options),
      hasOptions2: op.u8(OperatorField.builtin_options_2_type, 0) !== 0,
      intermediates: op.i32Vector(OperatorField.intermediates),
    };
  });

  return {
    schemaVersion: model.u32(ModelField.version, 0),
    description: model.string(ModelField.description) ?? '',
    subgraphCount: subgraphs.length,
    inputs: subgraph.i32Vector(SubGraphField.inputs),
    outputs: subgraph.i32Vector(SubGraphField.outputs),
    tensors,
    operators,
  };
}

/** The distinct operator names of a model, sorted; what MODELS.md lists per model. */
export function operatorNames(model: TfliteModel): string[] {
  return [...new Set(model.operators.map((op) => op.opName))].sort();
}
