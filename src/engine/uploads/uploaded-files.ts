/**
 * Files the page sent in chunks (a clip, a checkpoint), kept in the engine's own folder
 * (<dataDir>/uploads) under ids the engine chose, so no call ever names a path on disk. An
 * upload is written to `<id>.part` and renamed when its last byte arrives; a file of a past run
 * is removed when the next engine starts. Bounded: at most MAX_ACTIVE_UPLOADS unfinished uploads
 * and MAX_KEPT_FILES finished files (the oldest is dropped first).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { SeamError } from '../../shared/errors';
import { removeStaleEntries } from '../fs/stale-entries';

export const MAX_ACTIVE_UPLOADS = 4;
export const MAX_KEPT_FILES = 8;

interface ActiveUpload {
  name: string;
  size: number;
  received: number;
  partPath: string;
  handle: FileHandle;
  /** Chunks are written one at a time; a second call waits for the one before it. */
  busy: Promise<unknown>;
}

export interface UploadedFile {
  id: string;
  /** The file's own name (no folder), for messages and output names. */
  name: string;
  size: number;
  /** Where the engine keeps it: inside the uploads folder, never a path the page gave. */
  path: string;
}

export class UploadedFiles {
  readonly #folder: string;
  readonly #active = new Map<string, ActiveUpload>();
  readonly #files = new Map<string, UploadedFile>();

  constructor(dataDir: string) {
    this.#folder = join(dataDir, 'uploads');
    mkdirSync(this.#folder, { recursive: true });
    removeStaleEntries(this.#folder);
  }

  async begin(name: string, size: number): Promise<string> {
    if (this.#active.size >= MAX_ACTIVE_UPLOADS) {
      throw new SeamError('BAD_INPUT', `${MAX_ACTIVE_UPLOADS} uploads are already under way; finish or discard one first.`);
    }
    const uploadId = `up-${randomBytes(6).toString('hex')}`;
    const partPath = join(this.#folder, `${uploadId}.part`);
    const handle = await open(partPath, 'wx');
    this.#active.set(uploadId, { name: basename(name.replaceAll('\\', '/')), size, received: 0, partPath, handle, busy: Promise.resolve() });
    return uploadId;
  }

  async write(uploadId: string, offset: number, bytes: Uint8Array): Promise<number> {
    const upload = this.#activeUpload(uploadId);
    const step = upload.busy.then(async () => {
      if (offset !== upload.received) {
        throw new SeamError('BAD_INPUT', `Upload of ${upload.name}: a chunk at byte ${offset} arrived, but ${upload.received} bytes were received so far.`);
      }
      if (offset + bytes.byteLength > upload.size) {
        throw new SeamError('BAD_INPUT', `Upload of ${upload.name}: the chunks hold more than the ${upload.size} bytes announced.`);
      }
      await upload.handle.write(bytes, 0, bytes.byteLength, offset);
      upload.received += bytes.byteLength;
      return upload.received;
    });
    upload.busy = step.catch(() => undefined);
    return step;
  }

  async finish(uploadId: string): Promise<UploadedFile> {
    const upload = this.#activeUpload(uploadId);
    await upload.busy;
    if (upload.received !== upload.size) {
      throw new SeamError('BAD_INPUT', `Upload of ${upload.name} is incomplete: ${upload.received} of ${upload.size} bytes arrived.`);
    }
    this.#active.delete(uploadId);
    await upload.handle.sync();
    await upload.handle.close();
    const id = `file-${uploadId.slice(3)}`;
    const path = join(this.#folder, id);
    await rename(upload.partPath, path);
    const file: UploadedFile = { id, name: upload.name, size: upload.size, path };
    this.#files.set(id, file);
    while (this.#files.size > MAX_KEPT_FILES) await this.discard(this.#files.keys().next().value as string);
    return file;
  }

  /** The finished file with this id; NOT_FOUND names the id when it is unknown or was dropped. */
  get(fileId: string): UploadedFile {
    const file = this.#files.get(fileId);
    if (!file) throw new SeamError('NOT_FOUND', `No uploaded file ${fileId}: it was discarded or the engine restarted; add the file again.`);
    return file;
  }

  async discard(id: string): Promise<boolean> {
    const upload = this.#active.get(id);
    if (upload) {
      this.#active.delete(id);
      await upload.busy;
      await upload.handle.close().catch(() => undefined);
      await rm(upload.partPath, { force: true });
      return true;
    }
    const file = this.#files.get(id);
    if (!file) return false;
    this.#files.delete(id);
    await rm(file.path, { force: true });
    return true;
  }

  async dispose(): Promise<void> {
    for (const id of [...this.#active.keys(), ...this.#files.keys()]) await this.discard(id);
  }

  #activeUpload(uploadId: string): ActiveUpload {
    const upload = this.#active.get(uploadId);
    if (!upload) throw new SeamError('NOT_FOUND', `No upload ${uploadId} is under way (finished, discarded or never begun).`);
    return upload;
  }
}
