/**
 * The legacy (pre-zip) torch.save format, which torch ≤ 1.5 wrote by default (SEAN pins torch 1.2):
 *
 *   pickle(magic 0x1950a86a20f9469cfc6c) pickle(1001) pickle(sys_info)
 *   pickle(obj)            storages appear as persistent ids ('storage', <Type>Storage, key, location, numel, view)
 *   pickle([key, ...])     the storage keys, in the order their records follow
 *   per key: int64 numel, then numel × element size bytes (little-endian)
 *
 * Only the pickles are read up front; each record's offset is computed from the numels the
 * persistent ids declare, so tensors are read later by offset, one at a time.
 */
import { unpickle } from './pickle-vm';
import { PickleFormatError, PickleTruncatedError, PyDict, PyTuple, type PickleValue } from './pickle-values';
import type { RandomAccessFile } from './random-access-file';
import { CheckpointFormatError, type ParsedCheckpoint, type StorageRecords } from './storage-records';
import { parseStoragePid, resolveTorchGlobal, storageRef } from './torch-globals';
import { DTYPE_BYTES, type TorchDType } from './tensor-types';

export const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const PROTOCOL_VERSION = 1001;
const FIRST_CHUNK = 1 << 20;

/** The file starts with a pickle PROTO opcode: the only way a legacy checkpoint can start. */
export function startsLikePickle(head: Uint8Array): boolean {
  return head.byteLength >= 2 && head[0] === 0x80 && head[1]! >= 2 && head[1]! <= 5;
}

interface Pickles {
  root: PickleValue;
  keys: PickleValue;
  dataStart: number;
  storages: Map<string, { dtype: TorchDType; numel: number }>;
}

function parsePickles(bytes: Uint8Array): Pickles {
  const storages = new Map<string, { dtype: TorchDType; numel: number }>();
  const plain = {
    resolveGlobal: resolveTorchGlobal,
    persistentLoad: (): PickleValue => {
      throw new PickleFormatError('a persistent id outside the main object');
    },
  };
  const magic = unpickle(bytes, 0, plain);
  if (magic.value !== LEGACY_MAGIC) throw new CheckpointFormatError('it is a Python pickle, but not one torch.save wrote (no torch magic number)');
  const version = unpickle(bytes, magic.end, plain);
  if (version.value !== PROTOCOL_VERSION) throw new CheckpointFormatError(`it uses torch's legacy format version ${String(version.value)}; Seam reads version ${PROTOCOL_VERSION}`);
  const sysInfo = unpickle(bytes, version.end, plain);
  if (sysInfo.value instanceof PyDict && sysInfo.value.entries.get('little_endian') === false) {
    throw new CheckpointFormatError('it was saved on a big-endian machine, which Seam does not read');
  }
  const main = unpickle(bytes, sysInfo.end, {
    resolveGlobal: resolveTorchGlobal,
    persistentLoad: (pid) => {
      const { type, key, numel, rest } = parseStoragePid(pid);
      const known = storages.get(key);
      if (known && (known.dtype !== type.dtype || known.numel !== numel)) throw new PickleFormatError(`storage ${key} is declared twice with different types or sizes`);
      storages.set(key, { dtype: type.dtype, numel });
      const view = rest[0];
      if (view === undefined || view === null) return storageRef(key, type, numel);
      // Old files could save a view (view_key, offset, size) of a root storage.
      const [, offset, size] = view instanceof PyTuple ? view.items : [];
      if (typeof offset !== 'number' || typeof size !== 'number' || offset < 0 || offset + size > numel) throw new PickleFormatError(`a storage view of ${key} out of range`);
      return storageRef(key, type, size, offset);
    },
  });
  const keys = unpickle(bytes, main.end, plain);
  return { root: main.value, keys: keys.value, dataStart: keys.end, storages };
}

/** Reads pickles from a growing prefix of the file until they parse (they are small; the storages are not). */
async function readPickles(file: RandomAccessFile): Promise<Pickles> {
  for (let length = Math.min(FIRST_CHUNK, file.size); ; length = Math.min(length * 4, file.size)) {
    const bytes = await file.read(0, length);
    try {
      return parsePickles(bytes);
    } catch (error) {
      if (!(error instanceof PickleTruncatedError)) throw error;
      if (length >= file.size) throw new CheckpointFormatError('the file ends inside its pickled data', true);
    }
  }
}

export async function parseLegacyCheckpoint(file: RandomAccessFile): Promise<ParsedCheckpoint> {
  const { root, keys, dataStart, storages } = await readPickles(file);
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) throw new CheckpointFormatError('its list of storage keys is malformed');

  const records = new Map<string, { offset: number; byteLength: number }>();
  let at = dataStart;
  for (const key of keys as string[]) {
    const storage = storages.get(key);
    if (!storage) throw new CheckpointFormatError(`it lists a storage ${key} that no tensor uses`);
    const byteLength = storage.numel * DTYPE_BYTES[storage.dtype];
    records.set(key, { offset: at + 8, byteLength });
    at += 8 + byteLength;
  }
  if (at > file.size) {
    throw new CheckpointFormatError(`its tensor data needs ${at} bytes but the file has ${file.size} (${at - file.size} missing)`, true);
  }
  // Each record starts with its element count: a cheap check that the offsets are right.
  for (const key of keys as string[]) {
    const record = records.get(key)!;
    const header = await file.read(record.offset - 8, 8);
    const numel = new DataView(header.buffer, header.byteOffset, 8).getBigInt64(0, true);
    if (numel !== BigInt(storages.get(key)!.numel)) {
      throw new CheckpointFormatError(`the record of storage ${key} says ${numel} elements where its tensor says ${storages.get(key)!.numel}`);
    }
  }

  const source: StorageRecords = {
    byteLength: (key) => records.get(key)?.byteLength,
    read: (key, offset, length) => file.read(records.get(key)!.offset + offset, length),
  };
  return { format: 'legacy', root, records: source };
}
