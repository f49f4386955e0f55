/**
 * How a processor describes its options, so the renderer can draw its controls and the CLI and
 * the contract can validate values without knowing the processor: one descriptor, one schema.
 */
import { z } from 'zod';
import { LABELS, type LabelName } from './labels';

interface FieldBase {
  key: string;
  label: string;
  /** Controls with the same group are drawn together under that heading. */
  group?: string;
  help?: string;
}

export type OptionField =
  | (FieldBase & { kind: 'number'; min: number; max: number; step: number; default: number; unit?: string })
  | (FieldBase & { kind: 'boolean'; default: boolean })
  | (FieldBase & { kind: 'choice'; choices: Array<{ value: string; label: string }>; default: string })
  | (FieldBase & { kind: 'multi-choice'; choices: Array<{ value: string; label: string }>; default: string[] })
  /** A photo file the user picks: a source face, a style reference. */
  | (FieldBase & { kind: 'photo'; required: boolean })
  /** Which face in a photo: an index in left-to-right order, or -1 for "the largest". */
  | (FieldBase & { kind: 'face'; default: number })
  /** An optional rectangle in image pixels. */
  | (FieldBase & { kind: 'box' })
  /** One weight in [0, 1] per label, e.g. region-style alphas. */
  | (FieldBase & { kind: 'label-weights'; labels: LabelName[]; default: number })
  /**
   * The seed of a generator's noise: a whole number that makes a render repeatable. Not a slider:
   * its values have no order a user cares about, so the UI offers "New variation" instead.
   */
  | (FieldBase & { kind: 'seed'; default: number });

/** Seeds are unsigned 32-bit, the range of the noise generator they feed. */
export const MAX_SEED = 0xffff_ffff;

export interface ProcessorDescriptor {
  id: string;
  title: string;
  description: string;
  fields: OptionField[];
}

const BoxSchema = z.object({
  x: z.number().finite(),
  y: z.number().finite(),
  width: z.number().finite().positive(),
  height: z.number().finite().positive(),
});
export type OptionBox = z.infer<typeof BoxSchema>;

function fieldSchema(field: OptionField): z.ZodType {
  switch (field.kind) {
    case 'number':
      return z.number().finite().min(field.min).max(field.max).default(field.default);
    case 'boolean':
      return z.boolean().default(field.default);
    case 'choice':
      return z.enum(field.choices.map((c) => c.value) as [string, ...string[]]).default(field.default);
    case 'multi-choice': {
      const values = z.enum(field.choices.map((c) => c.value) as [string, ...string[]]);
      return z.array(values).max(field.choices.length).default(field.default);
    }
    case 'photo':
      return field.required ? z.string().min(1).max(4096) : z.string().min(1).max(4096).optional();
    case 'face':
      return z.number().int().min(-1).max(255).default(field.default);
    case 'seed':
      return z.number().int().min(0).max(MAX_SEED).default(field.default);
    case 'box':
      return BoxSchema.optional();
    case 'label-weights': {
      const shape = Object.fromEntries(field.labels.map((name) => [name, z.number().finite().min(0).max(1).default(field.default)]));
      return z.object(shape).strict().default(Object.fromEntries(field.labels.map((name) => [name, field.default])));
    }
  }
}

/** The zod schema of a processor's options: ranges, choices and defaults come from the fields. */
export function optionsSchema(fields: readonly OptionField[]) {
  return z.object(Object.fromEntries(fields.map((f) => [f.key, fieldSchema(f)]))).strict();
}

/** The options with every default filled in, e.g. for a slider panel's reset. */
export function defaultOptions(fields: readonly OptionField[]): Record<string, unknown> {
  return optionsSchema(fields).parse(
    Object.fromEntries(fields.filter((f) => f.kind === 'photo' && f.required).map((f) => [f.key, 'unset'])),
  );
}

/** Checks the descriptor itself (a processor author's mistake, caught by a test over the registry). */
export function descriptorProblems(descriptor: ProcessorDescriptor): string[] {
  const problems: string[] = [];
  const keys = new Set<string>();
  for (const f of descriptor.fields) {
    if (keys.has(f.key)) problems.push(`${descriptor.id}: duplicate option key ${f.key}`);
    keys.add(f.key);
    if (!/^[a-z][a-zA-Z0-9]*$/.test(f.key)) problems.push(`${descriptor.id}: option key ${f.key} is not camelCase`);
    if (f.kind === 'number' && !(f.min <= f.default && f.default <= f.max && f.step > 0)) {
      problems.push(`${descriptor.id}: ${f.key} default ${f.default} outside [${f.min}, ${f.max}] or bad step`);
    }
    if (f.kind === 'label-weights') {
      for (const name of f.labels) if (!LABELS.some((l) => l.name === name)) problems.push(`${descriptor.id}: unknown label ${name}`);
    }
  }
  return problems;
}
