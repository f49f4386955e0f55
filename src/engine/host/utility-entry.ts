/**
 * Entry of the engine when Electron starts it as a utility process. Electron gives such a process
 * `process.parentPort`; it is declared here by hand because the engine never imports Electron.
 */
import { stderrLogger } from '../context';
import { createEngineHandlers } from '../service';
import { pathsFromArgs } from './host-args';
import { serveEngine } from './serve-engine';

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) throw new Error('engine host: not started as an Electron utility process');

const logger = stderrLogger('info');
const paths = pathsFromArgs(process.argv);
serveEngine(
  {
    // Electron's parentPort clones messages (ArrayBuffers included); it cannot transfer them.
    postMessage: (message) => parentPort.postMessage(message),
    onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
  },
  createEngineHandlers({ paths, logger }),
  logger,
);
