/**
 * Entry of the engine when the web host (or a test) runs it in a worker thread: the same handlers
 * and protocol as the utility process, with ArrayBuffers transferred rather than copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { stderrLogger } from '../context';
import { resolvePaths, type ResolvePathsOptions } from '../paths';
import { createEngineHandlers } from '../service';
import { serveEngine } from './serve-engine';

if (!parentPort) throw new Error('engine host: not started as a worker thread');
const port = parentPort;
const logger = stderrLogger('info');
const paths = resolvePaths((workerData ?? {}) as ResolvePathsOptions);
serveEngine(
  {
    postMessage: (message, transfer) => port.postMessage(message, transfer),
    onMessage: (listener) => port.on('message', listener),
  },
  createEngineHandlers({ paths, logger }),
  logger,
);
