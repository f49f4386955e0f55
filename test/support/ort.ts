/**
 * Runs a converted .onnx in onnxruntime-node on the CPU provider, with the same calling shape as
 * TfliteModel (float32 inputs in order, outputs by name) so tests and the bench compare like
 * with like.
 */
import ort from 'onnxruntime-node';
import type { NamedOutput } from './litert';

export interface OrtCpuOptions {
  /** Intra-op threads; ORT's default (0) uses one per physical core. */
  threads?: number;
}

export class OnnxModel {
  private constructor(private readonly session: ort.InferenceSession) {}

  static async load(pathOrBytes: string | Uint8Array, options: OrtCpuOptions = {}): Promise<OnnxModel> {
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: options.threads ?? 0,
    };
    const session =
      typeof pathOrBytes === 'string'
        ? await ort.InferenceSession.create(pathOrBytes, sessionOptions)
        : await ort.InferenceSession.create(pathOrBytes, sessionOptions);
    return new OnnxModel(session);
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  /** Input shapes as declared in the graph (symbolic dimensions as strings). */
  get inputShapes(): Array<ReadonlyArray<number | string>> {
    return this.session.inputMetadata.map((m) => (m.isTensor ? m.shape : []));
  }

  async run(inputs: Array<{ data: Float32Array; shape: readonly number[] }>): Promise<Record<string, NamedOutput>> {
    if (inputs.length !== this.session.inputNames.length) {
      throw new Error(`model has ${this.session.inputNames.length} inputs, got ${inputs.length}`);
    }
    const feeds: Record<string, ort.Tensor> = {};
    inputs.forEach((input, i) => {
      feeds[this.session.inputNames[i]!] = new ort.Tensor('float32', input.data, input.shape);
    });
    const results = await this.session.run(feeds);
    const out: Record<string, NamedOutput> = {};
    for (const [name, tensor] of Object.entries(results)) {
      if (tensor.type !== 'float32') throw new Error(`output ${name} is ${tensor.type}, expected float32`);
      out[name] = { data: tensor.data as Float32Array, shape: [...tensor.dims] };
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
