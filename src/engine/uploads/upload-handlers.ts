/** The contract's upload methods over one UploadedFiles store. */
import type { EngineHandlers } from '../../shared/contract';
import type { UploadedFiles } from './uploaded-files';

type UploadHandlers = Pick<EngineHandlers, 'beginUpload' | 'writeUpload' | 'finishUpload' | 'discardUpload'>;

export function createUploadHandlers(files: UploadedFiles): UploadHandlers {
  return {
    beginUpload: async ({ name, size }) => ({ uploadId: await files.begin(name, size) }),
    writeUpload: async ({ uploadId, offset, bytes }) => ({ received: await files.write(uploadId, offset, bytes) }),
    finishUpload: async ({ uploadId }) => {
      const file = await files.finish(uploadId);
      return { fileId: file.id, name: file.name, size: file.size };
    },
    discardUpload: async ({ id }) => files.discard(id),
  };
}
