/**
 * An OnnxGraphBuilder whose big weights are produced only when the file is written, one at a time,
 * so converting a 1 GB checkpoint never holds more than one weight tensor in memory. Small
 * constants go into the builder as usual.
 *
 * With `fp16`, big weights are stored as float16 initializers followed by a Cast to float32: the
 * file halves, the graph's arithmetic stays float32 (onnxruntime folds the Casts at load).
 */
import { OnnxDataType, OnnxGraphBuilder, attr, type OnnxDataTypeCode } from '../onnx/graph-builder';
import { encodeFloat16 } from './half-precision';

export interface LazyInitializer {
  name: string;
  dataType: OnnxDataTypeCode;
  dims: number[];
  byteLength: number;
  produce(): Promise<Uint8Array>;
}

export interface LazyGraphOptions {
  fp16?: boolean;
}

const count = (dims: number[]) => dims.reduce((a, b) => a * b, 1);

export class LazyGraph {
  readonly builder: OnnxGraphBuilder;
  readonly lazy: LazyInitializer[] = [];
  readonly fp16: boolean;
  readonly #int64s = new Map<string, string>();

  constructor(name: string, options: LazyGraphOptions = {}) {
    this.builder = new OnnxGraphBuilder(name);
    this.fp16 = options.fp16 === true;
  }

  /** A big float weight, computed at write time; returns a float32 value name. */
  weight(baseName: string, dims: number[], produce: () => Promise<Float32Array>): string {
    const name = this.builder.uniqueName(baseName);
    const elements = count(dims);
    const checked = async () => {
      const values = await produce();
      if (values.length !== elements) throw new Error(`weight ${name}: ${values.length} values for dims [${dims}]`);
      return values;
    };
    if (!this.fp16) {
      this.lazy.push({
        name,
        dataType: OnnxDataType.FLOAT,
        dims,
        byteLength: 4 * elements,
        produce: async () => {
          const values = await checked();
          return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
        },
      });
      return name;
    }
    this.lazy.push({ name, dataType: OnnxDataType.FLOAT16, dims, byteLength: 2 * elements, produce: async () => encodeFloat16(await checked()) });
    return this.builder.addNode('Cast', [name], { to: attr.int(OnnxDataType.FLOAT) }, `${baseName}_f32`);
  }

  /** A small float32 constant, stored now (biases, norm statistics, shapes stay exact in fp16 models too). */
  constant(baseName: string, dims: number[], values: Float32Array | number[]): string {
    return this.builder.addFloatInitializer(baseName, dims, values);
  }

  /** A 1-D int64 constant (shapes, pads, split sizes), shared by every node that needs the same values. */
  int64s(baseName: string, values: number[]): string {
    const key = values.join(',');
    let name = this.#int64s.get(key);
    if (name === undefined) {
      name = this.builder.addInt64Vector(baseName, values);
      this.#int64s.set(key, name);
    }
    return name;
  }

  node(opType: string, inputs: string[], attributes: Parameters<OnnxGraphBuilder['addNode']>[2] = {}, outputName?: string): string {
    return this.builder.addNode(opType, inputs, attributes, outputName);
  }

  /** Bytes the lazy weights will take in the file. */
  get lazyBytes(): number {
    return this.lazy.reduce((sum, init) => sum + init.byteLength, 0);
  }
}
