/**
 * The user's model store: list, import from a file, install from a URL, remove.
 *
 * Every accepted model goes the same way: bytes land in <userModelsDir>/.partial/, their sha256 is
 * taken (and must match when the user gave one), onnxruntime loads them and checks them against
 * the task's contract, and only then are they renamed into place and the manifest rewritten
 * atomically. Any failure deletes the partial file and leaves the manifest as it was.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { SeamError } from '../../shared/errors';
import type { JobContext } from '../context';
import { SerialQueue } from '../inference/serial-queue';
import type { SeamPaths } from '../paths';
import { isModelTask, MODEL_TASKS } from './contracts';
import { downloadToFile, type DownloadOptions } from './download';
import { copyWithHash, sha256OfFile } from './file-hash';
import type { ModelManifestEntry, ModelSource, ModelTask } from './manifest';
import { emptyManifest, readManifestFile, writeManifestAtomic } from './manifest-io';
import { loadRegistry, reservedModelIds, userManifestPath, type ModelOrigin } from './registry';
import { validateModelFile } from './validate-model';

export const PARTIAL_DIR = '.partial';

/** ok: present and its sha256 matches the manifest; unverified: present, size right, hash not checked. */
export type ModelFileStatus = 'ok' | 'missing' | 'hash-mismatch' | 'unverified';

export interface ListedModel {
  id: string;
  task: ModelTask;
  origin: ModelOrigin;
  builtIn: boolean;
  path: string;
  bytes: number;
  sha256: string;
  status: ModelFileStatus;
  licence: string;
  source: ModelSource;
  description?: string;
}

export interface ListModelsOptions {
  /** Hash every present file (default true). False checks sizes only: fast for big generators. */
  verifyHashes?: boolean;
  signal?: AbortSignal;
}

export interface AddModelOptions {
  task: ModelTask | string;
  /** Defaults to the file name without its extension, lowercased. */
  id?: string;
  licence?: string;
  description?: string;
}

export interface InstallModelOptions extends AddModelOptions {
  /** The sha256 the download must have (hex). */
  sha256: string;
  download?: DownloadOptions;
}

const ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Per user-models folder: manifest read-modify-write cycles never interleave within this process. */
const manifestQueues = new Map<string, SerialQueue>();
/** Partial downloads in progress in this process, so two installs never write one .part file. */
const activeDownloads = new Set<string>();

function manifestQueue(dir: string): SerialQueue {
  let queue = manifestQueues.get(dir);
  if (!queue) {
    queue = new SerialQueue();
    manifestQueues.set(dir, queue);
  }
  return queue;
}

/** Hashes of files already verified, keyed by path + size + mtime, so `list` does not rehash. */
const verifiedHashes = new Map<string, string>();

async function fileStatus(path: string, entry: ModelManifestEntry, options: ListModelsOptions): Promise<ModelFileStatus> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return 'missing';
  }
  if (!info.isFile()) return 'missing';
  if (info.size !== entry.bytes) return 'hash-mismatch';
  if (options.verifyHashes === false) return 'unverified';
  const key = `${path}\u0000${info.size}\u0000${info.mtimeMs}`;
  let hash = verifiedHashes.get(key);
  if (hash === undefined) {
    hash = await sha256OfFile(path, { signal: options.signal });
    verifiedHashes.set(key, hash);
  }
  return hash === entry.sha256 ? 'ok' : 'hash-mismatch';
}

/** Every built-in and user model, with whether its file is present and its hash right. */
export async function listModels(paths: SeamPaths, options: ListModelsOptions = {}): Promise<ListedModel[]> {
  const registry = await loadRegistry(paths);
  const listed: ListedModel[] = [];
  for (const { entry, origin, path } of registry) {
    const model: ListedModel = {
      id: entry.id,
      task: entry.task,
      origin,
      builtIn: origin === 'built-in',
      path,
      bytes: entry.bytes,
      sha256: entry.sha256,
      status: await fileStatus(path, entry, options),
      licence: entry.licence,
      source: entry.source,
    };
    if (entry.description !== undefined) model.description = entry.description;
    listed.push(model);
  }
  return listed;
}

function checkTask(task: string): ModelTask {
  if (!isModelTask(task)) throw new SeamError('BAD_INPUT', `Unknown model task "${task}"; use one of: ${MODEL_TASKS.join(', ')}.`);
  return task;
}

