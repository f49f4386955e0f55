/**
 * A photo edit from file to file: decode, run each step's processor on the result of the last,
 * encode with Seam's provenance (the operations that ran), write atomically. The input is never
 * modified, nothing is written when any step fails, and every step's options are validated before
 * any pixel work starts.
 */
import { resolve } from 'node:path';
import { SeamError } from '../../shared/errors';
import { appVersion } from '../app-info';
import type { JobContext } from '../context';
import { decodeImage } from '../image/decode';
import { encodeImageFile, formatForPath } from '../image/encode';
import type { RasterImage } from '../image/image';
import type { LabelMap } from '../vision/label-map/label-map';
import type { FrameAnalysis } from './frame-analysis';
import type { EditDeps, LoadedPhoto, ProcessContext, ProcessorInstance, ProcessorModule, ProcessResult } from './processor';
import { getProcessor } from './registry';

export interface EditStep {
  processor: string;
  options: unknown;
  /** Where the step may change pixels (0..255 at the image's size): its result is blended in by this value. */
  mask?: StepMask;
}

export interface StepMask {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface EditPhotoResult {
  output: string;
  width: number;
  height: number;
  /** The provenance line of each step. */
  operations: string[];
  notes: string[];
}

/**
 * A ProcessContext whose loadPhoto decodes and analyses each path once. `openedPhoto` resolves
 * references that are not paths (the editor's "image:<id>" for a photo already open); it returns
 * undefined for anything else, which is then read as a file path.
 */
export function createProcessContext(
  deps: EditDeps,
  ctx: JobContext,
  openedPhoto: (reference: string) => LoadedPhoto | undefined = () => undefined,
): ProcessContext {
  const photos = new Map<string, Promise<LoadedPhoto>>();
  return {
    ...ctx,
    loadPhoto(path: string) {
      const opened = openedPhoto(path);
      if (opened) return Promise.resolve(opened);
      const key = resolve(path);
      let photo = photos.get(key);
      if (!photo) {
        photo = decodeImage(key, ctx.signal ? { signal: ctx.signal } : {}).then((image) => ({
          path: key,
          image,
          analysis: deps.analyzer.analyze(image),
        }));
        photos.set(key, photo);
      }
      return photo;
    },
  };
}

export interface RunStepsOptions {
  /** The first step's analysis, when the caller keeps one (the editor's open photo, a tracked frame). */
  analysis?: FrameAnalysis;
  /** A label map the user edited: every step sees it instead of the parser's. */
  labels?: LabelMap;
  frameIndex?: number;
  /**
   * Processor instances kept between calls (the editor's open photo, a video render), so their
   * caches survive from one slider step or frame to the next; the keeper disposes them.
   */
  instances?: ProcessorInstances;
}

/** Keeps one instance per step position and processor, created on first use. */
export class ProcessorInstances {
  readonly #instances = new Map<string, ProcessorInstance<unknown>>();
  constructor(private readonly deps: EditDeps) {}

  get(step: number, module: ProcessorModule<unknown>): ProcessorInstance<unknown> {
    const key = `${step}:${module.descriptor.id}`;
    let instance = this.#instances.get(key);
    if (!instance) {
      instance = module.create(this.deps);
      this.#instances.set(key, instance);
    }
    return instance;
  }

