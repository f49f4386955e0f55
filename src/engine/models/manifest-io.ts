/**
 * Reading and writing model manifests. Reading validates (a hand-edited or half-written user
 * manifest must give a clear error, not a crash deep in the vision code); writing is atomic
 * (temp file, fsync, rename), so a crash never leaves a truncated manifest behind.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/atomic-write';
import { SeamError } from '../../shared/errors';
import type { ModelManifest } from './manifest';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase sha256 hex string');

const TensorSpecSchema = z.object({
  name: z.string(),
  shape: z.array(z.union([z.number().int().nonnegative(), z.string()])),
  dtype: z.enum(['float32', 'float16', 'int64', 'int32', 'uint8', 'bool']),
});

const ModelSourceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('npm'),
    package: z.string(),
    version: z.string(),
    file: z.string(),
    byteRange: z.tuple([z.number().int(), z.number().int()]),
    sha256: hex64,
  }),
  z.object({ kind: z.literal('url'), url: z.string() }),
  z.object({ kind: z.literal('file'), originalName: z.string() }),
]);

const PreprocessingSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  layout: z.enum(['NHWC', 'NCHW']),
  range: z.tuple([z.number(), z.number()]),
  resize: z.enum(['letterbox', 'stretch', 'rotated-crop']),
});

// Loose objects: fields a newer Seam added survive being read and rewritten by this one.
export const ModelManifestEntrySchema = z.looseObject({
  id: z.string().min(1),
  task: z.enum(['face-detection', 'face-landmarks', 'person-segmentation', 'style-encoder', 'style-generator']),
  // A plain file name: a manifest must not point outside its own folder.
  file: z.string().refine((f) => f === basename(f) && f !== '..' && f !== '.', 'a file name inside the models folder'),
  builtIn: z.boolean(),
  sha256: hex64,
  bytes: z.number().int().nonnegative(),
  licence: z.string(),
  source: ModelSourceSchema,
  inputs: z.array(TensorSpecSchema),
  outputs: z.array(TensorSpecSchema),
  preprocessing: PreprocessingSchema.optional(),
  description: z.string().optional(),
  converter: z.string().optional(),
});

export const ModelManifestSchema = z.looseObject({
  formatVersion: z.literal(1),
  models: z.array(ModelManifestEntrySchema),
});

export const emptyManifest = (): ModelManifest => ({ formatVersion: 1, models: [] });

/** The manifest at `path`; null when the file does not exist. Throws MODEL_INVALID when it is malformed. */
export async function readManifestFile(path: string): Promise<ModelManifest | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SeamError('MODEL_INVALID', `Model manifest ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = ModelManifestSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
    throw new SeamError('MODEL_INVALID', `Model manifest ${path} is malformed${where}: ${first?.message ?? 'unknown problem'}`);
  }
  const ids = new Set<string>();
  for (const entry of parsed.data.models) {
    if (ids.has(entry.id)) throw new SeamError('MODEL_INVALID', `Model manifest ${path} lists model "${entry.id}" twice.`);
    ids.add(entry.id);
  }
  return parsed.data as ModelManifest;
}

/** Writes the manifest beside its final place, flushes it, then renames it over the old one. */
export async function writeManifestAtomic(path: string, manifest: ModelManifest): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(manifest, null, 2)}\n`);
}
