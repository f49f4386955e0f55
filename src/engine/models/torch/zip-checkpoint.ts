/**
 * The zip format torch.save has written by default since torch 1.6:
 *
 *   <archive>/data.pkl      the pickled object; storages are persistent ids ('storage', <Type>Storage, key, location, numel)
 *   <archive>/data/<key>    each storage's bytes, stored uncompressed (and 64-byte aligned)
 *   <archive>/version, <archive>/byteorder (newer versions)
 *
 * Entries are read by offset, so no storage is loaded before a tensor asks for it.
 */
import { unpickle } from './pickle-vm';
import { PickleTruncatedError } from './pickle-values';
import type { RandomAccessFile } from './random-access-file';
import { CheckpointFormatError, type ParsedCheckpoint, type StorageRecords } from './storage-records';
import { parseStoragePid, resolveTorchGlobal, storageRef } from './torch-globals';
import { entryDataOffset, readZipDirectory, readZipEntry, type ZipEntry } from './zip-directory';

/** A zip file starts with a local file header. */
export function startsLikeZip(head: Uint8Array): boolean {
  return head.byteLength >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

function findPickle(entries: Map<string, ZipEntry>): { prefix: string; entry: ZipEntry } {
  const candidates = [...entries.values()].filter((e) => /^[^/]+\/data\.pkl$/.test(e.name));
  if (candidates.length !== 1) {
    throw new CheckpointFormatError(candidates.length === 0 ? 'it is a zip archive without the data.pkl that torch.save writes' : 'it is a zip archive with several data.pkl files');
  }
  const entry = candidates[0]!;
  return { prefix: entry.name.slice(0, -'/data.pkl'.length), entry };
}

export async function parseZipCheckpoint(file: RandomAccessFile): Promise<ParsedCheckpoint> {
  const entries = await readZipDirectory(file);
  const { prefix, entry } = findPickle(entries);
  const byteorder = entries.get(`${prefix}/byteorder`);
  if (byteorder) {
    const order = new TextDecoder().decode(await readZipEntry(file, byteorder)).trim();
    if (order !== 'little') throw new CheckpointFormatError(`its tensors are stored ${order}-endian, which Seam does not read`);
  }
  const pickle = await readZipEntry(file, entry);
  let root;
  try {
    root = unpickle(pickle, 0, {
      resolveGlobal: resolveTorchGlobal,
      persistentLoad: (pid) => {
        const { type, key, numel } = parseStoragePid(pid);
        return storageRef(key, type, numel);
      },
    }).value;
  } catch (error) {
    if (error instanceof PickleTruncatedError) throw new CheckpointFormatError('its data.pkl ends early', true);
    throw error;
  }

  const dataOffsets = new Map<string, number>();
  const entryFor = (key: string) => entries.get(`${prefix}/data/${key}`);
  const records: StorageRecords = {
    byteLength: (key) => entryFor(key)?.size,
    read: async (key, offset, length) => {
      const record = entryFor(key)!;
      if (record.method !== 0) return (await readZipEntry(file, record)).subarray(offset, offset + length);
      let start = dataOffsets.get(key);
      if (start === undefined) {
        start = await entryDataOffset(file, record);
        dataOffsets.set(key, start);
      }
      return file.read(start + offset, length);
    },
  };
  return { format: 'zip', root, records };
}
