/**
 * onnxruntime's view of a model's inputs and outputs, turned into the manifest's TensorSpec and
 * into readable text for error messages.
 */
import type { InferenceSession } from 'onnxruntime-node';
import type { TensorSpec } from '../models/manifest';

/** What an ORT 1.30 session reports for each input/output (`session.inputMetadata`). */
export type ValueMetadata = InferenceSession.ValueMetadata;

/** The part of a session that contract checks read; a plain object works too (tests, docs). */
export interface SessionMetadata {
  readonly inputMetadata: readonly ValueMetadata[];
  readonly outputMetadata: readonly ValueMetadata[];
}

/** A tensor's dtype as ORT names it (e.g. 'float32', 'int64'), or 'non-tensor' for sequences/maps. */
export function dtypeOf(value: ValueMetadata): string {
  return value.isTensor ? value.type : 'non-tensor';
}

/** Shape with symbolic dimensions kept as their names; empty for non-tensors or unknown shapes. */
export function shapeOf(value: ValueMetadata): Array<number | string> {
  return value.isTensor ? [...value.shape] : [];
}

const MANIFEST_DTYPES = new Set(['float32', 'float16', 'int64', 'int32', 'uint8', 'bool']);

/** TensorSpec for the manifest; dtypes the manifest has no name for are refused by the caller's contract first. */
export function toTensorSpec(value: ValueMetadata): TensorSpec {
  const dtype = dtypeOf(value);
  return {
    name: value.name,
    shape: shapeOf(value),
    dtype: (MANIFEST_DTYPES.has(dtype) ? dtype : 'float32') as TensorSpec['dtype'],
  };
}

/** "image float32 [1, 3, 256, 256]". */
export function describeValue(value: ValueMetadata): string {
  if (!value.isTensor) return `${value.name} (not a tensor)`;
  return `${value.name} ${value.type} [${value.shape.join(', ')}]`;
}

/** "2 inputs: a float32 [1, 3], b int64 [1]". */
export function describeValues(values: readonly ValueMetadata[], noun: 'input' | 'output'): string {
  if (values.length === 0) return `no ${noun}s`;
  const plural = values.length === 1 ? noun : `${noun}s`;
  return `${values.length} ${plural}: ${values.map(describeValue).join(', ')}`;
}
