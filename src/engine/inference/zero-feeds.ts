/**
 * Zero-filled inputs of a model's declared shapes: the warm-up run, the latency probe and the
 * import check all need "some valid input" without knowing what the model does.
 */
import { Tensor } from 'onnxruntime-node';
import { SeamError } from '../../shared/errors';
import type { TensorSpec } from '../models/manifest';
import type { ValueMetadata } from './tensor-metadata';

/**
 * Sizes for symbolic dimensions nobody declared: 1 for the batch axis; for the others a size
 * divisible by the strides of common conv nets (32), small enough to keep warm-up cheap.
 */
const BATCH_SIZE = 1;
const SPATIAL_FALLBACK = 64;

export type Feeds = Record<string, Tensor>;

function zeroData(type: Tensor.Type, length: number): Tensor.DataType {
  switch (type) {
    case 'float32':
      return new Float32Array(length);
    case 'float64':
      return new Float64Array(length);
    case 'float16':
    case 'uint16':
      return new Uint16Array(length);
    case 'int64':
      return new BigInt64Array(length);
    case 'uint64':
      return new BigUint64Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'uint32':
      return new Uint32Array(length);
    case 'int16':
      return new Int16Array(length);
    case 'int8':
    case 'int4':
      return new Int8Array(length);
    case 'uint8':
    case 'bool':
    case 'uint4':
      return new Uint8Array(length);
    case 'string':
      return new Array<string>(length).fill('');
  }
}

/** Concrete dims: the metadata's fixed sizes, else the manifest's declared ones, else the fallbacks. */
export function concreteDims(meta: ValueMetadata & { isTensor: true }, declared?: TensorSpec): number[] {
  return meta.shape.map((dim, axis) => {
    if (typeof dim === 'number') return dim;
    const fromManifest = declared?.shape[axis];
    if (typeof fromManifest === 'number') return fromManifest;
    return axis === 0 ? BATCH_SIZE : SPATIAL_FALLBACK;
  });
}

export function zeroFeeds(inputMetadata: readonly ValueMetadata[], declared: readonly TensorSpec[] = []): Feeds {
  const feeds: Feeds = {};
  for (const meta of inputMetadata) {
    if (!meta.isTensor) {
      throw new SeamError('MODEL_INVALID', `Input "${meta.name}" is not a tensor; Seam only feeds tensors.`);
    }
    const dims = concreteDims(meta, declared.find((spec) => spec.name === meta.name));
    const length = dims.reduce((n, d) => n * d, 1);
    feeds[meta.name] = new Tensor(meta.type, zeroData(meta.type, length) as never, dims);
  }
  return feeds;
}
