/**
 * Starts one of the engine's own modules in a worker thread, from its bundle when the project is
 * built (out/node, out/main: the bundles sit flat beside the code that starts them) and from its
 * TypeScript source otherwise (tests, `tsx`). Node 20 does not pass `--import` hooks to workers,
 * so a worker started from source registers tsx itself before importing its entry.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface ModuleWorkerEntry {
  /** The bundled entry, e.g. `new URL('./engine-worker.js', import.meta.url)`. */
  built: URL;
  /** The entry's source, e.g. `new URL('./worker-entry.ts', import.meta.url)`. */
  source: URL;
}

/** The file a worker for `entry` runs: `override` when given, else the bundle if it exists, else the source. */
export function moduleWorkerFile(entry: ModuleWorkerEntry, override?: string): string {
  if (override) return override;
  const built = fileURLToPath(entry.built);
  return existsSync(built) ? built : fileURLToPath(entry.source);
}

export function startModuleWorker(file: string, workerData: unknown): Worker {
  if (!file.endsWith('.ts')) return new Worker(file, { workerData });
  return new Worker(
    `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})` +
      `.then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); })`,
    { eval: true, workerData },
  );
}
