/**
 * What each task requires of a model's inputs and outputs, checked against what onnxruntime
 * reports after actually loading the file (`session.inputMetadata` / `outputMetadata`), so a model
 * is judged by what ORT will feed it, not by what its author says.
 *
 * Names are never required (every exporter names tensors differently); tensors are matched by
 * rank, dtype and fixed sizes. Symbolic dimensions ('batch', 'height') cannot be checked here and
 * are accepted; the zero-input test run at import catches what they hide.
 */
import type { ModelTask } from './manifest';
import { describeValues, type SessionMetadata, type ValueMetadata } from '../inference/tensor-metadata';

export const MODEL_TASKS: readonly ModelTask[] = [
  'face-detection',
  'face-landmarks',
  'person-segmentation',
  'style-encoder',
  'style-generator',
];

export function isModelTask(value: string): value is ModelTask {
  return (MODEL_TASKS as readonly string[]).includes(value);
}

/**
 * A fixed size, '*' for any size, '$X' for a size that must be equal wherever $X appears, or
 * { min } for a size at least that big (a mask is an image, not a 1×1 score).
 */
export type DimRule = number | '*' | `$${string}` | { min: number };

export interface TensorRule {
  role: string;
  dtypes: readonly string[];
  /** One rule per axis; absent means any rank. */
  dims?: readonly DimRule[];
  /** Allowed element counts (product of all sizes), for outputs whose layout varies by exporter. */
  elements?: readonly number[];
  /** How the rule reads in an error message: "a float32 score output [1, N, 1]". */
  text: string;
}

export interface ContractVariant {
  inputs: readonly TensorRule[];
  /** Inputs beyond the required ones: refused, or allowed when they fit this rule (noise inputs). */
  extraInputs: 'none' | TensorRule;
  outputs: readonly TensorRule[];
}

export interface TaskContract {
  task: ModelTask;
  /** One sentence: what the task's models take and give. */
  summary: string;
  /** Alternative layouts; a model passes when it fits any. Problems are reported for the first. */
  variants: readonly ContractVariant[];
}

const F32 = ['float32'] as const;
/** Smallest mask side taken for a mask: anything smaller is a score, not an image. */
const MASK_SIDE = { min: 8 } as const;

const nhwcImage: TensorRule = { role: 'image', dtypes: F32, dims: [1, '*', '*', 3], text: 'one 4-D float32 image input [1, H, W, 3] (NHWC, RGB)' };

export const TASK_CONTRACTS: Record<ModelTask, TaskContract> = {
  'face-detection': {
    task: 'face-detection',
    summary: 'one 4-D float32 image input [1, H, W, 3] (NHWC, RGB); outputs: box regressors [1, N, 16] and scores [1, N, 1]',
    variants: [
      {
        inputs: [nhwcImage],
        extraInputs: 'none',
        outputs: [
          { role: 'regressors', dtypes: F32, dims: [1, '$N', 16], text: 'a float32 box regressor output [1, N, 16] (box + 6 keypoints per anchor)' },
          { role: 'scores', dtypes: F32, dims: [1, '$N', 1], text: 'a float32 score output [1, N, 1] (same N as the regressors)' },
        ],
      },
    ],
  },
  'face-landmarks': {
    task: 'face-landmarks',
    summary: 'one 4-D float32 image input [1, H, W, 3] (NHWC, RGB); outputs: 468 (or 478) landmarks × x,y,z and a 1-value face-presence score',
    variants: [
      {
        inputs: [nhwcImage],
        extraInputs: 'none',
        outputs: [
          { role: 'landmarks', dtypes: F32, elements: [1404, 1434], text: 'a float32 landmark output with 1404 values (468 points × x, y, z)' },
          { role: 'presence', dtypes: F32, elements: [1], text: 'a float32 face-presence output with 1 value' },
        ],
      },
    ],
  },
  'person-segmentation': {
    task: 'person-segmentation',
    summary: 'one 4-D float32 3-channel image input ([1, H, W, 3] or [1, 3, H, W]); output: a 4-D 1-channel mask',
    variants: [
      {
        inputs: [nhwcImage],
        extraInputs: 'none',
        outputs: [{ role: 'mask', dtypes: F32, dims: [1, MASK_SIDE, MASK_SIDE, 1], text: 'a 4-D float32 mask output [1, H, W, 1]' }],
      },
      {
        inputs: [{ role: 'image', dtypes: F32, dims: [1, 3, '*', '*'], text: 'one 4-D float32 image input [1, 3, H, W]' }],
        extraInputs: 'none',
        outputs: [{ role: 'mask', dtypes: F32, dims: [1, 1, MASK_SIDE, MASK_SIDE], text: 'a 4-D float32 mask output [1, 1, H, W]' }],
      },
    ],
  },
  'style-encoder': {
    task: 'style-encoder',
    summary: 'inputs: an image [1, 3, 256, 256] and one-hot labels [1, 19, 256, 256] (float32, NCHW); output: style codes [1, 19, 512]',
    variants: [
      {
        inputs: [
          { role: 'image', dtypes: F32, dims: [1, 3, 256, 256], text: 'a float32 image input [1, 3, 256, 256]' },
          { role: 'labels', dtypes: F32, dims: [1, 19, 256, 256], text: 'a float32 one-hot label input [1, 19, 256, 256]' },
        ],
        extraInputs: 'none',
        outputs: [{ role: 'codes', dtypes: F32, dims: [1, 19, 512], text: 'a float32 style-code output [1, 19, 512]' }],
      },
    ],
  },
  'style-generator': {
    task: 'style-generator',
    summary: 'inputs: one-hot labels [1, 19, 256, 256] and style codes [1, 19, 512] (float32), plus optional float32 noise inputs; output: an image [1, 3, 256, 256]',
    variants: [
      {
        inputs: [
          { role: 'labels', dtypes: F32, dims: [1, 19, 256, 256], text: 'a float32 one-hot label input [1, 19, 256, 256]' },
          { role: 'codes', dtypes: F32, dims: [1, 19, 512], text: 'a float32 style-code input [1, 19, 512]' },
        ],
        extraInputs: { role: 'noise', dtypes: F32, text: 'float32 noise inputs' },
        outputs: [{ role: 'image', dtypes: F32, dims: [1, 3, 256, 256], text: 'a float32 image output [1, 3, 256, 256]' }],
      },
    ],
  },
};

