/**
 * A StepRunner over worker threads: each worker has its own models, processor instances and
 * caches (step-worker-entry.ts) and edits one frame's window at a time; jobs wait in order for the
 * next free worker. A window is copied to its worker (the caller keeps its own) and the result's
 * buffers are moved back, not copied.
 *
 * A worker that dies fails its job and every later one with a message saying so; nothing falls
 * back to the engine's thread, so a render never silently runs at another speed than it says.
 * Cancelling the job's signal stops the workers and fails what was waiting.
 */
import type { Worker } from 'node:worker_threads';
import { fromErrorShape, SeamError, type SeamErrorShape } from '../../shared/errors';
import type { JobContext } from '../context';
import { photoPaths, type EditStep } from '../edit/edit-photo';
import type { LoadedPhoto } from '../edit/processor';
import type { RasterImage } from '../image/image';
import { moduleWorkerFile, startModuleWorker } from '../module-worker';
import type { SeamPaths } from '../paths';
import type { StepJob, StepResult, StepRunner } from './step-runner';

/** What a step worker is started with. */
export interface StepWorkerData {
  paths: SeamPaths;
  /** Photos open in the editor that the steps name as "image:<id>": a worker cannot ask the session for them. */
  openedPhotos: Array<{ reference: string; path: string; image: RasterImage }>;
}

export type StepWorkerRequest = { kind: 'job'; id: number; job: StepJob } | { kind: 'close' };

export type StepWorkerReply =
  | { kind: 'done'; id: number; result: StepResult }
  | { kind: 'failed'; id: number; error: SeamErrorShape }
  | { kind: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string; fields?: Record<string, unknown> };

export interface StepWorkersOptions {
  count: number;
  paths: SeamPaths;
  steps: readonly EditStep[];
  openedPhoto?: (reference: string) => LoadedPhoto | undefined;
  /** A file to run instead of the built or source entry (tests: a worker that fails). */
  entry?: string;
}

interface Waiting {
  job: StepJob;
  resolve(result: StepResult): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  /** Settles when the worker has ended, however it ended. */
  exited: Promise<void>;
  current?: Waiting & { id: number };
}

/** How long a closing worker may take to release its models before it is terminated. */
const CLOSE_GRACE_MS = 5000;

export function startStepWorkers(options: StepWorkersOptions, ctx: JobContext): StepRunner {
  if (!Number.isInteger(options.count) || options.count < 1) throw new RangeError(`startStepWorkers needs at least one worker, not ${options.count}`);
  const file = moduleWorkerFile({ built: new URL('./step-worker.js', import.meta.url), source: new URL('./step-worker-entry.ts', import.meta.url) }, options.entry);
  const data: StepWorkerData = { paths: options.paths, openedPhotos: openedPhotosOf(options.steps, options.openedPhoto) };
  const waiting: Waiting[] = [];
  let failure: SeamError | undefined;
  let closing = false;
  let nextId = 0;

  const fail = (error: SeamError) => {
    failure ??= error;
    for (const slot of slots) {
      slot.current?.reject(failure);
      delete slot.current;
    }
    for (const job of waiting.splice(0)) job.reject(failure);
  };

  const pump = () => {
    for (const slot of slots) {
      if (slot.current || waiting.length === 0 || failure) continue;
      const next = waiting.shift()!;
      slot.current = { ...next, id: nextId++ };
      slot.worker.postMessage({ kind: 'job', id: slot.current.id, job: next.job } satisfies StepWorkerRequest);
    }
  };

  const slots: Slot[] = Array.from({ length: options.count }, (_, index) => {
    const worker = startModuleWorker(file, data);
    const slot: Slot = { worker, exited: new Promise((resolve) => worker.once('exit', () => resolve())) };
    worker.on('message', (reply: StepWorkerReply) => {
      if (reply.kind === 'log') {
        ctx.logger[reply.level](`frame worker ${index + 1}: ${reply.message}`, reply.fields);
        return;
      }
      if (!slot.current || slot.current.id !== reply.id) return;
      const { resolve, reject } = slot.current;
      delete slot.current;
      if (reply.kind === 'done') resolve(reply.result);
      else reject(fromErrorShape(reply.error));
      pump();
    });
    worker.on('error', (error) => fail(new SeamError('INTERNAL', `A frame worker stopped: ${error.message}`)));
    worker.on('exit', (code) => {
      if (!closing) fail(new SeamError('INTERNAL', `A frame worker stopped (exit code ${code}).`));
    });
    return slot;
  });

  // A cancelled render does not wait for the frames in the workers.
  const onAbort = () => {
    closing = true;
    fail(new SeamError('CANCELLED', 'Cancelled.'));
    for (const { worker } of slots) void worker.terminate();
  };
  // Workers release their models before they end; one that takes too long is terminated.
  const dispose = async () => {
    ctx.signal?.removeEventListener('abort', onAbort);
    if (!closing) {
      closing = true;
      fail(new SeamError('CANCELLED', 'The frame workers were stopped.'));
      for (const { worker } of slots) worker.postMessage({ kind: 'close' } satisfies StepWorkerRequest);
    }
    await Promise.all(
      slots.map(({ worker, exited }) => {
        const timer = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
        return exited.finally(() => clearTimeout(timer));
      }),
    );
  };
  ctx.signal?.addEventListener('abort', onAbort, { once: true });

  return {
    workers: options.count,
    run: (job) =>
      new Promise<StepResult>((resolve, reject) => {
        if (failure) return reject(failure);
        waiting.push({ job, resolve, reject });
        pump();
      }),
    dispose,
  };
}

/** The editor's open photos that the steps name ("image:<id>"), as plain data for the workers. */
function openedPhotosOf(steps: readonly EditStep[], openedPhoto: StepWorkersOptions['openedPhoto']): StepWorkerData['openedPhotos'] {
  if (!openedPhoto) return [];
  return [...new Set(photoPaths(steps))].flatMap((reference) => {
    const photo = openedPhoto(reference);
    return photo ? [{ reference, path: photo.path, image: photo.image }] : [];
  });
}
