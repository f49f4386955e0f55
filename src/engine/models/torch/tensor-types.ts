/** Torch tensors as a checkpoint describes them: a dtype, a storage (by key) and a strided view into it. */
import type { PyOpaque } from './pickle-values';

export type TorchDType = 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

export const DTYPE_BYTES: Record<TorchDType, number> = {
  float32: 4, float64: 8, float16: 2, bfloat16: 2, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1,
};

/** torch.<Name>Storage → element type; the classes torch.save names in its persistent ids. */
export const STORAGE_TYPES: Record<string, TorchDType> = {
  FloatStorage: 'float32',
  DoubleStorage: 'float64',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
};

/** The value GLOBAL torch.FloatStorage (etc.) resolves to. */
export interface StorageType extends PyOpaque {
  readonly pyType: 'torch.StorageType';
  readonly dtype: TorchDType;
}

/**
 * One storage as a tensor sees it: the record `key` in the file, its element type, and the
 * element range of that record the view covers (old legacy files could save views into a storage).
 */
export interface StorageRef extends PyOpaque {
  readonly pyType: 'torch.Storage';
  readonly key: string;
  readonly dtype: TorchDType;
  /** Elements the tensor may address, starting at `baseOffset` in the record. */
  readonly numel: number;
  readonly baseOffset: number;
}

export interface TensorRef extends PyOpaque {
  readonly pyType: 'torch.Tensor';
  readonly storage: StorageRef;
  readonly storageOffset: number;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function isContiguous(shape: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    if (shape[axis]! !== 1 && stride[axis] !== expected) return false;
    expected *= shape[axis]!;
  }
  return true;
}

/** [first, last + 1) element of the storage a strided view touches (relative to the view's offset). */
export function elementSpan(shape: readonly number[], stride: readonly number[]): { min: number; max: number } {
  let min = 0;
  let max = 0;
  for (let axis = 0; axis < shape.length; axis++) {
    if (shape[axis] === 0) return { min: 0, max: 0 };
    const reach = (shape[axis]! - 1) * stride[axis]!;
    if (reach < 0) min += reach;
    else max += reach;
  }
  return { min, max: max + 1 };
}
