/**
 * The allow-list: the only Python names a checkpoint may mention, each mapped to a plain JS
 * function that builds a description (no data is read here). Everything else is refused.
 *
 * - collections.OrderedDict: the state dict itself (and its `_metadata`).
 * - torch._utils._rebuild_tensor_v2 / _rebuild_tensor: a tensor = storage + offset + size + stride.
 * - torch._utils._rebuild_parameter(_with_state): an nn.Parameter saved with keep_vars; we keep its tensor.
 * - torch.<Type>Storage: the storage classes named inside persistent ids.
 */
import {
  ForbiddenGlobalError, PickleFormatError, PyDict, PyTuple, describeValue, isOpaque, type PickleValue, type PyCallable,
} from './pickle-values';
import { STORAGE_TYPES, type StorageRef, type StorageType, type TensorRef } from './tensor-types';

function callable(qualifiedName: string, call: (args: PickleValue[]) => PickleValue): PyCallable {
  return { kind: 'callable', qualifiedName, call };
}

function intTuple(value: PickleValue | undefined, what: string): number[] {
  if (!(value instanceof PyTuple)) throw new PickleFormatError(`a tensor's ${what} is ${value === undefined ? 'missing' : describeValue(value)}, not a tuple`);
  return value.items.map((item) => {
    if (typeof item !== 'number' || !Number.isInteger(item)) throw new PickleFormatError(`a tensor's ${what} holds ${describeValue(item)}`);
    return item;
  });
}

function asStorage(value: PickleValue | undefined): StorageRef {
  if (value !== undefined && isOpaque(value) && value.pyType === 'torch.Storage') return value as StorageRef;
  throw new PickleFormatError(`a tensor built on ${value === undefined ? 'nothing' : describeValue(value)} instead of a storage`);
}

function asTensor(value: PickleValue | undefined, who: string): TensorRef {
  if (value !== undefined && isOpaque(value) && value.pyType === 'torch.Tensor') return value as TensorRef;
  throw new PickleFormatError(`${who} was given ${value === undefined ? 'nothing' : describeValue(value)} instead of a tensor`);
}

function rebuildTensor(args: PickleValue[]): TensorRef {
  const [storage, offset, size, stride] = args;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) throw new PickleFormatError(`a tensor with storage offset ${describeValue(offset ?? null)}`);
  const shape = intTuple(size, 'size');
  const strides = intTuple(stride, 'stride');
  if (shape.length !== strides.length || shape.some((d) => d < 0)) throw new PickleFormatError(`a tensor with size (${shape}) and stride (${strides})`);
  return { kind: 'opaque', pyType: 'torch.Tensor', storage: asStorage(storage), storageOffset: offset, shape, stride: strides };
}

const OBJECTS: Record<string, () => PickleValue> = {
  'collections.OrderedDict': () => callable('collections.OrderedDict', () => new PyDict()),
  'torch._utils._rebuild_tensor_v2': () => callable('torch._utils._rebuild_tensor_v2', rebuildTensor),
  'torch._utils._rebuild_tensor': () => callable('torch._utils._rebuild_tensor', rebuildTensor),
  'torch._utils._rebuild_parameter': () =>
    callable('torch._utils._rebuild_parameter', (args) => asTensor(args[0], 'torch._utils._rebuild_parameter')),
  'torch._utils._rebuild_parameter_with_state': () =>
    callable('torch._utils._rebuild_parameter_with_state', (args) => asTensor(args[0], 'torch._utils._rebuild_parameter_with_state')),
};

export function resolveTorchGlobal(module: string, name: string): PickleValue {
  const qualified = `${module}.${name}`;
  if (module === 'torch' && Object.hasOwn(STORAGE_TYPES, name)) {
    const type: StorageType = { kind: 'opaque', pyType: 'torch.StorageType', dtype: STORAGE_TYPES[name]! };
    return type;
  }
  const make = Object.hasOwn(OBJECTS, qualified) ? OBJECTS[qualified] : undefined;
  if (!make) throw new ForbiddenGlobalError(qualified);
  return make();
}

/** The fields shared by both formats' persistent ids: ('storage', <Type>Storage, key, location, numel, ...). */
export interface StoragePid {
  type: StorageType;
  key: string;
  location: string;
  numel: number;
  rest: PickleValue[];
}

export function parseStoragePid(pid: PickleValue): StoragePid {
  if (!(pid instanceof PyTuple) || pid.items.length < 5) throw new PickleFormatError(`a persistent id that is ${describeValue(pid)}`);
  const [tag, type, key, location, numel, ...rest] = pid.items;
  if (tag === 'module') {
    throw new PickleFormatError('a whole Python module (saved with torch.save(model)) instead of a state dict');
  }
  if (tag !== 'storage') throw new PickleFormatError(`a persistent id of kind ${describeValue(tag ?? null)}`);
  if (!type || !isOpaque(type) || type.pyType !== 'torch.StorageType') throw new PickleFormatError(`a storage of type ${describeValue(type ?? null)}`);
  if (typeof key !== 'string') throw new PickleFormatError(`a storage key that is ${describeValue(key ?? null)}`);
  if (typeof numel !== 'number' || !Number.isInteger(numel) || numel < 0) throw new PickleFormatError(`a storage of ${describeValue(numel ?? null)} elements`);
  return { type: type as StorageType, key, location: typeof location === 'string' ? location : String(location), numel, rest };
}

export function storageRef(key: string, type: StorageType, numel: number, baseOffset = 0): StorageRef {
  return { kind: 'opaque', pyType: 'torch.Storage', key, dtype: type.dtype, numel, baseOffset };
}
