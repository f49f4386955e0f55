/**
 * The engine's implementation of the contract: one handler per method, each a thin call into the
 * engine's own modules with the paths, logger, progress and signal made explicit.
 */
import type { EngineHandlers } from '../shared/contract';
import type { Logger } from './context';
import { runDoctor } from './doctor';
import type { SeamPaths } from './paths';

export interface EngineDeps {
  paths: SeamPaths;
  logger: Logger;
}

export function createEngineHandlers({ paths, logger }: EngineDeps): EngineHandlers {
  return {
    doctor: (args, call) => runDoctor({ paths, logger, probeModels: args.probeModels, signal: call.signal }),
  };
}
