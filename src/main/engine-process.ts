/**
 * Starts the engine in an Electron utility process and talks to it over its message port, so no
 * pixel work ever runs on the main process's event loop. If the engine dies, pending calls fail
 * with a readable message and the next call starts a fresh one.
 */
import { utilityProcess, type UtilityProcess } from 'electron';
import { join } from 'node:path';
import { RpcClient } from '../shared/rpc-client';
import type { HostRequest } from '../shared/engine-protocol';

export interface EngineProcessOptions {
  /** Folder holding the bundled engine-host.js (electron-vite puts it beside index.js). */
  bundleDir: string;
  /** process.resourcesPath when packaged; undefined in development. */
  packagedResourcesPath: string | undefined;
  dataDir: string;
  onEvent(event: string, payload: unknown): void;
}

export class EngineProcess {
  #child: UtilityProcess | null = null;
  #client: RpcClient | null = null;
  readonly #options: EngineProcessOptions;

  constructor(options: EngineProcessOptions) {
    this.#options = options;
  }

  client(): RpcClient {
    if (this.#client) return this.#client;
    const args = [`--data-dir=${this.#options.dataDir}`];
    if (this.#options.packagedResourcesPath) args.push(`--resources=${this.#options.packagedResourcesPath}`);
    const child = utilityProcess.fork(join(this.#options.bundleDir, 'engine-host.js'), args, {
      serviceName: 'Seam engine',
      stdio: 'inherit',
    });
    const listeners: Array<(message: unknown) => void> = [];
    child.on('message', (message: unknown) => listeners.forEach((listener) => listener(message)));
    const client = new RpcClient({
      send: (request: HostRequest) => child.postMessage(request),
      onMessage: (listener) => listeners.push(listener),
    });
    client.onEvent((event, payload) => this.#options.onEvent(event, payload));
    child.once('exit', (code) => {
      client.close(`The engine process stopped unexpectedly (exit code ${code}). Try again; it restarts on the next action.`);
      if (this.#child === child) {
        this.#child = null;
        this.#client = null;
      }
    });
    this.#child = child;
    this.#client = client;
    return client;
  }

  stop(): void {
    this.#child?.kill();
    this.#child = null;
    this.#client = null;
  }
}
