/**
 * Starts the engine in a worker thread and returns a client for it. Used by the web host and by
 * tests that go through the same protocol as the app. From source, tsx compiles the worker.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { RpcClient } from '../../shared/rpc-client';
import type { ResolvePathsOptions } from '../paths';

export interface EngineWorker {
  client: RpcClient;
  ready: Promise<void>;
  stop(): Promise<void>;
}

export function startEngineWorker(options: ResolvePathsOptions & { entry?: string } = {}): EngineWorker {
  const { entry, ...pathOptions } = options;
  const built = fileURLToPath(new URL('./engine-worker.js', import.meta.url));
  const source = fileURLToPath(new URL('./worker-entry.ts', import.meta.url));
  const file = entry ?? (existsSync(built) ? built : source);
  const worker = new Worker(file, {
    workerData: pathOptions,
    // Running from source needs tsx's loader inside the worker too.
    execArgv: file.endsWith('.ts') ? ['--import', 'tsx'] : [],
  });
  const listeners: Array<(message: unknown) => void> = [];
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  worker.on('message', (message: unknown) => {
    if ((message as { kind?: string })?.kind === 'ready') markReady();
    for (const listener of listeners) listener(message);
  });
  const client = new RpcClient({
    send: (request) => worker.postMessage(request),
    onMessage: (listener) => listeners.push(listener),
  });
  worker.on('error', (error) => client.close(`The engine stopped: ${error.message}`));
  worker.on('exit', (code) => client.close(`The engine stopped (exit code ${code}).`));
  return {
    client,
    ready,
    stop: async () => {
      await worker.terminate();
    },
  };
}
