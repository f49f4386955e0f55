/**
 * Does a checkpoint hold SEAN's CelebA-HQ generator? Every key inference uses must be present with
 * SEAN's shape and a floating-point type; a key SEAN does not have means another architecture (a
 * different option set, another model). Keys inference never reads (the SPADE branches' dead batch
 * norms, batch counters, up_3's unused blend logits) are not required: they are ignored.
 */
import { SeamError } from '../../../shared/errors';
import type { CheckpointTensorInfo } from '../torch/torch-checkpoint';
import { SEAN_STATE_DICT_ROWS } from './sean-state-dict.generated';

export interface SeanKeySpec {
  shape: readonly number[];
  dtype: 'f32' | 'i64';
  role: string;
  used: boolean;
}

export const SEAN_STATE_DICT: ReadonlyMap<string, SeanKeySpec> = new Map(
  SEAN_STATE_DICT_ROWS.map(([key, shape, dtype, role, used]) => [key, { shape, dtype, role, used: used === 1 }]),
);

const FLOAT_TYPES = new Set(['float32', 'float16', 'bfloat16', 'float64']);
const SHOWN = 5;

const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;
const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

function listed(items: string[]): string {
  const shown = items.slice(0, SHOWN).join('; ');
  return items.length > SHOWN ? `${shown} (and ${items.length - SHOWN} more)` : shown;
}

export interface StateDictProblems {
  missing: string[];
  misshaped: string[];
  unexpected: string[];
}

export function findStateDictProblems(tensors: ReadonlyMap<string, CheckpointTensorInfo>): StateDictProblems {
  const missing: string[] = [];
  const misshaped: string[] = [];
  for (const [key, spec] of SEAN_STATE_DICT) {
    if (!spec.used) continue;
    const tensor = tensors.get(key);
    if (!tensor) missing.push(key);
    else if (!sameShape(tensor.shape, spec.shape)) misshaped.push(`${key} is ${shapeText(tensor.shape)}, SEAN's is ${shapeText(spec.shape)}`);
    else if (!FLOAT_TYPES.has(tensor.dtype)) misshaped.push(`${key} holds ${tensor.dtype}, SEAN's holds float32`);
  }
  const unexpected = [...tensors.keys()].filter((key) => !SEAN_STATE_DICT.has(key));
  return { missing, misshaped, unexpected };
}

/** Throws MODEL_INVALID naming the first few offending keys, with SEAN's shape beside the file's. */
export function checkSeanStateDict(tensors: ReadonlyMap<string, CheckpointTensorInfo>, label: string): void {
  const { missing, misshaped, unexpected } = findStateDictProblems(tensors);
  if (missing.length + misshaped.length + unexpected.length === 0) return;
  const parts: string[] = [];
  if (misshaped.length > 0) parts.push(`Wrong shape: ${listed(misshaped)}`);
  if (missing.length > 0) parts.push(`Missing: ${listed(missing)}`);
  if (unexpected.length > 0) parts.push(`Not in SEAN: ${listed(unexpected)}`);
  const used = [...SEAN_STATE_DICT.values()].filter((s) => s.used).length;
  throw new SeamError(
    'MODEL_INVALID',
    `${label} is a PyTorch checkpoint, but not SEAN's CelebA-HQ generator (latest_net_G.pth): ${parts.join('. ')}. ` +
      `(It has ${tensors.size} tensors; SEAN's generator has ${SEAN_STATE_DICT.size}, of which inference uses ${used}.)`,
    { file: label, missing: missing.length, misshaped: misshaped.length, unexpected: unexpected.length },
  );
}
