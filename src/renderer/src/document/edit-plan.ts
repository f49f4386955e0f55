/**
 * Which previews an edit stack needs. Each edit layer shows the result of every shown edit step
 * up to and including its own, over the layers below at its opacity, so with every edit layer at
 * full opacity only the topmost result is visible and only it is asked of the engine. A step
 * whose required photo has not been chosen yet cannot run: previews stop below it.
 */
import type { OptionField, ProcessorDescriptor } from '../../../shared/processor-options';
import type { EditStep } from './photo-document';

export interface PlannedPreview {
  layerId: string;
  /** The steps to run: this layer's and every shown one below it. */
  steps: EditStep[];
  /** Identifies the result: same key, same pixels (steps + label map version). */
  key: string;
}

export interface EditLayerInput {
  id: string;
  opacity: number;
  step: EditStep;
}

export interface EditPlan {
  previews: PlannedPreview[];
  /** Why some layers show no result yet, e.g. "Face swap: choose a Source photo." */
  waiting: string[];
}

export function planPreviews(
  layers: readonly EditLayerInput[],
  describe: (processor: string) => ProcessorDescriptor | undefined,
  labelsVersion: number,
): EditPlan {
  const waiting: string[] = [];
  let runnable = layers.length;
  for (let i = 0; i < layers.length; i++) {
    const missing = missingRequirement(layers[i]!.step, describe(layers[i]!.step.processor));
    if (missing) {
      waiting.push(missing);
      runnable = i;
      break;
    }
  }
  const previews: PlannedPreview[] = [];
  for (let i = 0; i < runnable; i++) {
    const seenThrough = layers.slice(i + 1, runnable).some((l) => l.opacity < 1);
    if (i !== runnable - 1 && !seenThrough) continue;
    const steps = layers.slice(0, i + 1).map((l) => l.step);
    previews.push({ layerId: layers[i]!.id, steps, key: `${labelsVersion}|${JSON.stringify(steps)}` });
  }
  return { previews, waiting };
}

/** A message when a step cannot run yet (a required photo not chosen), else null. */
export function missingRequirement(step: EditStep, descriptor: ProcessorDescriptor | undefined): string | null {
  if (!descriptor) return null;
  const title = descriptor.title;
  for (const field of descriptor.fields) {
    if (isUnsetRequiredPhoto(field, step.options[field.key])) return `${title}: choose a ${field.label.toLowerCase()}.`;
  }
  return null;
}

function isUnsetRequiredPhoto(field: OptionField, value: unknown): boolean {
  return field.kind === 'photo' && field.required && !(typeof value === 'string' && value.startsWith('image:'));
}

/** Option values for a new edit layer: the descriptor's defaults, with photos left unchosen. */
export function initialOptions(descriptor: ProcessorDescriptor): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const field of descriptor.fields) {
    switch (field.kind) {
      case 'photo':
      case 'box':
        break;
      case 'label-weights':
        options[field.key] = Object.fromEntries(field.labels.map((label) => [label, field.default]));
        break;
      case 'multi-choice':
        options[field.key] = [...field.default];
        break;
      default:
        options[field.key] = field.default;
    }
  }
  return options;
}

/**
 * Which open photo a face field picks from: a field about the source ("sourceFace") picks from
 * the photo chosen in the processor's first photo field; any other face field from this photo.
 * Returns an image id, or null when the source photo is not chosen yet.
 */
export function facePhotoFor(
  field: OptionField,
  descriptor: ProcessorDescriptor,
  options: Readonly<Record<string, unknown>>,
  currentImageId: string,
): string | null {
  if (!/source|reference/i.test(field.key)) return currentImageId;
  const photoField = descriptor.fields.find((f) => f.kind === 'photo');
  const value = photoField ? options[photoField.key] : undefined;
  return typeof value === 'string' && value.startsWith('image:') ? value.slice('image:'.length) : null;
}

/** Preview results by key, holding only what is on screen: a preview of a 4K photo is 33 MB. */
export class PreviewCache<T extends { key: string }> {
  #entries = new Map<string, T>();

  get(key: string): T | undefined {
    return this.#entries.get(key);
  }

  keepOnly(shown: readonly T[]): void {
    this.#entries = new Map(shown.map((p) => [p.key, p]));
  }
}
