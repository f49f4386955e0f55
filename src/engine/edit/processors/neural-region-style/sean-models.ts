/**
 * The SEAN encoder and generator as the processor finds and runs them: looked up in the model
 * registry by the ids `seam models import-sean` gives them, their tensors told apart by the shapes
 * the store recorded (names are not part of the contract, docs/GENERATORS.md), run on the engine's
 * shared SessionPool (one session per model, loaded on first use) and released again after
 * SEAN_IDLE_RELEASE_MS without a run: together they hold about a gigabyte, which an editor that
 * used them once should not keep.
 */
import { Tensor } from 'onnxruntime-node';
import { LABEL_COUNT } from '../../../../shared/labels';
import { SeamError } from '../../../../shared/errors';
import type { SessionPool } from '../../../inference/session-pool';
import type { TensorSpec } from '../../../models/manifest';
import { findModel, toModelRef, type RegisteredModel } from '../../../models/registry';
import { seanModelIds } from '../../../models/sean/import-sean';
import { SEAN_NOISE_INPUTS, type NoiseInputSpec } from '../../../models/sean/sean-architecture';
import { seededNoiseMaps } from '../../../models/sean/seeded-noise';
import type { SeamPaths } from '../../../paths';

export const SEAN_SIZE = 256;
export const SEAN_CODE_LENGTH = 512;
/** A minute without a SEAN run frees both sessions; the next edit loads them again (seconds). */
export const SEAN_IDLE_RELEASE_MS = 60_000;

export const MISSING_SEAN_MESSAGE =
  "Neural region style needs SEAN's CelebA-HQ models, which are not installed. Import SEAN's checkpoint once: " +
  '`seam models import-sean <latest_net_G.pth>`, or use Import SEAN checkpoint… in the model manager.';

export interface SeanModelPair {
  encoder: RegisteredModel;
  generator: RegisteredModel;
}

/** The installed pair; MISSING_DEPENDENCY telling the user how to import it when either is absent. */
export async function findSeanModels(paths: SeamPaths): Promise<SeanModelPair> {
  const ids = seanModelIds();
  const find = async (id: string, task: string) => {
    const model = await findModel(paths, id).catch((error: unknown) => {
      if (error instanceof SeamError && error.code === 'NOT_FOUND') throw new SeamError('MISSING_DEPENDENCY', MISSING_SEAN_MESSAGE, { model: id });
      throw error;
    });
    if (model.entry.task !== task) {
      throw new SeamError('MODEL_INVALID', `The installed model "${id}" is a ${model.entry.task} model, not a ${task}; remove it (seam models remove ${id}) and import SEAN's checkpoint again.`);
    }
    return model;
  };
  return { encoder: await find(ids.encoder, 'style-encoder'), generator: await find(ids.generator, 'style-generator') };
}

const sameShape = (spec: TensorSpec, shape: readonly number[]) => spec.shape.length === shape.length && spec.shape.every((d, i) => d === shape[i]);

function inputNamed(model: RegisteredModel, shape: readonly number[], what: string): string {
  const found = model.entry.inputs.find((spec) => sameShape(spec, shape));
  if (!found) throw new SeamError('MODEL_INVALID', `Model "${model.entry.id}" has no ${what} input [${shape.join(', ')}] in its manifest; import it again.`);
  return found.name;
}

function onlyOutput(model: RegisteredModel): string {
  const output = model.entry.outputs[0];
  if (!output) throw new SeamError('MODEL_INVALID', `Model "${model.entry.id}" lists no output in its manifest; import it again.`);
  return output.name;
}

/**
 * The generator's extra inputs as noise maps: [1, 1, r, r] each, in SEAN's draw order where the
 * names are SEAN's (so a SEAN import gets exactly `seededNoiseMaps(seed)`), then in manifest order.
 */
export function noiseInputsOf(generator: RegisteredModel, used: ReadonlySet<string>): NoiseInputSpec[] {
  const extras = generator.entry.inputs.filter((spec) => !used.has(spec.name));
  const rank = (name: string) => {
    const i = SEAN_NOISE_INPUTS.findIndex((n) => n.name === name);
    return i < 0 ? SEAN_NOISE_INPUTS.length : i;
  };
  return extras
    .map((spec, order) => ({ spec, order }))
    .sort((a, b) => rank(a.spec.name) - rank(b.spec.name) || a.order - b.order)
    .map(({ spec }) => {
      const [n, c, h, w] = spec.shape;
      if (spec.shape.length !== 4 || n !== 1 || c !== 1 || typeof h !== 'number' || h !== w) {
        throw new SeamError('MODEL_INVALID', `Model "${generator.entry.id}": extra input "${spec.name}" [${spec.shape.join(', ')}] is not a square noise map [1, 1, r, r] (docs/GENERATORS.md).`);
      }
      return { name: spec.name, resolution: h, channels: 1 };
    });
}

