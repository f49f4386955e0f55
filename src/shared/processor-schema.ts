/** The zod form of ProcessorDescriptor, so listProcessors' result is validated like every other. */
import { z } from 'zod';
import type { ProcessorDescriptor } from './processor-options';

const Base = { key: z.string(), label: z.string(), group: z.string().optional(), help: z.string().optional() };
const Choice = z.object({ value: z.string(), label: z.string() });

const OptionFieldSchema = z.discriminatedUnion('kind', [
  z.object({ ...Base, kind: z.literal('number'), min: z.number(), max: z.number(), step: z.number(), default: z.number(), unit: z.string().optional() }),
  z.object({ ...Base, kind: z.literal('boolean'), default: z.boolean() }),
  z.object({ ...Base, kind: z.literal('choice'), choices: z.array(Choice), default: z.string() }),
  z.object({ ...Base, kind: z.literal('multi-choice'), choices: z.array(Choice), default: z.array(z.string()) }),
  z.object({ ...Base, kind: z.literal('photo'), required: z.boolean() }),
  z.object({ ...Base, kind: z.literal('face'), default: z.number() }),
  z.object({ ...Base, kind: z.literal('seed'), default: z.number() }),
  z.object({ ...Base, kind: z.literal('box') }),
  z.object({ ...Base, kind: z.literal('label-weights'), labels: z.array(z.string()), default: z.number() }),
]);

export const ProcessorDescriptorSchema: z.ZodType<ProcessorDescriptor> = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  fields: z.array(OptionFieldSchema),
}) as unknown as z.ZodType<ProcessorDescriptor>;
