/**
 * The gate every user model passes before it is accepted: onnxruntime loads it (on the CPU
 * provider, which every install has, so the verdict does not depend on the machine), its inputs
 * and outputs are checked against its task's contract, and it runs once on zero inputs.
 */
import { InferenceSession } from 'onnxruntime-node';
import { SeamError } from '../../shared/errors';
import { toTensorSpec } from '../inference/tensor-metadata';
import { zeroFeeds } from '../inference/zero-feeds';
import { checkModelContract } from './contracts';
import type { ModelTask, TensorSpec } from './manifest';

export interface ValidatedModel {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

function describeLoadFailure(label: string, message: string): string {
  if (/protobuf parsing failed|failed to parse|ModelProto/i.test(message)) {
    return `${label} is not an ONNX model, or is a damaged or truncated one (onnxruntime could not parse it).`;
  }
  return `${label} could not be loaded by onnxruntime: ${message}`;
}

/**
 * Throws SeamError('MODEL_INVALID') naming `label` (the user's file name) and what is wrong.
 * `path` is the copy that will be kept, so what is checked is exactly what is installed.
 */
export async function validateModelFile(path: string, task: ModelTask, label: string): Promise<ValidatedModel> {
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(path, { executionProviders: ['cpu'], graphOptimizationLevel: 'basic' });
  } catch (error) {
    throw new SeamError('MODEL_INVALID', describeLoadFailure(label, error instanceof Error ? error.message : String(error)), { file: label });
  }
  try {
    const problems = checkModelContract(task, session);
    if (problems.length > 0) {
      throw new SeamError('MODEL_INVALID', `${label} is not a usable ${task} model: ${problems.join('; ')}.`, { file: label, problems });
    }
    try {
      await session.run(zeroFeeds(session.inputMetadata));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new SeamError('MODEL_INVALID', `${label} loads but fails a test run on zero inputs: ${message}`, { file: label });
    }
    return { inputs: session.inputMetadata.map(toTensorSpec), outputs: session.outputMetadata.map(toTensorSpec) };
  } finally {
    await session.release();
  }
}