type Bindings = ReadonlyMap<string, number>;

/** Whether `value` fits `rule`; returns the bindings it adds, or null. */
function fit(value: ValueMetadata, rule: TensorRule, bindings: Bindings): Map<string, number> | null {
  if (!value.isTensor || !rule.dtypes.includes(value.type)) return null;
  const next = new Map(bindings);
  if (rule.dims) {
    if (value.shape.length !== rule.dims.length) return null;
    for (let axis = 0; axis < rule.dims.length; axis += 1) {
      const want = rule.dims[axis]!;
      const have = value.shape[axis]!;
      if (typeof have === 'string' || want === '*') continue;
      if (typeof want === 'number') {
        if (have !== want) return null;
      } else if (typeof want === 'object') {
        if (have < want.min) return null;
      } else {
        const bound = next.get(want);
        if (bound === undefined) next.set(want, have);
        else if (bound !== have) return null;
      }
    }
  }
  if (rule.elements) {
    const symbolic = value.shape.some((d) => typeof d === 'string');
    const count = value.shape.reduce<number>((n, d) => n * (typeof d === 'number' ? d : 1), 1);
    if (!symbolic && !rule.elements.includes(count)) return null;
  }
  return next;
}

/** Assigns each rule a distinct value (small backtracking search: models have a handful of tensors). */
function assign(values: readonly ValueMetadata[], rules: readonly TensorRule[], bindings: Bindings, used: Set<number>): Bindings | null {
  if (rules.length === 0) return bindings;
  const [rule, ...rest] = rules;
  for (let i = 0; i < values.length; i += 1) {
    if (used.has(i)) continue;
    const next = fit(values[i]!, rule!, bindings);
    if (!next) continue;
    used.add(i);
    const done = assign(values, rest, next, used);
    if (done) return done;
    used.delete(i);
  }
  return null;
}

function variantProblems(task: ModelTask, variant: ContractVariant, meta: SessionMetadata): string[] {
  const inputs = meta.inputMetadata;
  const outputs = meta.outputMetadata;
  const problems: string[] = [];
  const hasInputs = describeValues(inputs, 'input');
  const hasOutputs = describeValues(outputs, 'output');

  const usedInputs = new Set<number>();
  const inputBindings = assign(inputs, variant.inputs, new Map(), usedInputs);
  if (!inputBindings) {
    const missing = variant.inputs.filter((rule) => !inputs.some((value) => fit(value, rule, new Map())));
    problems.push(
      missing.length > 0
        ? `${task} models need ${missing.map((r) => r.text).join(' and ')}; this one has ${hasInputs}`
        : `${task} models need ${variant.inputs.map((r) => r.text).join(' and ')}; this one's inputs do not fit together: ${hasInputs}`,
    );
  } else {
    const extras = inputs.filter((_, i) => !usedInputs.has(i));
    if (extras.length > 0) {
      const extraRule = variant.extraInputs;
      if (extraRule === 'none') {
        const wanted = variant.inputs.map((r) => r.text).join(' and ');
        problems.push(`${task} models need ${wanted} and nothing else; this one has ${hasInputs}`);
      } else {
        for (const extra of extras) {
          if (!fit(extra, extraRule, new Map())) problems.push(`${task} models may only have ${extraRule.text} besides the required ones; "${extra.name}" is not one`);
        }
      }
    }
  }

  if (!assign(outputs, variant.outputs, inputBindings ?? new Map(), new Set())) {
    const missing = variant.outputs.filter((rule) => !outputs.some((value) => fit(value, rule, new Map())));
    problems.push(
      missing.length > 0
        ? `${task} models need ${missing.map((r) => r.text).join(' and ')}; this one has ${hasOutputs}`
        : `${task} models need ${variant.outputs.map((r) => r.text).join(' and ')}; this one's outputs do not fit together: ${hasOutputs}`,
    );
  }
  return problems;
}

/**
 * Every way the loaded model breaks its task's contract, one readable sentence each; empty when
 * it honours it. Pass an ORT session (or anything with its inputMetadata/outputMetadata).
 */
export function checkModelContract(task: ModelTask, meta: SessionMetadata): string[] {
  const contract = TASK_CONTRACTS[task];
  let firstProblems: string[] | undefined;
  for (const variant of contract.variants) {
    const problems = variantProblems(task, variant, meta);
    if (problems.length === 0) return [];
    firstProblems ??= problems;
  }
  return firstProblems ?? [];
}