/** "Sean Encoder.v2.onnx" → "sean-encoder.v2". */
export function idFromFileName(name: string): string {
  const stem = basename(name, extname(name)).toLowerCase();
  return stem
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, 64);
}

function checkId(id: string | undefined, fallbackFrom: string): string {
  const chosen = id ?? idFromFileName(fallbackFrom);
  if (!ID_PATTERN.test(chosen)) {
    const why = id === undefined ? `no usable id can be made from "${fallbackFrom}"` : `"${id}" is not a valid model id`;
    // Lowercase only: on macOS and Windows "Foo.onnx" and "foo.onnx" are the same file.
    throw new SeamError('BAD_INPUT', `${why}; give one with --id (lowercase letters, digits, '.', '_' or '-', up to 64 characters).`);
  }
  return chosen;
}

async function assertIdFree(paths: SeamPaths, id: string): Promise<void> {
  if ((await reservedModelIds(paths)).has(id)) {
    throw new SeamError('BAD_INPUT', `The id "${id}" belongs to a built-in model; choose another with --id.`);
  }
  const existing = (await readManifestFile(userManifestPath(paths)))?.models ?? [];
  if (existing.some((e) => e.id === id)) {
    throw new SeamError('BAD_INPUT', `A model with id "${id}" is already installed; remove it first or choose another id with --id.`);
  }
}

/** Moves a verified file into place and records it; the manifest is rewritten atomically. */
async function commitModel(paths: SeamPaths, verifiedFile: string, entry: ModelManifestEntry): Promise<void> {
  await manifestQueue(paths.userModelsDir).push(async () => {
    // Checked again under the lock: another import may have taken the id while we verified.
    await assertIdFree(paths, entry.id);
    const manifestPath = userManifestPath(paths);
    const manifest = (await readManifestFile(manifestPath)) ?? emptyManifest();
    const finalPath = join(paths.userModelsDir, entry.file);
    await rename(verifiedFile, finalPath);
    try {
      await writeManifestAtomic(manifestPath, { ...manifest, models: [...manifest.models, entry] });
    } catch (error) {
      await rm(finalPath, { force: true });
      throw error;
    }
  });
}

function verifying(ctx: JobContext, done: number): void {
  ctx.onProgress?.({ stage: 'verify', done, total: 1, message: 'checking the model in onnxruntime' });
}

function newEntry(fields: {
  id: string;
  task: ModelTask;
  sha256: string;
  bytes: number;
  source: ModelSource;
  options: AddModelOptions;
  validated: { inputs: ModelManifestEntry['inputs']; outputs: ModelManifestEntry['outputs'] };
}): ModelManifestEntry {
  const entry: ModelManifestEntry = {
    id: fields.id,
    task: fields.task,
    file: `${fields.id}.onnx`,
    builtIn: false,
    sha256: fields.sha256,
    bytes: fields.bytes,
    licence: fields.options.licence ?? 'unknown (supplied by the user)',
    source: fields.source,
    inputs: fields.validated.inputs,
    outputs: fields.validated.outputs,
  };
  if (fields.options.description !== undefined) entry.description = fields.options.description;
  return entry;
}

/** Copies a local .onnx file into the user store after checking it. Returns its manifest entry. */
export async function importModel(paths: SeamPaths, file: string, options: AddModelOptions, ctx: JobContext): Promise<ModelManifestEntry> {
  const task = checkTask(options.task);
  const label = basename(file);
  let info;
  try {
    info = await stat(file);
  } catch {
    throw new SeamError('NOT_FOUND', `There is no file at ${file}.`);
  }
  if (!info.isFile()) throw new SeamError('BAD_INPUT', `${file} is not a file.`);
  const id = checkId(options.id, label);
  await assertIdFree(paths, id);

  const partialDir = join(paths.userModelsDir, PARTIAL_DIR);
  await mkdir(partialDir, { recursive: true });
  const temp = join(partialDir, `import-${randomBytes(6).toString('hex')}.onnx`);
  try {
    // Checking the copy, not the original, means what was verified is exactly what is kept.
    const { sha256, bytes } = await copyWithHash(file, temp, { onProgress: ctx.onProgress, signal: ctx.signal });
    verifying(ctx, 0);
    const validated = await validateModelFile(temp, task, label);
    ctx.signal?.throwIfAborted();
    const entry = newEntry({ id, task, sha256, bytes, source: { kind: 'file', originalName: label }, options, validated });
    await commitModel(paths, temp, entry);
    verifying(ctx, 1);
    ctx.logger.info('model imported', { id, task, sha256, bytes });
    return entry;
  } catch (error) {
    throw asCancelled(error, ctx);
  } finally {
    await rm(temp, { force: true });
  }
}

function parseDownloadUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SeamError('BAD_INPUT', `"${url}" is not a URL.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new SeamError('BAD_INPUT', `Only http and https downloads are supported, not ${parsed.protocol}`);
  }
  return parsed;
}

/** The URL as recorded in the manifest: never with a user name or password in it. */
function publicUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

/** Downloads a model (resuming dropped connections), verifies hash and contract, installs it. */
export async function installModel(paths: SeamPaths, url: string, options: InstallModelOptions, ctx: JobContext): Promise<ModelManifestEntry> {
  const task = checkTask(options.task);
  const expected = options.sha256.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(expected)) {
    throw new SeamError('BAD_INPUT', `"${options.sha256}" is not a sha256: give the 64 hex digits the model's publisher lists.`);
  }
  const parsed = parseDownloadUrl(url);
  const fileName = decodeURIComponent(basename(parsed.pathname)) || parsed.hostname;
  const label = `${fileName} (downloaded from ${parsed.host})`;
  const id = checkId(options.id, fileName);
  await assertIdFree(paths, id);

  const partialDir = join(paths.userModelsDir, PARTIAL_DIR);
  await mkdir(partialDir, { recursive: true });
  const partial = join(partialDir, `${expected}.part`);
  if (activeDownloads.has(partial)) throw new SeamError('BAD_INPUT', `This model is already being downloaded.`);
  activeDownloads.add(partial);
  try {
    const result = await downloadToFile(parsed.href, partial, ctx, options.download);
    if (result.sha256 !== expected) {
      throw new SeamError(
        'MODEL_INVALID',
        `${label}: sha256 mismatch: expected ${expected}, got ${result.sha256} (${result.bytes} bytes). The file is not the one you asked for, or it was damaged on the way; nothing was installed.`,
        { expected, actual: result.sha256, bytes: result.bytes },
      );
    }
    verifying(ctx, 0);
    const validated = await validateModelFile(partial, task, label);
    ctx.signal?.throwIfAborted();
    const entry = newEntry({ id, task, sha256: expected, bytes: result.bytes, source: { kind: 'url', url: publicUrl(parsed) }, options, validated });
    await commitModel(paths, partial, entry);
    verifying(ctx, 1);
    ctx.logger.info('model installed', { id, task, sha256: expected, bytes: result.bytes, resumes: result.resumes, restarts: result.restarts });
    return entry;
  } catch (error) {
    throw asCancelled(error, ctx);
  } finally {
    activeDownloads.delete(partial);
    await rm(partial, { force: true });
  }
}

/** Removes a user model: the manifest first, so a crash leaves at worst an unlisted file. */
export async function removeModel(paths: SeamPaths, id: string, ctx: JobContext): Promise<void> {
  if ((await reservedModelIds(paths)).has(id)) throw new SeamError('BAD_INPUT', `"${id}" is a built-in model and cannot be removed.`);
  await manifestQueue(paths.userModelsDir).push(async () => {
    const manifestPath = userManifestPath(paths);
    const manifest = (await readManifestFile(manifestPath)) ?? emptyManifest();
    const entry = manifest.models.find((e) => e.id === id);
    if (!entry) throw new SeamError('NOT_FOUND', `No user model with id "${id}" is installed.`);
    await writeManifestAtomic(manifestPath, { ...manifest, models: manifest.models.filter((e) => e.id !== id) });
    await rm(join(paths.userModelsDir, entry.file), { force: true });
  });
  ctx.logger.info('model removed', { id });
}

function asCancelled(error: unknown, ctx: JobContext): unknown {
  if (ctx.signal?.aborted && !(error instanceof SeamError && error.code === 'CANCELLED')) {
    return new SeamError('CANCELLED', 'Cancelled; nothing was installed.');
  }
  return error;
}
