/**
 * All models the engine can use: the built-in manifest (resources/models) and the user's
 * (<userModelsDir>/manifest.json), each entry resolved to an absolute file path.
 */
import { join } from 'node:path';
import { SeamError } from '../../shared/errors';
import type { Logger } from '../context';
import type { ModelRef } from '../inference/session-pool';
import type { SeamPaths } from '../paths';
import { BUILT_IN_MODELS } from './builtin';
import { MANIFEST_FILE, type ModelManifestEntry } from './manifest';
import { readManifestFile } from './manifest-io';

export type ModelOrigin = 'built-in' | 'user';

export interface RegisteredModel {
  entry: ModelManifestEntry;
  origin: ModelOrigin;
  /** Absolute path of the .onnx file (which may be missing; see listModels for status). */
  path: string;
}

/**
 * Ids the built-in models have, reserved even before `npm run models` has written their manifest,
 * so a user model can never take a name the app will later ship.
 */
export const BUILT_IN_MODEL_IDS: readonly string[] = BUILT_IN_MODELS.map((model) => model.id);

export const builtInManifestPath = (paths: SeamPaths) => join(paths.builtInModelsDir, MANIFEST_FILE);
export const userManifestPath = (paths: SeamPaths) => join(paths.userModelsDir, MANIFEST_FILE);

export async function builtInEntries(paths: SeamPaths): Promise<ModelManifestEntry[]> {
  return (await readManifestFile(builtInManifestPath(paths)))?.models ?? [];
}

export async function userEntries(paths: SeamPaths): Promise<ModelManifestEntry[]> {
  return (await readManifestFile(userManifestPath(paths)))?.models ?? [];
}

/** Built-in ids: the reserved names plus whatever the built-in manifest lists. */
export async function reservedModelIds(paths: SeamPaths): Promise<Set<string>> {
  return new Set([...BUILT_IN_MODEL_IDS, ...(await builtInEntries(paths)).map((e) => e.id)]);
}

/** Built-in models first; a user entry that reuses a built-in id (a hand-edited manifest) is ignored. */
export async function loadRegistry(paths: SeamPaths, logger?: Logger): Promise<RegisteredModel[]> {
  const builtIn = await builtInEntries(paths);
  const reserved = new Set([...BUILT_IN_MODEL_IDS, ...builtIn.map((e) => e.id)]);
  const models: RegisteredModel[] = builtIn.map((entry) => ({ entry, origin: 'built-in', path: join(paths.builtInModelsDir, entry.file) }));
  for (const entry of await userEntries(paths)) {
    if (reserved.has(entry.id)) {
      logger?.warn('user model ignored: its id belongs to a built-in model', { id: entry.id });
      continue;
    }
    models.push({ entry, origin: 'user', path: join(paths.userModelsDir, entry.file) });
  }
  return models;
}

export async function findModel(paths: SeamPaths, id: string): Promise<RegisteredModel> {
  const model = (await loadRegistry(paths)).find((m) => m.entry.id === id);
  if (!model) throw new SeamError('NOT_FOUND', `No model with id "${id}" is installed (see \`seam models list\`).`);
  return model;
}

/** What the session pool needs to load a registered model. */
export function toModelRef(model: RegisteredModel): ModelRef {
  return { id: model.entry.id, path: model.path, inputs: model.entry.inputs };
}
