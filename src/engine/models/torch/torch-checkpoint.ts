/**
 * Opens a PyTorch checkpoint (torch.save of a state dict) in either format, without running any
 * Python and without loading the tensors: `tensors` describes every entry (dtype, shape), and
 * `readFloat32` reads one tensor's bytes by offset when asked. Peak memory is one tensor at a time.
 *
 * Failures are SeamErrors a user can act on: "not a PyTorch checkpoint", "a truncated
 * checkpoint", or a refusal naming the Python object a file wanted to run.
 */
import { basename } from 'node:path';
import { SeamError } from '../../../shared/errors';
import { CheckpointFormatError, type ParsedCheckpoint } from './storage-records';
import { parseLegacyCheckpoint, startsLikePickle } from './legacy-checkpoint';
import { ForbiddenGlobalError, PickleFormatError, PickleTruncatedError } from './pickle-values';
import { RandomAccessFile } from './random-access-file';
import { stateDictTensors } from './state-dict';
import { decodeTensor } from './decode-tensor';
import { DTYPE_BYTES, elementCount, elementSpan, type TensorRef, type TorchDType } from './tensor-types';
import { parseZipCheckpoint, startsLikeZip } from './zip-checkpoint';
import { ZipFormatError } from './zip-directory';

export interface CheckpointTensorInfo {
  dtype: TorchDType;
  shape: readonly number[];
}

export const notACheckpoint = (label: string, why: string) =>
  new SeamError('BAD_INPUT', `${label} is not a PyTorch checkpoint Seam can read: ${why}.`, { file: label });

export const truncatedCheckpoint = (label: string, why: string) =>
  new SeamError('BAD_INPUT', `${label} is a truncated checkpoint: ${why}. The file was cut short (an interrupted download or copy?); fetch it again.`, { file: label });

function describeOpenFailure(label: string, error: unknown): unknown {
  if (error instanceof SeamError) return error;
  if (error instanceof ForbiddenGlobalError) {
    return new SeamError(
      'BAD_INPUT',
      `${label} cannot be read safely: it refers to the Python object ${error.qualifiedName}. Seam reads only state dicts (names → tensors) and never runs code from a checkpoint; save the model's state_dict() instead.`,
      { file: label, pythonObject: error.qualifiedName },
    );
  }
  if (error instanceof PickleTruncatedError) return truncatedCheckpoint(label, 'the file ends inside its pickled data');
  if ((error instanceof CheckpointFormatError || error instanceof ZipFormatError) && error.truncated) return truncatedCheckpoint(label, error.message);
  if (error instanceof CheckpointFormatError || error instanceof ZipFormatError) return notACheckpoint(label, error.message);
  if (error instanceof PickleFormatError) return notACheckpoint(label, `its pickled data holds ${error.message}`);
  return error;
}

export class TorchCheckpoint {
  private constructor(
    private readonly file: RandomAccessFile,
    private readonly parsed: ParsedCheckpoint,
    private readonly refs: ReadonlyMap<string, TensorRef>,
    readonly label: string,
  ) {}

  /** `label` names the file in messages (default: its base name). */
  static async open(path: string, label = basename(path)): Promise<TorchCheckpoint> {
    let file: RandomAccessFile;
    try {
      file = await RandomAccessFile.open(path);
    } catch {
      throw new SeamError('NOT_FOUND', `There is no readable file at ${path}.`);
    }
    try {
      const head = await file.read(0, 64);
      let parsed: ParsedCheckpoint;
      if (startsLikeZip(head)) parsed = await parseZipCheckpoint(file);
      else if (startsLikePickle(head)) parsed = await parseLegacyCheckpoint(file);
      else throw notACheckpoint(label, file.size === 0 ? 'the file is empty' : 'it is neither a torch zip archive nor a legacy torch pickle');
      const refs = stateDictTensors(parsed.root, label);
      for (const [name, ref] of refs) checkInRecord(parsed, name, ref, label);
      return new TorchCheckpoint(file, parsed, refs, label);
    } catch (error) {
      await file.close();
      throw describeOpenFailure(label, error);
    }
  }

  get format(): 'legacy' | 'zip' {
    return this.parsed.format;
  }

  /** Every tensor of the state dict, in file order. */
  get tensors(): ReadonlyMap<string, CheckpointTensorInfo> {
    return new Map([...this.refs].map(([name, ref]) => [name, { dtype: ref.storage.dtype, shape: ref.shape }]));
  }

  /** One tensor's values as float32 in row-major order (converted from its dtype, gathered from its strides). */
  async readFloat32(name: string): Promise<Float32Array> {
    const ref = this.refs.get(name);
    if (!ref) throw new SeamError('INTERNAL', `${this.label} has no tensor ${name}`);
    const size = DTYPE_BYTES[ref.storage.dtype];
    if (elementCount(ref.shape) === 0) return new Float32Array(0);
    const span = elementSpan(ref.shape, ref.stride);
    const first = ref.storage.baseOffset + ref.storageOffset + span.min;
    const count = span.max - span.min;
    const bytes = await this.parsed.records.read(ref.storage.key, first * size, count * size);
    if (bytes.byteLength !== count * size) throw truncatedCheckpoint(this.label, `the data of ${name} is cut off`);
    return decodeTensor(bytes, ref.storage.dtype, ref.shape, ref.stride, span.min);
  }

  async close(): Promise<void> {
    await this.file.close();
  }
}

/** A tensor must lie inside its storage and its storage inside the file: checked once, at open. */
function checkInRecord(parsed: ParsedCheckpoint, name: string, ref: TensorRef, label: string): void {
  const { storage } = ref;
  const recordBytes = parsed.records.byteLength(storage.key);
  if (recordBytes === undefined) throw notACheckpoint(label, `the data of tensor ${name} (storage ${storage.key}) is missing`);
  if (elementCount(ref.shape) === 0) return;
  const span = elementSpan(ref.shape, ref.stride);
  const size = DTYPE_BYTES[storage.dtype];
  const lastElement = storage.baseOffset + ref.storageOffset + span.max;
  if (ref.storageOffset + span.min < 0 || ref.storageOffset + span.max > storage.numel || lastElement * size > recordBytes) {
    throw notACheckpoint(label, `tensor ${name} [${ref.shape.join(', ')}] points outside its storage`);
  }
}
