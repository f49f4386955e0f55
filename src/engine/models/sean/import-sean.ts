/**
 * `seam models import-sean`: SEAN's latest_net_G.pth → two user models, '<id>-encoder'
 * (task style-encoder) and '<id>-generator' (task style-generator).
 *
 * The ONNX files are written into the store's .partial folder, then go through the store's own
 * importModel (copy, sha256, onnxruntime load + contract check + zero-input run, atomic manifest
 * update), so they are judged exactly like any imported model. Both or neither: if the generator
 * fails, the encoder just added is removed again. The .partial work folder is always removed.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { SeamError } from '../../../shared/errors';
import type { JobContext } from '../../context';
import type { SeamPaths } from '../../paths';
import type { ModelManifestEntry } from '../manifest';
import { loadRegistry } from '../registry';
import { PARTIAL_DIR, importModel, removeModel } from '../store';
import { exportSeanOnnx, SEAN_EXPORTER } from './export-sean-onnx';

export const DEFAULT_SEAN_ID = 'sean-celebahq';

export interface ImportSeanOptions {
  /** Store the generator's weights as float16 (≈ 0.53 GB instead of 1.06 GB; outputs differ by ~1e-3). */
  fp16?: boolean;
  /** Id prefix: the models become '<id>-encoder' and '<id>-generator' (default 'sean-celebahq'). */
  id?: string;
  licence?: string;
}

export interface ImportedSean {
  encoder: ModelManifestEntry;
  generator: ModelManifestEntry;
  checkpointFormat: 'legacy' | 'zip';
}

export function seanModelIds(prefix = DEFAULT_SEAN_ID): { encoder: string; generator: string } {
  return { encoder: `${prefix}-encoder`, generator: `${prefix}-generator` };
}

async function assertIdsFree(paths: SeamPaths, ids: string[]): Promise<void> {
  const taken = new Set((await loadRegistry(paths)).map((m) => m.entry.id));
  const clash = ids.filter((id) => taken.has(id));
  if (clash.length > 0) {
    throw new SeamError('BAD_INPUT', `A model with id ${clash.map((id) => `"${id}"`).join(' and ')} is already installed; remove it first (seam models remove) or choose another prefix with --id.`);
  }
}

export async function importSeanCheckpoint(paths: SeamPaths, checkpointPath: string, options: ImportSeanOptions, ctx: JobContext): Promise<ImportedSean> {
  const ids = seanModelIds(options.id);
  // Checked up front so a clash costs nothing; importModel checks again under the store's lock.
  await assertIdsFree(paths, [ids.encoder, ids.generator]);
  const label = basename(checkpointPath);
  const stem = basename(checkpointPath, extname(checkpointPath));
  const work = join(paths.userModelsDir, PARTIAL_DIR, `sean-${randomBytes(6).toString('hex')}`);
  await mkdir(work, { recursive: true });
  try {
    // File names become the manifest's originalName: they say where the model came from.
    const files = { encoder: join(work, `${stem}.sean-encoder.onnx`), generator: join(work, `${stem}.sean-generator${options.fp16 ? '-fp16' : ''}.onnx`) };
    const exported = await exportSeanOnnx(checkpointPath, files, { fp16: options.fp16, label }, ctx);
    const common = { licence: options.licence };
    const from = `converted by ${SEAN_EXPORTER} from ${label} (${exported.format} torch format)`;
    const encoder = await importModel(paths, files.encoder, { ...common, task: 'style-encoder', id: ids.encoder, description: `SEAN CelebA-HQ style encoder, ${from}` }, ctx);
    await rm(files.encoder, { force: true });
    let generator: ModelManifestEntry;
    try {
      const weights = options.fp16 ? 'float16 weights' : 'float32 weights';
      generator = await importModel(paths, files.generator, { ...common, task: 'style-generator', id: ids.generator, description: `SEAN CelebA-HQ generator (${weights}), ${from}` }, ctx);
    } catch (error) {
      await removeModel(paths, ids.encoder, { logger: ctx.logger }).catch((cleanup: unknown) => {
        ctx.logger.warn('could not remove the SEAN encoder after the generator failed', { id: ids.encoder, error: String(cleanup) });
      });
      throw error;
    }
    ctx.logger.info('SEAN checkpoint imported', { encoder: encoder.id, generator: generator.id, format: exported.format });
    return { encoder, generator, checkpointFormat: exported.format };
  } catch (error) {
    if (ctx.signal?.aborted && !(error instanceof SeamError && error.code === 'CANCELLED')) throw new SeamError('CANCELLED', 'Cancelled; nothing was installed.');
    throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
