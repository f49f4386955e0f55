/** What both checkpoint formats give the tensor reader: the unpickled root object and the storage bytes. */
import type { PickleValue } from './pickle-values';

export interface StorageRecords {
  /** Bytes the record `key` holds, or undefined when the file has no such record. */
  byteLength(key: string): number | undefined;
  /** `length` bytes at `offset` inside record `key` (the caller has checked the range). */
  read(key: string, offset: number, length: number): Promise<Uint8Array>;
}

export interface ParsedCheckpoint {
  format: 'legacy' | 'zip';
  root: PickleValue;
  records: StorageRecords;
}

/** A structural problem in the file; `truncated` when the file looks cut short. */
export class CheckpointFormatError extends Error {
  override readonly name = 'CheckpointFormatError';
  constructor(
    message: string,
    readonly truncated = false,
  ) {
    super(message);
  }
}
