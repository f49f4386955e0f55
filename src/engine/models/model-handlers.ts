/**
 * The contract's model-manager methods over the model store: list, import SEAN's checkpoint from
 * an uploaded file, remove. The checkpoint comes by file id from UploadedFiles, so the page never
 * names a path. The importer names the file in its messages and in the manifest's origin, so it
 * reads a hard link carrying the name the user's file had, not the engine's "file-<id>". The
 * upload is dropped afterwards, imported or refused: it is a gigabyte in the engine's folder.
 * A removed or re-imported model's sessions are released from the pool, so nothing keeps serving
 * a file that is gone.
 */
import { link, mkdtemp, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { CallContext, EngineHandlers } from '../../shared/contract';
import type { ModelInfo } from '../../shared/model-contract';
import type { JobContext, Logger } from '../context';
import type { SessionPool } from '../inference/session-pool';
import type { SeamPaths } from '../paths';
import type { UploadedFiles } from '../uploads/uploaded-files';
import type { ModelSource } from './manifest';
import { importSeanCheckpoint, seanModelIds } from './sean/import-sean';
import { importModel, listModels, removeModel, type ListedModel } from './store';

type ModelHandlers = Pick<EngineHandlers, 'listModels' | 'importSeanModel' | 'importModel' | 'removeModel'>;

export interface ModelHandlerDeps {
  paths: SeamPaths;
  logger: Logger;
  pool: SessionPool;
  uploads: UploadedFiles;
}

/** "npm @mediapipe/tasks-vision 0.10.14", "file latest_net_G.pth", or the URL. */
export function describeSource(source: ModelSource): string {
  switch (source.kind) {
    case 'npm':
      return `npm ${source.package} ${source.version}`;
    case 'file':
      return `file ${source.originalName}`;
    case 'url':
      return source.url;
  }
}

export function toModelInfo(model: ListedModel): ModelInfo {
  const info: ModelInfo = {
    id: model.id,
    task: model.task,
    builtIn: model.builtIn,
    bytes: model.bytes,
    licence: model.licence,
    source: describeSource(model.source),
    status: model.status,
  };
  if (model.description !== undefined) info.description = model.description;
  return info;
}

export function createModelHandlers({ paths, logger, pool, uploads }: ModelHandlerDeps): ModelHandlers {
  const jobContext = (call: CallContext): JobContext => ({ logger, signal: call.signal, onProgress: (p) => call.emitProgress(p) });
  const list = async (signal?: AbortSignal) => (await listModels(paths, { verifyHashes: false, ...(signal ? { signal } : {}) })).map(toModelInfo);

  return {
    listModels: async (_args, call) => list(call.signal),

    importSeanModel: async ({ fileId, fp16 }, call) => {
      const ids = seanModelIds();
      const imported = await withUserFileName(uploads, fileId, (named) => importSeanCheckpoint(paths, named, { fp16 }, jobContext(call)));
      await Promise.all([pool.release(ids.encoder), pool.release(ids.generator)]);
      const models = (await list(call.signal)).filter((m) => m.id === imported.encoder.id || m.id === imported.generator.id);
      logger.info('SEAN checkpoint imported from the page', { id: imported.generator.id, fp16 });
      return { models, checkpointFormat: imported.checkpointFormat };
    },

    importModel: async ({ fileId, task, id }, call) => {
      const entry = await withUserFileName(uploads, fileId, (named) => importModel(paths, named, { task, ...(id ? { id } : {}) }, jobContext(call)));
      await pool.release(entry.id);
      const info = (await list(call.signal)).find((m) => m.id === entry.id);
      if (!info) throw new Error(`the model ${entry.id} was imported but is not listed`);
      return info;
    },

    removeModel: async ({ id }, call) => {
      await removeModel(paths, id, jobContext(call));
      await pool.release(id);
      return true;
    },
  };
}

/**
 * Runs an import on an uploaded file through a hard link that carries the user's file name (so
 * messages and the manifest say "latest_net_G.pth", not "file-<id>"), then drops the upload
 * whether the import succeeded or not.
 */
async function withUserFileName<T>(uploads: UploadedFiles, fileId: string, run: (path: string) => Promise<T>): Promise<T> {
  const file = uploads.get(fileId);
  const work = await mkdtemp(join(dirname(file.path), 'import-'));
  try {
    const named = join(work, basename(file.name));
    await link(file.path, named);
    return await run(named);
  } finally {
    await rm(work, { recursive: true, force: true });
    await uploads.discard(fileId);
  }
}
