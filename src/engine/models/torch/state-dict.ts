/** Finds the state dict (parameter name → tensor) in an unpickled checkpoint. */
import { SeamError } from '../../../shared/errors';
import { PyDict, describeValue, isOpaque, type PickleValue } from './pickle-values';
import type { TensorRef } from './tensor-types';

/** Keys some training scripts wrap a state dict in. */
const WRAPPERS = ['state_dict', 'model', 'model_state_dict', 'netG', 'generator'];

function isTensor(value: PickleValue): value is TensorRef {
  return isOpaque(value) && value.pyType === 'torch.Tensor';
}

function tensorsOf(dict: PyDict): Map<string, TensorRef> | null {
  const tensors = new Map<string, TensorRef>();
  for (const [key, value] of dict.entries) {
    if (typeof key !== 'string' || !isTensor(value)) return null;
    tensors.set(key, value);
  }
  return tensors.size > 0 ? tensors : null;
}

/**
 * The state dict: the root dict when every value is a tensor, else the one under a usual wrapper
 * key. DataParallel's 'module.' prefix is removed when every key has it.
 */
export function stateDictTensors(root: PickleValue, label: string): Map<string, TensorRef> {
  let tensors: Map<string, TensorRef> | null = null;
  if (root instanceof PyDict) {
    tensors = tensorsOf(root);
    for (const key of WRAPPERS) {
      if (tensors) break;
      const inner = root.entries.get(key);
      if (inner instanceof PyDict) tensors = tensorsOf(inner);
    }
  }
  if (!tensors) {
    throw new SeamError(
      'BAD_INPUT',
      `${label} is not a PyTorch checkpoint Seam can read: it holds ${root === null ? 'None' : describeValue(root)} rather than a state dict (parameter names → tensors).`,
      { file: label },
    );
  }
  const names = [...tensors.keys()];
  if (names.every((n) => n.startsWith('module.'))) {
    return new Map([...tensors].map(([name, ref]) => [name.slice('module.'.length), ref]));
  }
  return tensors;
}
