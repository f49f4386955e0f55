/** Builds the EditDeps the CLI, the engine service and tests share: one pool, one analyzer. */
import type { Logger } from '../context';
import { SessionPool } from '../inference/session-pool';
import type { SeamPaths } from '../paths';
import { FrameAnalyzer } from './frame-analysis';
import type { EditDeps } from './processor';

export function createEditDeps(paths: SeamPaths, logger: Logger, pool = new SessionPool({ logger })): EditDeps {
  return { paths, pool, logger, analyzer: new FrameAnalyzer({ paths, pool, logger }) };
}