/** Releases a model's session after a quiet spell; one per pool, so every instance shares the timers. */
class IdleRelease {
  readonly #timers = new Map<string, NodeJS.Timeout>();
  constructor(private readonly pool: SessionPool) {}

  touch(modelId: string): void {
    clearTimeout(this.#timers.get(modelId));
    const timer = setTimeout(() => {
      this.#timers.delete(modelId);
      void this.pool.release(modelId);
    }, SEAN_IDLE_RELEASE_MS);
    timer.unref();
    this.#timers.set(modelId, timer);
  }

  hold(modelId: string): void {
    clearTimeout(this.#timers.get(modelId));
    this.#timers.delete(modelId);
  }
}

const idleReleases = new WeakMap<SessionPool, IdleRelease>();

function idleReleaseFor(pool: SessionPool): IdleRelease {
  let release = idleReleases.get(pool);
  if (!release) {
    release = new IdleRelease(pool);
    idleReleases.set(pool, release);
  }
  return release;
}

/** The pair, ready to run: encode a crop, generate one. */
export class SeanRunner {
  readonly #pool: SessionPool;
  readonly #idle: IdleRelease;
  readonly #encoderInputs: { image: string; labels: string; output: string };
  readonly #generatorInputs: { labels: string; codes: string; output: string; noise: NoiseInputSpec[] };

  constructor(
    readonly models: SeanModelPair,
    pool: SessionPool,
  ) {
    this.#pool = pool;
    this.#idle = idleReleaseFor(pool);
    const { encoder, generator } = models;
    this.#encoderInputs = {
      image: inputNamed(encoder, [1, 3, SEAN_SIZE, SEAN_SIZE], 'image'),
      labels: inputNamed(encoder, [1, LABEL_COUNT, SEAN_SIZE, SEAN_SIZE], 'one-hot label'),
      output: onlyOutput(encoder),
    };
    const labels = inputNamed(generator, [1, LABEL_COUNT, SEAN_SIZE, SEAN_SIZE], 'one-hot label');
    const codes = inputNamed(generator, [1, LABEL_COUNT, SEAN_CODE_LENGTH], 'style-code');
    this.#generatorInputs = { labels, codes, output: onlyOutput(generator), noise: noiseInputsOf(generator, new Set([labels, codes])) };
  }

  /** Style codes [19 × 512] of an aligned crop: `image` NCHW in [-1, 1], `oneHot` [19, 256, 256]. */
  async encode(image: Float32Array, oneHot: Float32Array, signal?: AbortSignal): Promise<Float32Array> {
    const { image: imageName, labels, output } = this.#encoderInputs;
    return this.#run(this.models.encoder, { [imageName]: new Tensor('float32', image, [1, 3, SEAN_SIZE, SEAN_SIZE]), [labels]: new Tensor('float32', oneHot, [1, LABEL_COUNT, SEAN_SIZE, SEAN_SIZE]) }, output, signal);
  }

  /** The generated crop, NCHW [3, 256, 256] in [-1, 1], with noise maps drawn from `seed`. */
  async generate(oneHot: Float32Array, codes: Float32Array, seed: number, signal?: AbortSignal): Promise<Float32Array> {
    const { labels, codes: codesName, output, noise } = this.#generatorInputs;
    const maps = seededNoiseMaps(seed, noise);
    const feeds: Record<string, Tensor> = {
      [labels]: new Tensor('float32', oneHot, [1, LABEL_COUNT, SEAN_SIZE, SEAN_SIZE]),
      [codesName]: new Tensor('float32', codes, [1, LABEL_COUNT, SEAN_CODE_LENGTH]),
    };
    for (const spec of noise) feeds[spec.name] = new Tensor('float32', maps[spec.name]!, [1, 1, spec.resolution, spec.resolution]);
    return this.#run(this.models.generator, feeds, output, signal);
  }

  async #run(model: RegisteredModel, feeds: Record<string, Tensor>, output: string, signal?: AbortSignal): Promise<Float32Array> {
    const id = model.entry.id;
    this.#idle.hold(id);
    try {
      const outputs = await this.#pool.run(toModelRef(model), feeds, signal ? { signal } : {});
      const tensor = outputs[output];
      if (!tensor || tensor.type !== 'float32') throw new SeamError('MODEL_INVALID', `Model "${id}" gave no float32 output "${output}".`);
      return tensor.data as Float32Array;
    } finally {
      this.#idle.touch(id);
    }
  }
}
