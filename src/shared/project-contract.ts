/**
 * The contract's project methods: autosave for crash recovery, kept by the engine under
 * `<dataDir>/autosave/` (the page has no disk of its own that survives a crash), and the few
 * things a project or a mask export needs from the engine (the app's version, a greyscale PNG).
 * An autosave is named by a document key the page made up, checked here as an id, never a path.
 */
import { z } from 'zod';

/** Under the web host's 64 MiB message limit, with room for the envelope. */
export const MAX_AUTOSAVE_BYTES = 60 * 1024 * 1024;
/** The most autosaves kept; writing one more drops the oldest. */
export const MAX_AUTOSAVES = 8;
const MAX_PIXELS = 100_000_000;

export const DocumentKeySchema = z.string().regex(/^doc-[0-9a-z]{6,32}$/, 'not a document key');

const Uint8 = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected a Uint8Array');

export const AutosaveInfoSchema = z.object({
  documentKey: DocumentKeySchema,
  /** The document's name as its tab shows it. */
  name: z.string(),
  /** When it was written, ms since the epoch. */
  savedAt: z.number(),
  size: z.number().int(),
});
export type AutosaveInfo = z.infer<typeof AutosaveInfoSchema>;

export const projectMethods = {
  /** The running Seam's name and version, recorded in every project it writes. */
  appInfo: {
    args: z.tuple([]),
    result: z.object({ name: z.string(), version: z.string() }),
  },
  /** Replaces a document's autosave with these project bytes (atomically). */
  writeAutosave: {
    args: z.tuple([
      z
        .object({
          documentKey: DocumentKeySchema,
          name: z.string().min(1).max(255),
          bytes: Uint8.refine((b) => b.byteLength >= 1 && b.byteLength <= MAX_AUTOSAVE_BYTES, 'an autosave holds 1 byte to 60 MiB'),
        })
        .strict(),
    ]),
    result: AutosaveInfoSchema,
  },
  /** The autosaves left by this or an earlier run, newest first. */
  listAutosaves: {
    args: z.tuple([]),
    result: z.array(AutosaveInfoSchema),
  },
  readAutosave: {
    args: z.tuple([z.object({ documentKey: DocumentKeySchema }).strict()]),
    result: AutosaveInfoSchema.extend({ bytes: Uint8 }),
  },
  /** Drops a document's autosave (saved or closed cleanly). Resolves true if there was one. */
  discardAutosave: {
    args: z.tuple([z.object({ documentKey: DocumentKeySchema }).strict()]),
    result: z.boolean(),
  },
  /** A mask (0..255 per pixel) as an 8-bit greyscale PNG with Seam's provenance. */
  encodeMaskPng: {
    args: z.tuple([
      z
        .object({ width: z.number().int().positive(), height: z.number().int().positive(), data: Uint8 })
        .strict()
        .refine((m) => m.width * m.height <= MAX_PIXELS && m.data.length === m.width * m.height, 'mask data must hold width × height values'),
    ]),
    result: z.object({ bytes: Uint8 }),
  },
} as const;
