/**
 * Reads a zip archive's central directory (ZIP64 included) so entries can be read by offset without
 * loading the archive: torch ≥ 1.6 stores each storage as one uncompressed entry.
 */
import { inflateRawSync } from 'node:zlib';
import type { RandomAccessFile } from './random-access-file';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate. */
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

/** Why a zip could not be read; `truncated` when it looks cut short rather than not a zip. */
export class ZipFormatError extends Error {
  override readonly name = 'ZipFormatError';
  constructor(
    message: string,
    readonly truncated: boolean,
  ) {
    super(message);
  }
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function u64(v: DataView, at: number): number {
  const value = v.getBigUint64(at, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError('a zip size beyond 2^53 bytes', false);
  return Number(value);
}

async function findDirectory(file: RandomAccessFile): Promise<{ offset: number; size: number; count: number }> {
  const tailLength = Math.min(file.size, 22 + MAX_COMMENT + 20);
  const tailStart = file.size - tailLength;
  const tail = await file.read(tailStart, tailLength);
  const v = view(tail);
  for (let at = tail.byteLength - 22; at >= 0; at--) {
    if (v.getUint32(at, true) !== EOCD) continue;
    let count = v.getUint16(at + 10, true);
    let size = v.getUint32(at + 12, true);
    let offset = v.getUint32(at + 16, true);
    if ((count === 0xffff || size === 0xffffffff || offset === 0xffffffff) && at >= 20 && v.getUint32(at - 20, true) === ZIP64_LOCATOR) {
      const record = await file.read(u64(v, at - 20 + 8), 56);
      const r = view(record);
      if (record.byteLength < 56 || r.getUint32(0, true) !== ZIP64_EOCD) throw new ZipFormatError('a damaged ZIP64 directory record', true);
      count = u64(r, 32);
      size = u64(r, 40);
      offset = u64(r, 48);
    }
    if (offset + size > file.size) throw new ZipFormatError('its zip directory points past the end of the file', true);
    return { offset, size, count };
  }
  throw new ZipFormatError('no zip directory at the end of the file', true);
}

/** Every entry in the central directory. */
export async function readZipDirectory(file: RandomAccessFile): Promise<Map<string, ZipEntry>> {
  const { offset, size, count } = await findDirectory(file);
  const directory = await file.read(offset, size);
  const v = view(directory);
  const entries = new Map<string, ZipEntry>();
  const decoder = new TextDecoder();
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directory.byteLength || v.getUint32(at, true) !== CENTRAL) throw new ZipFormatError('a damaged zip directory', false);
    const method = v.getUint16(at + 10, true);
    let compressedSize = v.getUint32(at + 20, true);
    let uncompressedSize = v.getUint32(at + 24, true);
    const nameLength = v.getUint16(at + 28, true);
    const extraLength = v.getUint16(at + 30, true);
    const commentLength = v.getUint16(at + 32, true);
    let localHeaderOffset = v.getUint32(at + 42, true);
    const name = decoder.decode(directory.subarray(at + 46, at + 46 + nameLength));
    // ZIP64 extended information: the 64-bit values, in this order, for each field that overflowed.
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = v.getUint16(extra, true);
      const length = v.getUint16(extra + 2, true);
      if (id === 0x0001) {
        let field = extra + 4;
        if (uncompressedSize === 0xffffffff) { uncompressedSize = u64(v, field); field += 8; }
        if (compressedSize === 0xffffffff) { compressedSize = u64(v, field); field += 8; }
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = u64(v, field);
      }
      extra += 4 + length;
    }
    entries.set(name, { name, method, compressedSize, size: uncompressedSize, localHeaderOffset });
    at = extraEnd + commentLength;
  }
  return entries;
}

/** Where an entry's bytes start (after its local header, whose extra field torch uses for alignment). */
export async function entryDataOffset(file: RandomAccessFile, entry: ZipEntry): Promise<number> {
  const header = await file.read(entry.localHeaderOffset, 30);
  const v = view(header);
  if (header.byteLength < 30 || v.getUint32(0, true) !== LOCAL) throw new ZipFormatError(`a damaged zip entry header for ${entry.name}`, header.byteLength < 30);
  const start = entry.localHeaderOffset + 30 + v.getUint16(26, true) + v.getUint16(28, true);
  if (start + entry.compressedSize > file.size) throw new ZipFormatError(`the entry ${entry.name} runs past the end of the file`, true);
  return start;
}

/** A whole (small) entry, inflated when it was deflated. */
export async function readZipEntry(file: RandomAccessFile, entry: ZipEntry): Promise<Uint8Array> {
  const start = await entryDataOffset(file, entry);
  const raw = await file.read(start, entry.compressedSize);
  if (entry.method === 0) return raw;
  if (entry.method === 8) return new Uint8Array(inflateRawSync(raw));
  throw new ZipFormatError(`the entry ${entry.name} uses zip compression method ${entry.method}`, false);
}