  async disposeAll(): Promise<void> {
    const all = [...this.#instances.values()];
    this.#instances.clear();
    await Promise.all(all.map((instance) => instance.dispose()));
  }
}

/** Runs the steps on an image in memory (the app's preview and the video pipeline use this too). */
export async function runSteps(
  deps: EditDeps,
  image: RasterImage,
  steps: readonly EditStep[],
  ctx: ProcessContext,
  runOptions: RunStepsOptions = {},
): Promise<ProcessResult & { operations: string[] }> {
  const prepared = steps.map((step, i) => {
    const module = getProcessor(step.processor);
    const options = module.parseOptions(step.options);
    if (step.mask && (step.mask.width !== image.width || step.mask.height !== image.height)) {
      throw new SeamError(
        'BAD_INPUT',
        `The mask limiting step ${i + 1} (${step.processor}) is ${step.mask.width}×${step.mask.height}, but the photo is ${image.width}×${image.height}.`,
      );
    }
    return { module, options, mask: step.mask };
  });
  let current = image;
  const region = new Uint8Array(image.width * image.height);
  const notes: string[] = [];
  const operations: string[] = [];
  for (const [i, { module, options, mask }] of prepared.entries()) {
    ctx.signal?.throwIfAborted();
    ctx.onProgress?.({ stage: module.descriptor.id, done: i, total: prepared.length });
    const kept = runOptions.instances?.get(i, module);
    const instance = kept ?? module.create(deps);
    try {
      const analysis =
        i === 0 && runOptions.analysis ? runOptions.analysis : deps.analyzer.analyze(current, runOptions.labels ? { labels: runOptions.labels } : {});
      const processed = await instance.process({ image: current, analysis, index: runOptions.frameIndex ?? 0 }, options, ctx);
      const result = mask ? limitToMask(current, processed, mask.data) : processed;
      current = result.image;
      // One step's region is the answer as it is; only a chain needs the per-pixel union.
      if (prepared.length === 1) region.set(result.region);
      else for (let p = 0; p < region.length; p++) if (result.region[p]! > region[p]!) region[p] = result.region[p]!;
      notes.push(...result.notes);
      operations.push(module.describe(options));
    } finally {
      if (!kept) await instance.dispose();
    }
  }
  ctx.onProgress?.({ stage: 'done', done: prepared.length, total: prepared.length });
  return { image: current, region, notes, operations };
}

/**
 * Keeps a step's change only where the mask is painted: out = before + (after − before)·m/255,
 * so outside the mask the pixels are the step's input byte for byte, and the region shrinks to
 * the mask. A result with other channels or size than its input is a processor bug, said so.
 */
export function limitToMask(before: RasterImage, result: ProcessResult, mask: Uint8Array): ProcessResult {
  const after = result.image;
  if (after.width !== before.width || after.height !== before.height || after.channels !== before.channels) {
    throw new SeamError('INTERNAL', `A step returned a ${after.width}×${after.height}×${after.channels} image for a ${before.width}×${before.height}×${before.channels} input; it cannot be limited to a mask.`);
  }
  const channels = before.channels;
  const out = new Uint8Array(after.data.length);
  const region = new Uint8Array(mask.length);
  for (let p = 0; p < mask.length; p++) {
    const m = mask[p]!;
    const o = p * channels;
    if (m === 0) {
      for (let c = 0; c < channels; c++) out[o + c] = before.data[o + c]!;
      continue;
    }
    if (m === 255) {
      for (let c = 0; c < channels; c++) out[o + c] = after.data[o + c]!;
    } else {
      for (let c = 0; c < channels; c++) {
        const a = before.data[o + c]!;
        out[o + c] = Math.round(a + ((after.data[o + c]! - a) * m) / 255);
      }
    }
    region[p] = Math.round((result.region[p]! * m) / 255);
  }
  return { ...result, image: { ...after, data: out }, region };
}

export async function editPhoto(
  deps: EditDeps,
  input: string,
  output: string,
  steps: readonly EditStep[],
  ctx: JobContext,
): Promise<EditPhotoResult> {
  if (steps.length === 0) throw new SeamError('BAD_INPUT', 'Nothing to do: no edit steps were given.');
  if (resolve(input) === resolve(output)) {
    throw new SeamError('BAD_INPUT', `Refusing to overwrite the input ${input}: choose another output file.`);
  }
  formatForPath(output); // an unsupported extension fails before any pixel work
  for (const step of steps) getProcessor(step.processor).parseOptions(step.options);
  const image = await decodeImage(input, ctx.signal ? { signal: ctx.signal } : {});
  const result = await runSteps(deps, image, steps, createProcessContext(deps, ctx));
  ctx.signal?.throwIfAborted();
  await encodeImageFile(output, result.image, {
    provenance: { software: `Seam ${appVersion()}`, operations: result.operations },
    protect: [input, ...photoPaths(steps)],
  });
  return { output, width: result.image.width, height: result.image.height, operations: result.operations, notes: result.notes };
}

/**
 * Every photo the steps' options name (source and reference photos: paths, or "image:<id>" for a
 * photo open in the editor): never to be overwritten, and what a step worker must be handed.
 */
export function photoPaths(steps: readonly EditStep[]): string[] {
  const paths: string[] = [];
  for (const step of steps) {
    const module = getProcessor(step.processor);
    const options = module.parseOptions(step.options) as Record<string, unknown>;
    for (const field of module.descriptor.fields) {
      const value = options[field.key];
      if (field.kind === 'photo' && typeof value === 'string') paths.push(value);
    }
  }
  return paths;
}
