/**
 * Every editing processor, listed explicitly: the UI's processor list, the CLI's commands, the
 * video pipeline and project files all look processors up here by id. A new processor is one
 * folder under processors/ and one line below.
 */
import { SeamError } from '../../shared/errors';
import type { ProcessorDescriptor } from '../../shared/processor-options';
import type { ProcessorModule } from './processor';
import { attributesProcessor } from './processors/attributes/attributes';
import { faceSwapProcessor } from './processors/face-swap/face-swap';
import { neuralRegionStyle } from './processors/neural-region-style/neural-region-style';
import { regionStyle } from './processors/region-style/region-style';
import { subjectTransfer } from './processors/subject-transfer/subject-transfer';

export const PROCESSORS: readonly ProcessorModule<unknown>[] = [
  attributesProcessor,
  faceSwapProcessor,
  neuralRegionStyle,
  regionStyle,
  subjectTransfer,
];

export function processorIds(): string[] {
  return PROCESSORS.map((p) => p.descriptor.id);
}

export function getProcessor(id: string): ProcessorModule<unknown> {
  const found = PROCESSORS.find((p) => p.descriptor.id === id);
  if (!found) throw new SeamError('NOT_FOUND', `No processor "${id}". Known processors: ${processorIds().join(', ')}.`);
  return found;
}

export function processorDescriptors(): ProcessorDescriptor[] {
  return PROCESSORS.map((p) => p.descriptor);
}
