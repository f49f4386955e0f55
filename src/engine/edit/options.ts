/** Turns a descriptor's schema into a processor's parseOptions, with errors that name the option. */
import { MAX_SEED, optionsSchema, type ProcessorDescriptor } from '../../shared/processor-options';
import { SeamError } from '../../shared/errors';

export function optionsParser<Options>(descriptor: ProcessorDescriptor): (raw: unknown) => Options {
  const schema = optionsSchema(descriptor.fields);
  return (raw: unknown) => {
    const parsed = schema.safeParse(raw ?? {});
    if (parsed.success) return parsed.data as Options;
    const issue = parsed.error.issues[0]!;
    const key = issue.path.join('.') || '(options)';
    const field = descriptor.fields.find((f) => f.key === issue.path[0]);
    const range =
      field?.kind === 'number' ? ` (from ${field.min} to ${field.max})` : field?.kind === 'seed' ? ` (a whole number from 0 to ${MAX_SEED})` : '';
    throw new SeamError('BAD_INPUT', `${descriptor.title}: option ${key}${range}: ${issue.message}`, { option: key });
  };
}

/** "a=1 b=x" for provenance lines, skipping defaults-irrelevant noise like undefined. */
export function describeOptions(id: string, options: Record<string, unknown>): string {
  const parts = Object.entries(options)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return [id, ...parts].join(' ');
}
