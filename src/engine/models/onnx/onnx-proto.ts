/**
 * The ONNX messages Seam writes, as plain TypeScript types, and their encoding with the field
 * numbers of the public `onnx.proto` (proto2). Only what a self-contained inference model needs:
 * no external data, sparse tensors, functions or training info.
 */
import { ProtoWriter } from './protobuf-writer';

/** TensorProto.DataType. */
export const OnnxDataType = {
  FLOAT: 1, UINT8: 2, INT8: 3, UINT16: 4, INT16: 5, INT32: 6, INT64: 7, STRING: 8, BOOL: 9, FLOAT16: 10, DOUBLE: 11,
} as const;
export type OnnxDataTypeCode = (typeof OnnxDataType)[keyof typeof OnnxDataType];

export interface OnnxTensor {
  name: string;
  dataType: OnnxDataTypeCode;
  dims: number[];
  /** Little-endian element bytes (TensorProto.raw_data). */
  rawData: Uint8Array;
}

export type OnnxAttribute =
  | { kind: 'float'; value: number }
  | { kind: 'int'; value: number | bigint }
  | { kind: 'string'; value: string }
  | { kind: 'tensor'; value: OnnxTensor }
  | { kind: 'floats'; value: number[] }
  | { kind: 'ints'; value: Array<number | bigint> }
  | { kind: 'strings'; value: string[] };

export interface OnnxNode {
  opType: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, OnnxAttribute>;
  domain?: string;
}

export interface OnnxValueInfo {
  name: string;
  elemType: OnnxDataTypeCode;
  /** Fixed sizes as numbers, symbolic dimensions as strings. */
  shape: Array<number | string>;
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  valueInfo?: OnnxValueInfo[];
  docString?: string;
}

export interface OnnxModel {
  graph: OnnxGraph;
  irVersion: number;
  opsets: Array<{ domain: string; version: number }>;
  producerName: string;
  producerVersion: string;
  docString?: string;
  /** ModelProto.metadata_props: shown by Netron, readable from ORT's session metadata. */
  metadata?: Record<string, string>;
}

// Field numbers from onnx.proto.
const Model = { ir_version: 1, producer_name: 2, producer_version: 3, domain: 4, model_version: 5, doc_string: 6, graph: 7, opset_import: 8, metadata_props: 14 } as const;
const OperatorSetId = { domain: 1, version: 2 } as const;
const StringStringEntry = { key: 1, value: 2 } as const;
const Graph = { node: 1, name: 2, initializer: 5, doc_string: 10, input: 11, output: 12, value_info: 13 } as const;
const Node = { input: 1, output: 2, name: 3, op_type: 4, attribute: 5, doc_string: 6, domain: 7 } as const;
const Attribute = { name: 1, f: 2, i: 3, s: 4, t: 5, floats: 7, ints: 8, strings: 9, type: 20 } as const;
const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;
const Tensor = { dims: 1, data_type: 2, name: 8, raw_data: 9 } as const;
const ValueInfo = { name: 1, type: 2 } as const;
const TypeProto = { tensor_type: 1 } as const;
const TypeTensor = { elem_type: 1, shape: 2 } as const;
const TensorShape = { dim: 1 } as const;
const Dimension = { dim_value: 1, dim_param: 2 } as const;

function encodeTensor(t: OnnxTensor): ProtoWriter {
  const w = new ProtoWriter();
  w.repeatedInts(Tensor.dims, t.dims);
  w.int(Tensor.data_type, t.dataType);
  w.string(Tensor.name, t.name);
  w.bytes(Tensor.raw_data, t.rawData);
  return w;
}

function encodeAttribute(name: string, a: OnnxAttribute): ProtoWriter {
  const w = new ProtoWriter();
  w.string(Attribute.name, name);
  switch (a.kind) {
    case 'float': w.float(Attribute.f, a.value); w.int(Attribute.type, AttributeType.FLOAT); break;
    case 'int': w.int(Attribute.i, a.value); w.int(Attribute.type, AttributeType.INT); break;
    case 'string': w.string(Attribute.s, a.value); w.int(Attribute.type, AttributeType.STRING); break;
    case 'tensor': w.message(Attribute.t, encodeTensor(a.value)); w.int(Attribute.type, AttributeType.TENSOR); break;
    case 'floats': w.repeatedFloats(Attribute.floats, a.value); w.int(Attribute.type, AttributeType.FLOATS); break;
    case 'ints': w.repeatedInts(Attribute.ints, a.value); w.int(Attribute.type, AttributeType.INTS); break;
    case 'strings': for (const s of a.value) w.string(Attribute.strings, s); w.int(Attribute.type, AttributeType.STRINGS); break;
  }
  return w;
}

function encodeNode(n: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const input of n.inputs) w.string(Node.input, input);
  for (const output of n.outputs) w.string(Node.output, output);
  w.string(Node.name, n.name);
  w.string(Node.op_type, n.opType);
  for (const [name, attribute] of Object.entries(n.attributes)) w.message(Node.attribute, encodeAttribute(name, attribute));
  if (n.domain) w.string(Node.domain, n.domain);
  return w;
}

function encodeValueInfo(v: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.shape) {
    const dim = new ProtoWriter();
    if (typeof d === 'number') dim.int(Dimension.dim_value, d);
    else dim.string(Dimension.dim_param, d);
    shape.message(TensorShape.dim, dim);
  }
  const tensorType = new ProtoWriter();
  tensorType.int(TypeTensor.elem_type, v.elemType);
  tensorType.message(TypeTensor.shape, shape);
  const type = new ProtoWriter();
  type.message(TypeProto.tensor_type, tensorType);
  const w = new ProtoWriter();
  w.string(ValueInfo.name, v.name);
  w.message(ValueInfo.type, type);
  return w;
}

function encodeGraph(g: OnnxGraph): ProtoWriter {
  const w = new ProtoWriter();
  for (const n of g.nodes) w.message(Graph.node, encodeNode(n));
  w.string(Graph.name, g.name);
  for (const t of g.initializers) w.message(Graph.initializer, encodeTensor(t));
  if (g.docString) w.string(Graph.doc_string, g.docString);
  for (const v of g.inputs) w.message(Graph.input, encodeValueInfo(v));
  for (const v of g.outputs) w.message(Graph.output, encodeValueInfo(v));
  for (const v of g.valueInfo ?? []) w.message(Graph.value_info, encodeValueInfo(v));
  return w;
}

/** Serialises a ModelProto. */
export function encodeModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.int(Model.ir_version, model.irVersion);
  w.string(Model.producer_name, model.producerName);
  w.string(Model.producer_version, model.producerVersion);
  if (model.docString) w.string(Model.doc_string, model.docString);
  w.message(Model.graph, encodeGraph(model.graph));
  for (const opset of model.opsets) {
    const o = new ProtoWriter();
    if (opset.domain) o.string(OperatorSetId.domain, opset.domain);
    o.int(OperatorSetId.version, opset.version);
    w.message(Model.opset_import, o);
  }
  for (const [key, value] of Object.entries(model.metadata ?? {})) {
    const e = new ProtoWriter();
    e.string(StringStringEntry.key, key);
    e.string(StringStringEntry.value, value);
    w.message(Model.metadata_props, e);
  }
  return w.finish();
}
