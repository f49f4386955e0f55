/**
 * Where a video frame's edit steps run: on the engine's own thread (StepRunner from
 * inlineStepRunner) or in a pool of worker threads (step-workers.ts), behind one interface so the
 * CLI's tracked edit and the app's plan edit hand a frame's window to either the same way.
 *
 * Why workers: a face swap costs the engine more CPU per 720p frame than anything else it does,
 * and frames are independent once their faces are known. The tracker and the YUV↔RGB conversions
 * stay on the engine's thread (they are sequential, or cheap); the steps of several frames run at
 * once, one frame per worker, and the render writes the frames in order as they finish.
 */
import { availableParallelism } from 'node:os';
import type { JobContext } from '../context';
import { createProcessContext, ProcessorInstances, runSteps, type EditStep } from '../edit/edit-photo';
import type { EditDeps, LoadedPhoto, ProcessContext } from '../edit/processor';
import type { RasterImage } from '../image/image';
import type { AnalyzedFace } from '../vision/faces/face-pipeline';
import { startStepWorkers } from './step-workers';

export interface StepJob {
  /** The RGB window to edit. The runner may edit it in place; a worker runner edits a copy. */
  image: RasterImage;
  /** The faces in the window's coordinates: the first step's analysis is seeded with them. */
  faces: AnalyzedFace[];
  steps: readonly EditStep[];
  frameIndex: number;
  /**
   * Which set of processor instances serves the job (their caches, such as the swap's prepared
   * source face, live as long as the runner): a plan keeps one per step position.
   */
  instanceSet: number;
}

export interface StepResult {
  image: RasterImage;
  region: Uint8Array;
  notes: string[];
}

export interface StepRunner {
  /** Jobs that run at once beside the engine's thread: 0 on it, one per worker in a pool. */
  readonly workers: number;
  run(job: StepJob): Promise<StepResult>;
  dispose(): Promise<void>;
}

/**
 * Frames a render keeps in flight for a runner: on the engine's thread one, with workers one per
 * worker plus the one the engine's thread is tracking and converting meanwhile.
 */
export function framesInFlightFor(runner: StepRunner): number {
  return runner.workers + 1;
}

/** The most step workers a render starts by itself: each holds its own models and caches. */
export const MAX_AUTO_STEP_WORKERS = 4;

/**
 * How many step workers a render uses when not told: none on 2 cores or fewer, where ffmpeg's
 * decoder and encoder already keep both busy and a worker only adds copies (measured in
 * `npm run bench video`), else the cores beyond two, at most MAX_AUTO_STEP_WORKERS.
 */
export function autoStepWorkers(cores = availableParallelism()): number {
  return cores <= 2 ? 0 : Math.min(MAX_AUTO_STEP_WORKERS, cores - 2);
}

export interface StepRunnerOptions {
  /** Worker threads (0: the engine's own thread). */
  workers: number;
  /** The steps the jobs will run: the workers are handed the open photos they name. */
  steps: readonly EditStep[];
  openedPhoto?: (reference: string) => LoadedPhoto | undefined;
}

/** A pool of `workers` step workers, or the engine's own thread for none. */
export function createStepRunner(deps: EditDeps, options: StepRunnerOptions, ctx: JobContext): StepRunner {
  const { workers, steps, openedPhoto } = options;
  if (workers === 0) return inlineStepRunner(deps, ctx, openedPhoto);
  return startStepWorkers({ count: workers, paths: deps.paths, steps, ...(openedPhoto ? { openedPhoto } : {}) }, ctx);
}

/** Runs the steps on the engine's own thread, one job at a time. */
export function inlineStepRunner(deps: EditDeps, ctx: JobContext, openedPhoto?: (reference: string) => LoadedPhoto | undefined): StepRunner {
  const processContext = createProcessContext(deps, { logger: ctx.logger, ...(ctx.signal ? { signal: ctx.signal } : {}) }, openedPhoto);
  const sets = new Map<number, ProcessorInstances>();
  return {
    workers: 0,
    run: (job) => runStepJob(deps, job, processContext, sets),
    dispose: () => disposeInstanceSets(sets),
  };
}

/** Lets go of every instance set a runner made (the inline runner's, a worker's), leaving the map empty. */
export async function disposeInstanceSets(sets: Map<number, ProcessorInstances>): Promise<void> {
  const all = [...sets.values()];
  sets.clear();
  await Promise.all(all.map((set) => set.disposeAll()));
}

/** One job with the given context and instance sets: the inline runner and a worker both call this. */
export async function runStepJob(deps: EditDeps, job: StepJob, processContext: ProcessContext, sets: Map<number, ProcessorInstances>): Promise<StepResult> {
  let instances = sets.get(job.instanceSet);
  if (!instances) sets.set(job.instanceSet, (instances = new ProcessorInstances(deps)));
  const analysis = deps.analyzer.analyze(job.image, { faces: job.faces });
  const result = await runSteps(deps, job.image, job.steps, processContext, { analysis, frameIndex: job.frameIndex, instances });
  return { image: result.image, region: result.region, notes: result.notes };
}
