/**
 * The video edit plan as the panels hold it, and the one contract VideoEditPlan it turns into.
 * A clip carries a list of operations (edit steps) run in order on every frame, as the engine
 * runs a plan's steps; each keyframe names its step by index. Which face they apply to is the
 * plan's target and its per-range overrides, so the photo options that pick a face in the picture
 * itself are left to the tracks. Pure: the panels and the tests share it.
 */
import { keyframedValue, keyframesOf, stepsAtFrame, type Keyframe } from '../../../shared/keyframes';
import type { OptionField, ProcessorDescriptor } from '../../../shared/processor-options';
import type { TrackChoice, VideoEditPlanInput } from '../../../shared/video-contract';
import { initialOptions, missingRequirement } from '../document/edit-plan';
import type { RangeOverride } from './frame-ranges';

export interface MaskCorrectionDraft {
  frame: number;
  trackId: number;
  spanFrames: number;
  mode: 'exclude' | 'include';
  width: number;
  height: number;
  data: Uint8Array;
}

/** One operation: a processor and its options (keyframed numbers hold their value outside the keyframes). */
export interface StepDraft {
  processor: string;
  options: Record<string, unknown>;
}

export interface VideoPlanDraft {
  /** Run in this order on each frame; empty: the source. */
  steps: StepDraft[];
  target: TrackChoice;
  overrides: RangeOverride[];
  keyframes: Keyframe[];
  maskCorrections: MaskCorrectionDraft[];
}

export const EMPTY_DRAFT: VideoPlanDraft = { steps: [], target: { kind: 'all' }, overrides: [], keyframes: [], maskCorrections: [] };

/**
 * A face field about the picture being edited (not a source or reference photo) picks a face in
 * a still; in a clip the track choice does that. `allFaces` is the same choice as a switch.
 */
export function isFacePicker(field: OptionField): boolean {
  if (field.kind === 'face') return !/source|reference/i.test(field.key);
  return field.kind === 'boolean' && field.key === 'allFaces';
}

/** The descriptor as the video panel shows it: without the fields the track choice replaces. */
export function videoDescriptor(descriptor: ProcessorDescriptor): ProcessorDescriptor {
  return { ...descriptor, fields: descriptor.fields.filter((f) => !isFacePicker(f)) };
}

/**
 * Operation `index` becomes `descriptor` with its defaults and no keyframes (they belonged to the
 * old one's options); `index` one past the last adds an operation; null removes the operation,
 * and the later ones' keyframes follow them down the list.
 */
export function setOperation(draft: VideoPlanDraft, index: number, descriptor: ProcessorDescriptor | null): VideoPlanDraft {
  if (!Number.isInteger(index) || index < 0 || index > draft.steps.length) return draft;
  if (!descriptor) return removeOperation(draft, index);
  const step = { processor: descriptor.id, options: initialOptions(descriptor) };
  const steps = [...draft.steps.slice(0, index), step, ...draft.steps.slice(index + 1)];
  return { ...draft, steps, keyframes: draft.keyframes.filter((k) => k.stepIndex !== index) };
}

export function removeOperation(draft: VideoPlanDraft, index: number): VideoPlanDraft {
  if (index < 0 || index >= draft.steps.length) return draft;
  return {
    ...draft,
    steps: draft.steps.filter((_, i) => i !== index),
    keyframes: draft.keyframes.filter((k) => k.stepIndex !== index).map((k) => (k.stepIndex > index ? { ...k, stepIndex: k.stepIndex - 1 } : k)),
  };
}

/** Operation `from` moved to position `to` (order matters: a swap then a smile is not a smile then a swap), its keyframes with it. */
export function moveOperation(draft: VideoPlanDraft, from: number, to: number): VideoPlanDraft {
  const count = draft.steps.length;
  if (from < 0 || from >= count || to < 0 || to >= count || from === to) return draft;
  const order = draft.steps.map((_, i) => i);
  order.splice(to, 0, ...order.splice(from, 1));
  // order[newIndex] = oldIndex; keyframes need the inverse.
  const newIndexOf = new Map(order.map((old, now) => [old, now]));
  return {
    ...draft,
    steps: order.map((old) => draft.steps[old]!),
    keyframes: draft.keyframes.map((k) => ({ ...k, stepIndex: newIndexOf.get(k.stepIndex) ?? k.stepIndex })),
  };
}

/** Operation `step`'s option values in force at a frame, keyframed numbers interpolated. */
export function optionsAtFrame(draft: VideoPlanDraft, step: number, frame: number): Record<string, unknown> {
  if (!draft.steps[step]) return {};
  return stepsAtFrame(draft.steps, draft.keyframes, frame)[step]!.options;
}

export function isKeyframed(draft: VideoPlanDraft, step: number, key: string): boolean {
  return draft.keyframes.some((k) => k.stepIndex === step && k.key === key);
}

/**
 * A value the user set at a frame: an option with keyframes gets a keyframe there (as in every
 * animation tool), any other option changes for the whole clip.
 */
export function setOptionAt(draft: VideoPlanDraft, step: number, key: string, value: unknown, frame: number): VideoPlanDraft {
  if (!draft.steps[step]) return draft;
  if (typeof value === 'number' && isKeyframed(draft, step, key)) return setKeyframe(draft, step, key, frame, value);
  return { ...draft, steps: draft.steps.map((s, i) => (i === step ? { ...s, options: { ...s.options, [key]: value } } : s)) };
}

