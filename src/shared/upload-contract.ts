/**
 * The contract's upload methods: a large file the user picked or dropped (a video clip, a model
 * checkpoint) reaches the engine in bounded chunks, so no single message is larger than
 * MAX_UPLOAD_CHUNK_BYTES whatever the file's size, and the engine never takes a path from the
 * page. The engine keeps the file in its own folder and answers a file id; the methods that work
 * on such files (openVideo, importSeanModel, …) take that id.
 */
import { z } from 'zod';

/** 16 MiB per chunk: well under the web host's 64 MiB message limit and Electron's IPC comfort. */
export const MAX_UPLOAD_CHUNK_BYTES = 16 * 1024 * 1024;
/** 8 GiB: a long 4K clip or a large checkpoint, and a bound a hostile page cannot exceed. */
export const MAX_UPLOAD_BYTES = 8 * 1024 * 1024 * 1024;

export const UploadIdSchema = z.string().regex(/^up-[0-9a-f]{12}$/, 'not an upload id');
export const FileIdSchema = z.string().regex(/^file-[0-9a-f]{12}$/, 'not a file id');

const Uint8 = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected a Uint8Array');

export const uploadMethods = {
  /** Starts an upload of `size` bytes; the name is kept (without any folder) for messages and output names. */
  beginUpload: {
    args: z.tuple([
      z.object({ name: z.string().min(1).max(255), size: z.number().int().min(1).max(MAX_UPLOAD_BYTES) }).strict(),
    ]),
    result: z.object({ uploadId: UploadIdSchema }),
  },
  /** Appends one chunk; chunks arrive in order, so `offset` must equal the bytes received so far. */
  writeUpload: {
    args: z.tuple([
      z
        .object({
          uploadId: UploadIdSchema,
          offset: z.number().int().min(0).max(MAX_UPLOAD_BYTES),
          bytes: Uint8.refine((b) => b.byteLength >= 1 && b.byteLength <= MAX_UPLOAD_CHUNK_BYTES, 'a chunk holds 1 byte to 16 MiB'),
        })
        .strict(),
    ]),
    result: z.object({ received: z.number().int() }),
  },
  /** Ends an upload whose bytes all arrived; the file is then available by its id. */
  finishUpload: {
    args: z.tuple([z.object({ uploadId: UploadIdSchema }).strict()]),
    result: z.object({ fileId: FileIdSchema, name: z.string(), size: z.number().int() }),
  },
  /** Drops an upload (finished or not) and its bytes. Resolves true if there was one. */
  discardUpload: {
    args: z.tuple([z.object({ id: z.union([UploadIdSchema, FileIdSchema]) }).strict()]),
    result: z.boolean(),
  },
} as const;
