/**
 * A small builder for ONNX graphs: initializers, nodes, graph inputs and outputs, with unique
 * value names. The TFLite converter uses it, and so can hand-built graphs (image warps, pre- and
 * post-processing) that should run in onnxruntime next to the models.
 *
 *   const g = new OnnxGraphBuilder('warp');
 *   g.addInput('image', OnnxDataType.FLOAT, [1, 3, 'h', 'w']);
 *   const two = g.addFloatInitializer('two', [], [2]);
 *   const y = g.addNode('Mul', ['image', two]);
 *   g.addOutput(y, OnnxDataType.FLOAT, [1, 3, 'h', 'w'], 'doubled');
 *   const bytes = encodeModel(g.toModel());
 */
import {
  OnnxDataType, encodeModel, type OnnxAttribute, type OnnxDataTypeCode, type OnnxGraph, type OnnxModel, type OnnxNode,
  type OnnxTensor, type OnnxValueInfo,
} from './onnx-proto';

export { OnnxDataType, encodeModel };
export type { OnnxAttribute, OnnxDataTypeCode, OnnxGraph, OnnxModel, OnnxNode, OnnxTensor, OnnxValueInfo };

export const DEFAULT_OPSET = 17;
export const DEFAULT_IR_VERSION = 8;

/** Typed constructors for node attributes (ONNX distinguishes int from float attributes). */
export const attr = {
  int: (value: number | bigint): OnnxAttribute => ({ kind: 'int', value }),
  float: (value: number): OnnxAttribute => ({ kind: 'float', value }),
  string: (value: string): OnnxAttribute => ({ kind: 'string', value }),
  ints: (value: Array<number | bigint>): OnnxAttribute => ({ kind: 'ints', value }),
  floats: (value: number[]): OnnxAttribute => ({ kind: 'floats', value }),
  strings: (value: string[]): OnnxAttribute => ({ kind: 'strings', value }),
  tensor: (value: OnnxTensor): OnnxAttribute => ({ kind: 'tensor', value }),
};

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The little-endian bytes of a typed array, as TensorProto.raw_data wants them. */
export function littleEndianBytes(data: Float32Array | Int32Array | BigInt64Array | Uint8Array): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN || data.BYTES_PER_ELEMENT === 1) return bytes.slice();
  const out = new Uint8Array(bytes.byteLength);
  const size = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < bytes.byteLength; i += size) for (let b = 0; b < size; b++) out[i + b] = bytes[i + size - 1 - b]!;
  return out;
}

