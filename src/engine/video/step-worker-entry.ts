/**
 * A step worker (step-workers.ts): the engine's edit steps on the frame windows it is sent, with
 * its own models, processor instances and caches for the whole render. Its log lines go to the
 * render's logger; it ends when told to close, after releasing its models.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorShape } from '../../shared/errors';
import { ownsItsBuffer } from '../host/transfer';
import type { Logger } from '../context';
import { createProcessContext, type ProcessorInstances } from '../edit/edit-photo';
import type { LoadedPhoto } from '../edit/processor';
import { disposeInstanceSets, runStepJob, type StepResult } from './step-runner';
import type { StepWorkerData, StepWorkerReply, StepWorkerRequest } from './step-workers';
import { createVideoEditDeps } from './video-edit-deps';

if (!parentPort) throw new Error('step worker: not started as a worker thread');
const port = parentPort;
const { paths, openedPhotos } = workerData as StepWorkerData;
const send = (reply: StepWorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);
const log =
  (level: 'debug' | 'info' | 'warn' | 'error') =>
  (message: string, fields?: Record<string, unknown>) =>
    send({ kind: 'log', level, message, ...(fields ? { fields } : {}) });
const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };

const deps = createVideoEditDeps(paths, logger);
const opened = new Map<string, LoadedPhoto>();
const openedPhoto = (reference: string): LoadedPhoto | undefined => {
  let photo = opened.get(reference);
  const given = photo ? undefined : openedPhotos.find((p) => p.reference === reference);
  if (given) opened.set(reference, (photo = { path: given.path, image: given.image, analysis: deps.analyzer.analyze(given.image) }));
  return photo;
};
const processContext = createProcessContext(deps, { logger }, openedPhoto);
const sets = new Map<number, ProcessorInstances>();

port.on('message', (request: StepWorkerRequest) => {
  if (request.kind === 'close') {
    void disposeInstanceSets(sets)
      .then(() => deps.pool.releaseAll())
      .finally(() => port.close());
    return;
  }
  const { id, job } = request;
  runStepJob(deps, job, processContext, sets).then(
    (result) => send({ kind: 'done', id, result }, movable(result)),
    (error: unknown) => send({ kind: 'failed', id, error: toErrorShape(error) }),
  );
});

/** The result's own buffers, to move rather than copy; a view into a larger buffer is copied by postMessage. */
function movable(result: StepResult): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const view of [result.image.data, result.region]) if (ownsItsBuffer(view)) buffers.add(view.buffer);
  return [...buffers];
}
