/**
 * Sends a file the user picked or dropped to the engine in ordered chunks (see
 * shared/upload-contract.ts) and answers the engine's file id. Reading slice by slice keeps the
 * page's memory at one chunk whatever the file's size; a failure or an abort discards the
 * partial upload so nothing is left in the engine's folder.
 */
import type { SeamApi } from '../../../shared/contract';
import { MAX_UPLOAD_CHUNK_BYTES } from '../../../shared/upload-contract';

export interface UploadProgress {
  sent: number;
  total: number;
}

export interface UploadedFileRef {
  fileId: string;
  name: string;
  size: number;
}

/** The parts of File this needs, so tests can pass a Blob with a name. */
export interface UploadSource {
  name: string;
  size: number;
  slice(start: number, end: number): Blob;
}

export async function uploadFile(
  api: Pick<SeamApi, 'beginUpload' | 'writeUpload' | 'finishUpload' | 'discardUpload'>,
  file: UploadSource,
  options: { signal?: AbortSignal; onProgress?: (progress: UploadProgress) => void; chunkBytes?: number } = {},
): Promise<UploadedFileRef> {
  if (file.size === 0) throw new Error(`${file.name} is empty (0 bytes).`);
  const chunkBytes = Math.min(options.chunkBytes ?? MAX_UPLOAD_CHUNK_BYTES, MAX_UPLOAD_CHUNK_BYTES);
  const { uploadId } = await api.beginUpload({ name: file.name, size: file.size });
  try {
    for (let offset = 0; offset < file.size; offset += chunkBytes) {
      options.signal?.throwIfAborted();
      const bytes = new Uint8Array(await file.slice(offset, Math.min(offset + chunkBytes, file.size)).arrayBuffer());
      await api.writeUpload({ uploadId, offset, bytes });
      options.onProgress?.({ sent: offset + bytes.byteLength, total: file.size });
    }
    return await api.finishUpload({ uploadId });
  } catch (error) {
    await api.discardUpload({ id: uploadId }).catch(() => undefined);
    throw error;
  }
}