function elementCount(dims: number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

export class OnnxGraphBuilder {
  readonly name: string;
  readonly #nodes: OnnxNode[] = [];
  readonly #initializers: OnnxTensor[] = [];
  readonly #inputs: OnnxValueInfo[] = [];
  readonly #outputs: OnnxValueInfo[] = [];
  readonly #names = new Set<string>();
  readonly #reserved = new Set<string>();
  readonly #opTypes = new Set<string>();

  constructor(name: string) {
    this.name = name;
  }

  /** Reserves and returns a value name not used yet: `base`, else `base_1`, `base_2`, … */
  uniqueName(base: string): string {
    const clean = base.length > 0 ? base : 'value';
    let name = clean;
    for (let i = 1; this.#names.has(name); i++) name = `${clean}_${i}`;
    this.#names.add(name);
    return name;
  }

  /** Holds `name` back from `uniqueName` so a later `addNodeNamed` can produce exactly that value. */
  reserveName(name: string): void {
    if (this.#names.has(name)) throw new Error(`ONNX graph ${this.name}: name ${name} is already used`);
    this.#names.add(name);
    this.#reserved.add(name);
  }

  /** Graph input with an exact name (throws if the name is taken: inputs are a contract). */
  addInput(name: string, elemType: OnnxDataTypeCode, shape: Array<number | string>): string {
    if (this.#names.has(name)) throw new Error(`ONNX graph ${this.name}: input name ${name} is already used`);
    this.#names.add(name);
    this.#inputs.push({ name, elemType, shape });
    return name;
  }

  /**
   * Graph output. When `exportName` differs from `value`, an Identity node gives the value its
   * public name, so internal names never constrain the contract.
   */
  addOutput(value: string, elemType: OnnxDataTypeCode, shape: Array<number | string>, exportName = value): string {
    if (exportName !== value) {
      if (this.#reserved.has(exportName)) this.#reserved.delete(exportName);
      else if (this.#names.has(exportName)) throw new Error(`ONNX graph ${this.name}: output name ${exportName} is already used`);
      this.#names.add(exportName);
      this.#pushNode('Identity', [value], [exportName], {});
    }
    this.#outputs.push({ name: exportName, elemType, shape });
    return exportName;
  }

  addInitializer(baseName: string, dataType: OnnxDataTypeCode, dims: number[], rawData: Uint8Array): string {
    const name = this.uniqueName(baseName);
    this.#initializers.push({ name, dataType, dims: [...dims], rawData });
    return name;
  }

  addFloatInitializer(baseName: string, dims: number[], values: Float32Array | number[]): string {
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    if (data.length !== elementCount(dims)) throw new Error(`initializer ${baseName}: ${data.length} values for dims [${dims}]`);
    return this.addInitializer(baseName, OnnxDataType.FLOAT, dims, littleEndianBytes(data));
  }

  addInt64Initializer(baseName: string, dims: number[], values: Array<number | bigint>): string {
    if (values.length !== elementCount(dims)) throw new Error(`initializer ${baseName}: ${values.length} values for dims [${dims}]`);
    return this.addInitializer(baseName, OnnxDataType.INT64, dims, littleEndianBytes(BigInt64Array.from(values, (v) => BigInt(v))));
  }

  /** A 1-D int64 constant, the common case for shapes, axes and pads. */
  addInt64Vector(baseName: string, values: Array<number | bigint>): string {
    return this.addInt64Initializer(baseName, [values.length], values);
  }

  /** Adds a node with one output and returns that output's name. '' in `inputs` skips an optional input. */
  addNode(opType: string, inputs: string[], attributes: Record<string, OnnxAttribute> = {}, outputName?: string): string {
    const output = this.uniqueName(outputName ?? opType.toLowerCase());
    this.#pushNode(opType, inputs, [output], attributes);
    return output;
  }

  /** Adds a node whose single output gets exactly `reservedName` (see `reserveName`). */
  addNodeNamed(opType: string, inputs: string[], attributes: Record<string, OnnxAttribute>, reservedName: string): string {
    if (!this.#reserved.delete(reservedName)) throw new Error(`ONNX graph ${this.name}: ${reservedName} was not reserved (or is already produced)`);
    this.#pushNode(opType, inputs, [reservedName], attributes);
    return reservedName;
  }

  /** Adds a node with several outputs. */
  addNodeMulti(opType: string, inputs: string[], outputBaseNames: string[], attributes: Record<string, OnnxAttribute> = {}): string[] {
    const outputs = outputBaseNames.map((n) => this.uniqueName(n));
    this.#pushNode(opType, inputs, outputs, attributes);
    return outputs;
  }

  #pushNode(opType: string, inputs: string[], outputs: string[], attributes: Record<string, OnnxAttribute>): void {
    this.#opTypes.add(opType);
    this.#nodes.push({ opType, name: `${opType}_${this.#nodes.length}`, inputs, outputs, attributes });
  }

  /** The ONNX op types used so far, sorted. */
  get opTypes(): string[] {
    return [...this.#opTypes].sort();
  }

  get nodeCount(): number {
    return this.#nodes.length;
  }

  toGraph(docString?: string): OnnxGraph {
    return {
      name: this.name,
      nodes: [...this.#nodes],
      initializers: [...this.#initializers],
      inputs: [...this.#inputs],
      outputs: [...this.#outputs],
      ...(docString ? { docString } : {}),
    };
  }

  toModel(options: { producerName?: string; producerVersion?: string; opset?: number; docString?: string; metadata?: Record<string, string> } = {}): OnnxModel {
    return {
      graph: this.toGraph(),
      irVersion: DEFAULT_IR_VERSION,
      opsets: [{ domain: '', version: options.opset ?? DEFAULT_OPSET }],
      producerName: options.producerName ?? 'seam',
      producerVersion: options.producerVersion ?? '0',
      ...(options.docString ? { docString: options.docString } : {}),
      ...(options.metadata ? { metadata: options.metadata } : {}),
    };
  }

  encode(options?: Parameters<OnnxGraphBuilder['toModel']>[0]): Uint8Array {
    return encodeModel(this.toModel(options));
  }
}
