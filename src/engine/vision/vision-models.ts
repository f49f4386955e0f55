/**
 * The built-in vision models by id: reads the built-in manifest once, hands out ModelRefs for the
 * shared SessionPool and runs them. Face detection, landmarks and segmentation all go through
 * here, so one pool (one session per model and provider) serves the whole engine.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor as OrtTensor, type Tensor } from 'onnxruntime-node';
import { SeamError } from '../../shared/errors';
import type { Logger } from '../context';
import type { Feeds } from '../inference/zero-feeds';
import type { ModelRef, SessionPool } from '../inference/session-pool';
import { readManifestFile } from '../models/manifest-io';
import { MANIFEST_FILE, type ModelManifestEntry } from '../models/manifest';
import type { SeamPaths } from '../paths';

export const VISION_MODEL_IDS = [
  'face_detection_short_range',
  'face_detection_full_range',
  'face_landmark',
  'selfie_segmentation',
  'selfie_segmentation_landscape',
] as const;
export type VisionModelId = (typeof VISION_MODEL_IDS)[number];

export interface VisionModelsOptions {
  paths: Pick<SeamPaths, 'builtInModelsDir'>;
  pool: SessionPool;
  logger: Logger;
}

export class VisionModels {
  readonly pool: SessionPool;
  private readonly modelsDir: string;
  private readonly logger: Logger;
  private entries: Promise<Map<string, ModelManifestEntry>> | undefined;
  private readonly refs = new Map<VisionModelId, ModelRef>();

  constructor(options: VisionModelsOptions) {
    this.pool = options.pool;
    this.modelsDir = options.paths.builtInModelsDir;
    this.logger = options.logger;
  }

  /** The manifest entry of a built-in model; MISSING_DEPENDENCY when it was never built. */
  async entry(id: VisionModelId): Promise<ModelManifestEntry> {
    const entries = await this.loadEntries();
    const entry = entries.get(id);
    if (!entry) {
      throw new SeamError('MISSING_DEPENDENCY', `The built-in model "${id}" is not in ${join(this.modelsDir, MANIFEST_FILE)}; run \`npm run models\` to build it.`);
    }
    return entry;
  }

  async ref(id: VisionModelId): Promise<ModelRef> {
    const known = this.refs.get(id);
    if (known) return known;
    const entry = await this.entry(id);
    const path = join(this.modelsDir, entry.file);
    if (!existsSync(path)) {
      throw new SeamError('MISSING_DEPENDENCY', `The built-in model file ${path} is missing; run \`npm run models\` to build it.`);
    }
    const ref = { id: entry.id, path, inputs: entry.inputs };
    this.refs.set(id, ref);
    return ref;
  }

  /** Runs a model once; cancellation is honoured before the run starts (ORT cannot stop one half-way). */
  async run(id: VisionModelId, feeds: Feeds, signal?: AbortSignal): Promise<Record<string, Tensor>> {
    signal?.throwIfAborted();
    const ref = await this.ref(id);
    return this.pool.run(ref, feeds, signal ? { signal } : {});
  }

  /**
   * Runs a one-input model (all the built-ins) on a float32 tensor fed to its declared input, so
   * callers need not know that the detector's input is "input" and the landmark model's "input_1".
   */
  async runImage(id: VisionModelId, data: Float32Array, dims: readonly number[], signal?: AbortSignal): Promise<Record<string, Tensor>> {
    const entry = await this.entry(id);
    const name = entry.inputs[0]?.name;
    if (!name) throw new SeamError('MODEL_INVALID', `The manifest declares no input for model "${id}".`);
    return this.run(id, { [name]: new OrtTensor('float32', data, dims) }, signal);
  }

  private loadEntries(): Promise<Map<string, ModelManifestEntry>> {
    this.entries ??= (async () => {
      const path = join(this.modelsDir, MANIFEST_FILE);
      const manifest = await readManifestFile(path);
      if (!manifest) throw new SeamError('MISSING_DEPENDENCY', `No model manifest at ${path}; run \`npm run models\` to build the built-in models.`);
      this.logger.debug('vision models manifest read', { path, models: manifest.models.length });
      return new Map(manifest.models.map((m) => [m.id, m]));
    })();
    // A failed read is not cached: the user may build the models and try again.
    this.entries.catch(() => {
      this.entries = undefined;
    });
    return this.entries;
  }
}

/** The output of `outputs` whose last dimension is `size` (the models' output names differ per model). */
export function outputBySize(outputs: Record<string, Tensor>, size: number, what: string): Float32Array {
  for (const tensor of Object.values(outputs)) {
    if (tensor.dims[tensor.dims.length - 1] === size && tensor.data instanceof Float32Array) return tensor.data;
  }
  const shapes = Object.entries(outputs).map(([name, t]) => `${name} [${t.dims.join('×')}]`).join(', ');
  throw new SeamError('MODEL_INVALID', `The model gave no ${what} output (last dimension ${size}); it gave ${shapes}.`);
}