/** Sets (or replaces) the keyframe of operation `step`'s `key` at `frame`. */
export function setKeyframe(draft: VideoPlanDraft, step: number, key: string, frame: number, value: number): VideoPlanDraft {
  if (!draft.steps[step]) return draft;
  const replaced = keyframeAt(step, key, frame);
  const others = draft.keyframes.filter((k) => !replaced(k));
  return { ...draft, keyframes: [...others, { stepIndex: step, key, frame, value }] };
}

/** Removes the keyframe of `key` at `frame`; the last one removed leaves the option at that value. */
export function removeKeyframe(draft: VideoPlanDraft, step: number, key: string, frame: number): VideoPlanDraft {
  const removed = draft.keyframes.find(keyframeAt(step, key, frame));
  if (!removed) return draft;
  const without = { ...draft, keyframes: draft.keyframes.filter((k) => k !== removed) };
  return isKeyframed(without, step, key) ? without : setOptionAt(without, step, key, removed.value, frame);
}

/** The value the slider shows at a frame for a keyframed option, else undefined. */
export function keyframedAt(draft: VideoPlanDraft, step: number, key: string, frame: number): number | undefined {
  return keyframedValue(draft.keyframes, step, key, frame);
}

export function hasKeyframeAt(draft: VideoPlanDraft, step: number, key: string, frame: number): boolean {
  return draft.keyframes.some(keyframeAt(step, key, frame));
}

/** Whether a keyframe is operation `step`'s `key` at `frame`: the one place that says what "the same keyframe" is. */
function keyframeAt(step: number, key: string, frame: number): (k: Keyframe) => boolean {
  return (k) => k.stepIndex === step && k.key === key && k.frame === frame;
}

/**
 * Every frame that holds a keyframe, with the options keyed there (for the diamonds). With more
 * than one operation each option says whose it is ("smile (2)": the second operation's).
 */
export function keyframeMarks(draft: VideoPlanDraft): Array<{ frame: number; keys: string[] }> {
  const byFrame = new Map<number, string[]>();
  const several = draft.steps.length > 1;
  draft.steps.forEach((_, step) => {
    const keys = new Set(draft.keyframes.filter((k) => k.stepIndex === step).map((k) => k.key));
    for (const key of keys) {
      const name = several ? `${key} (${step + 1})` : key;
      for (const k of keyframesOf(draft.keyframes, step, key)) byFrame.set(k.frame, [...(byFrame.get(k.frame) ?? []), name]);
    }
  });
  return [...byFrame].sort((a, b) => a[0] - b[0]).map(([frame, ks]) => ({ frame, keys: ks.sort() }));
}

export function addOverride(draft: VideoPlanDraft, override: RangeOverride): VideoPlanDraft {
  return { ...draft, overrides: [...draft.overrides, override] };
}

export function removeOverride(draft: VideoPlanDraft, index: number): VideoPlanDraft {
  return { ...draft, overrides: draft.overrides.filter((_, i) => i !== index) };
}

export interface BuiltPlan {
  /** What videoFrame and renderVideo get; null while the plan cannot run. */
  plan: VideoEditPlanInput | null;
  /** Why there is no plan yet, for the panel; null when there is one or no edit is chosen. */
  waiting: string | null;
}

/** The contract's plan from the panel's state; no plan (the source frame) until every operation can run. */
export function buildPlan(draft: VideoPlanDraft, describe: (processor: string) => ProcessorDescriptor | undefined): BuiltPlan {
  if (draft.steps.length === 0) return { plan: null, waiting: null };
  const steps: Array<{ processor: string; options: Record<string, unknown> }> = [];
  const numberKeys: Array<Set<string>> = [];
  for (const [i, draftStep] of draft.steps.entries()) {
    // Which operation is waiting, once there are several to tell apart.
    const which = draft.steps.length > 1 ? `Operation ${i + 1}: ` : '';
    const descriptor = describe(draftStep.processor);
    if (!descriptor) return { plan: null, waiting: `${which}${which ? 'the' : 'The'} engine no longer offers “${draftStep.processor}”.` };
    const step = { processor: draftStep.processor, options: { ...draftStep.options } };
    const missing = missingRequirement(step, descriptor);
    if (missing) return { plan: null, waiting: `${which}${missing}` };
    for (const field of descriptor.fields) if (isFacePicker(field)) delete step.options[field.key];
    steps.push(step);
    numberKeys.push(new Set(descriptor.fields.filter((f) => f.kind === 'number').map((f) => f.key)));
  }
  return {
    plan: {
      steps,
      target: draft.target,
      overrides: draft.overrides.map((o) => ({ fromFrame: o.fromFrame, toFrame: o.toFrame, target: o.target })),
      keyframes: draft.keyframes.filter((k) => numberKeys[k.stepIndex]?.has(k.key) === true),
      maskCorrections: draft.maskCorrections.map((m) => ({
        frame: m.frame,
        trackId: m.trackId,
        spanFrames: m.spanFrames,
        mode: m.mode,
        mask: { width: m.width, height: m.height, data: m.data },
      })),
    },
    waiting: null,
  };
}
