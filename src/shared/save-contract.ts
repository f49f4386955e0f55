/**
 * The contract's save methods: how the page hands a file to the user the way a desktop app does
 * (a native Save dialog, Ctrl+S writing over the file saved before, an atomic write). They are
 * host methods: Electron's main process answers them (src/main/file-saver.ts), because only it
 * can show the dialog and only it should hold paths. The page never sees or supplies a path: a
 * finished save gives it a `fileToken`, a random id main maps to the path the user chose in
 * main's own dialog; handing the token back means "the same file again".
 *
 * Bytes travel in chunks (beginSave → writeSave… → finishSave), like uploads, so a rendered video
 * of any size up to MAX_SAVE_BYTES crosses no single message larger than a chunk. The dialog
 * opens at beginSave, before any bytes are sent. Hosts that cannot save natively (the web host,
 * the engine host) answer beginSave with `unsupported`, and the page falls back to a download.
 */
import { z } from 'zod';
import { SeamError } from './errors';
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_CHUNK_BYTES } from './upload-contract';

/** One writeSave's most bytes: the upload chunk, for the same reasons (web host limit, IPC comfort). */
export const MAX_SAVE_CHUNK_BYTES = MAX_UPLOAD_CHUNK_BYTES;
/** The largest file a save may write: the largest a clip upload may be (a long 4K render). */
export const MAX_SAVE_BYTES = MAX_UPLOAD_BYTES;

/**
 * What is being saved, which decides the dialog's title and filter and which extensions the
 * chosen path may end with. A token is bound to its kind: a project's token cannot be used to
 * write a video over the project.
 */
export const SAVE_KINDS = {
  project: { title: 'Save Project', extensions: ['seam'] },
  image: { title: 'Export Photo', extensions: ['png', 'jpg', 'jpeg', 'webp'] },
  mask: { title: 'Export Mask', extensions: ['png'] },
  archive: { title: 'Export Masks', extensions: ['zip'] },
  video: { title: 'Save Rendered Video', extensions: ['mp4', 'mov', 'mkv', 'webm'] },
} as const satisfies Record<string, { title: string; extensions: readonly string[] }>;
export type SaveKind = keyof typeof SAVE_KINDS;
export const SaveKindSchema = z.enum(Object.keys(SAVE_KINDS) as [SaveKind, ...SaveKind[]]);

export const SaveIdSchema = z.string().regex(/^save-[0-9a-f]{12}$/, 'not a save id');
/** 128 random bits: a token cannot be guessed, only received from a finished save. */
export const FileTokenSchema = z.string().regex(/^ft-[0-9a-f]{32}$/, 'not a file token');

/** A file name only: no folder, no control characters, not "." or "..". */
export const SuggestedNameSchema = z
  .string()
  .min(1)
  .max(255)
  // eslint-disable-next-line no-control-regex
  .refine((name) => !/[/\\\u0000-\u001f]/.test(name) && name !== '.' && name !== '..', 'a file name, without a folder');

const Uint8 = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected a Uint8Array');

export const saveMethods = {
  /**
   * Starts saving `size` bytes. With `fileToken` (and not `saveAs`) the file goes where that
   * token's earlier save went; otherwise main shows its Save dialog, starting from
   * `suggestedName`. `ready` carries the id to write to; `cancelled` means the user closed the
   * dialog; `unsupported` means this host has no native save (use a download).
   */
  beginSave: {
    args: z.tuple([
      z
        .object({
          suggestedName: SuggestedNameSchema,
          kind: SaveKindSchema,
          size: z.number().int().min(0).max(MAX_SAVE_BYTES),
          saveAs: z.boolean().default(false),
          fileToken: FileTokenSchema.optional(),
        })
        .strict(),
    ]),
    result: z.discriminatedUnion('status', [
      z.object({ status: z.literal('ready'), saveId: SaveIdSchema }),
      z.object({ status: z.literal('cancelled') }),
      z.object({ status: z.literal('unsupported') }),
    ]),
  },
  /** Appends one chunk; chunks arrive in order, so `offset` must equal the bytes written so far. */
  writeSave: {
    args: z.tuple([
      z
        .object({
          saveId: SaveIdSchema,
          offset: z.number().int().min(0).max(MAX_SAVE_BYTES),
          bytes: Uint8.refine((b) => b.byteLength >= 1 && b.byteLength <= MAX_SAVE_CHUNK_BYTES, 'a chunk holds 1 byte to 16 MiB'),
        })
        .strict(),
    ]),
    result: z.object({ received: z.number().int() }),
  },
  /**
   * Ends a save whose bytes all arrived: flushed, then renamed over the destination, so the old
   * file stays whole until the new one is. Answers the file's name (no folder) and its token.
   */
  finishSave: {
    args: z.tuple([z.object({ saveId: SaveIdSchema }).strict()]),
    result: z.object({ name: z.string(), fileToken: FileTokenSchema }),
  },
  /** Drops an unfinished save; the destination is untouched. Resolves true if there was one. */
  discardSave: {
    args: z.tuple([z.object({ saveId: SaveIdSchema }).strict()]),
    result: z.boolean(),
  },
} as const;

export type SaveMethodName = keyof typeof saveMethods;
export const SAVE_METHOD_NAMES = Object.keys(saveMethods) as SaveMethodName[];

export function isSaveMethod(method: string): method is SaveMethodName {
  return Object.prototype.hasOwnProperty.call(saveMethods, method);
}

/** What a host that saves natively implements: the save methods over their parsed arguments. */
export type SaveHandlers = {
  [M in SaveMethodName]: (
    args: z.output<(typeof saveMethods)[M]['args']>[0],
  ) => Promise<z.output<(typeof saveMethods)[M]['result']>>;
};

/**
 * The answer of a host with no native save (the web host, the engine host): beginSave is
 * `unsupported`, so no save is ever begun there and the others name nothing.
 */
export function answerWithoutNativeSave(method: SaveMethodName): { status: 'unsupported' } {
  if (method === 'beginSave') return { status: 'unsupported' };
  throw new SeamError('NOT_FOUND', `No save is in progress: this host saves files as downloads, so ${method} has nothing to act on.`);
}
