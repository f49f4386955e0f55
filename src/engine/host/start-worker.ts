/**
 * Starts the engine in a worker thread and returns a client for it. Used by the web host and by
 * tests that go through the same protocol as the app. From source, tsx compiles the worker.
 */
import { RpcClient } from '../../shared/rpc-client';
import { moduleWorkerFile, startModuleWorker } from '../module-worker';
import type { ResolvePathsOptions } from '../paths';

export interface EngineWorker {
  client: RpcClient;
  ready: Promise<void>;
  stop(): Promise<void>;
}

export function startEngineWorker(options: ResolvePathsOptions & { entry?: string } = {}): EngineWorker {
  const { entry, ...pathOptions } = options;
  const file = moduleWorkerFile({ built: new URL('./engine-worker.js', import.meta.url), source: new URL('./worker-entry.ts', import.meta.url) }, entry);
  const worker = startModuleWorker(file, pathOptions);
  const listeners: Array<(message: unknown) => void> = [];
  let markReady: () => void = () => {};
  let markFailed: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    markFailed = reject;
  });
  worker.on('message', (message: unknown) => {
    if ((message as { kind?: string })?.kind === 'ready') markReady();
    for (const listener of listeners) listener(message);
  });
  const client = new RpcClient({
    send: (request) => worker.postMessage(request),
    onMessage: (listener) => listeners.push(listener),
  });
  worker.on('error', (error) => {
    client.close(`The engine stopped: ${error.message}`);
    markFailed(error);
  });
  worker.on('exit', (code) => {
    client.close(`The engine stopped (exit code ${code}).`);
    markFailed(new Error(`The engine stopped before it was ready (exit code ${code}).`));
  });
  return {
    client,
    ready,
    stop: async () => {
      await worker.terminate();
    },
  };
}
