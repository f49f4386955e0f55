/**
 * SEAN checkpoint → two ONNX files (encoder, generator), without the model store: used by the
 * importer, the parity test and the bench. Reads the checkpoint tensor by tensor while writing.
 */
import type { JobContext } from '../../context';
import { TorchCheckpoint } from '../torch/torch-checkpoint';
import type { StyleConvolution } from './ace-graph';
import { checkSeanStateDict } from './check-state-dict';
import { buildEncoderGraph } from './encoder-graph';
import { buildGeneratorGraph } from './generator-graph';
import { writeLazyGraph } from './onnx-file-writer';
import { SeanWeights } from './sean-weights';

/** Bump when the graphs written for the same checkpoint change. */
export const SEAN_EXPORTER_VERSION = 1;
export const SEAN_EXPORTER = `seam-sean2onnx ${SEAN_EXPORTER_VERSION}`;

export interface ExportSeanOptions {
  /** Store the generator's big weights as float16 (about half the size). The encoder stays float32. */
  fp16?: boolean;
  styleConvolution?: StyleConvolution;
  /** Names the checkpoint in messages (default: its file name). */
  label?: string;
}

export interface ExportedSean {
  format: 'legacy' | 'zip';
  encoderBytes: number;
  generatorBytes: number;
}

type ExportContext = Pick<JobContext, 'onProgress' | 'signal'>;

/** Opens and checks a checkpoint; throws BAD_INPUT / MODEL_INVALID with what is wrong. */
export async function openSeanCheckpoint(path: string, label?: string): Promise<TorchCheckpoint> {
  const checkpoint = await TorchCheckpoint.open(path, label);
  try {
    checkSeanStateDict(checkpoint.tensors, checkpoint.label);
    return checkpoint;
  } catch (error) {
    await checkpoint.close();
    throw error;
  }
}

export async function exportSeanOnnx(
  checkpointPath: string,
  out: { encoder: string; generator: string },
  options: ExportSeanOptions,
  ctx: ExportContext,
): Promise<ExportedSean> {
  const checkpoint = await openSeanCheckpoint(checkpointPath, options.label);
  try {
    const weights = new SeanWeights(checkpoint);
    const metadata = { source: checkpoint.label, exporter: SEAN_EXPORTER, architecture: 'SEAN CelebA-HQ (ngf 64, 19 labels, 256x256)' };
    const encoder = await buildEncoderGraph(weights);
    const encoderBytes = await writeLazyGraph(out.encoder, encoder, ctx, {
      stage: 'convert-encoder',
      model: { producerName: 'seam', producerVersion: SEAN_EXPORTER, docString: 'SEAN style encoder: image + one-hot labels → per-label style codes', metadata },
    });
    ctx.signal?.throwIfAborted();
    const generator = await buildGeneratorGraph(weights, { fp16: options.fp16, styleConvolution: options.styleConvolution });
    const generatorBytes = await writeLazyGraph(out.generator, generator, ctx, {
      stage: 'convert-generator',
      model: {
        producerName: 'seam',
        producerVersion: SEAN_EXPORTER,
        docString: 'SEAN generator: one-hot labels + style codes + 18 noise maps → image (tanh, [-1, 1])',
        metadata: { ...metadata, weights: options.fp16 ? 'float16' : 'float32', styleConvolution: options.styleConvolution ?? 'factored' },
      },
    });
    return { format: checkpoint.format, encoderBytes, generatorBytes };
  } finally {
    await checkpoint.close();
  }
}
