/**
 * The engine's implementation of the contract: one handler per method, each a thin call into the
 * engine's own modules with the paths, logger, progress and signal made explicit. One session
 * pool and one frame analyzer serve every call of this engine process.
 */
import type { EngineHandlers } from '../shared/contract';
import type { Logger } from './context';
import { runDoctor } from './doctor';
import { createEditDeps } from './edit/edit-deps';
import { createModelHandlers } from './models/model-handlers';
import type { SeamPaths } from './paths';
import { createEditorHandlers } from './session/editor-handlers';
import { createProjectHandlers } from './session/autosave-handlers';
import { OpenImages } from './session/open-images';
import { createVideoHandlers } from './session/video-handlers';
import { createUploadHandlers } from './uploads/upload-handlers';
import { UploadedFiles } from './uploads/uploaded-files';

export interface EngineDeps {
  paths: SeamPaths;
  logger: Logger;
}

export function createEngineHandlers({ paths, logger }: EngineDeps): EngineHandlers {
  const editDeps = createEditDeps(paths, logger);
  const uploads = new UploadedFiles(paths.dataDir);
  const images = new OpenImages(editDeps);
  return {
    doctor: (args, call) => runDoctor({ paths, logger, probeModels: args.probeModels, signal: call.signal }),
    ...createEditorHandlers(editDeps, images),
    ...createUploadHandlers(uploads),
    ...createModelHandlers({ paths, logger, pool: editDeps.pool, uploads }),
    ...createProjectHandlers(paths.dataDir),
    ...createVideoHandlers({ paths, logger, uploads, openedPhoto: (reference) => images.resolveReference(reference) }),
  };
}
