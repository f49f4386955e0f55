/**
 * The video edit plan as the panels hold it, and the one contract VideoEditPlan it turns into.
 * A clip carries one operation (one edit step, so keyframes name step 0); which face it applies to
 * is the plan's target and its per-range overrides, so the photo options that pick a face in the
 * picture itself are left to the tracks. Pure: the panels and the tests share it.
 */
import { keyframedValue, keyframesOf, stepsAtFrame, type Keyframe } from '../../../shared/keyframes';
import type { OptionField, ProcessorDescriptor } from '../../../shared/processor-options';
import type { TrackChoice, VideoEditPlanInput } from '../../../shared/video-contract';
import { initialOptions, missingRequirement } from '../document/edit-plan';
import type { RangeOverride } from './frame-ranges';

/** The single step's index: keyframes of this plan all name it. */
export const STEP = 0;

export interface MaskCorrectionDraft {
  frame: number;
  trackId: number;
  spanFrames: number;
  mode: 'exclude' | 'include';
  width: number;
  height: number;
  data: Uint8Array;
}

export interface VideoPlanDraft {
  processor: string | null;
  options: Record<string, unknown>;
  target: TrackChoice;
  overrides: RangeOverride[];
  keyframes: Keyframe[];
  maskCorrections: MaskCorrectionDraft[];
}

export const EMPTY_DRAFT: VideoPlanDraft = { processor: null, options: {}, target: { kind: 'all' }, overrides: [], keyframes: [], maskCorrections: [] };

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

/** A new operation: its defaults, and no keyframes (they belonged to the old one's options). */
export function chooseOperation(draft: VideoPlanDraft, descriptor: ProcessorDescriptor | null): VideoPlanDraft {
  return { ...draft, processor: descriptor?.id ?? null, options: descriptor ? initialOptions(descriptor) : {}, keyframes: [] };
}

/** The option values in force at a frame, keyframed numbers interpolated. */
export function optionsAtFrame(draft: VideoPlanDraft, frame: number): Record<string, unknown> {
  return stepsAtFrame([{ options: draft.options }], draft.keyframes, frame)[0]!.options;
}

export function isKeyframed(draft: VideoPlanDraft, key: string): boolean {
  return draft.keyframes.some((k) => k.stepIndex === STEP && k.key === key);
}

/**
 * A value the user set at a frame: an option with keyframes gets a keyframe there (as in every
 * animation tool), any other option changes for the whole clip.
 */
export function setOptionAt(draft: VideoPlanDraft, key: string, value: unknown, frame: number): VideoPlanDraft {
  if (typeof value === 'number' && isKeyframed(draft, key)) return setKeyframe(draft, key, frame, value);
  return { ...draft, options: { ...draft.options, [key]: value } };
}

/** Sets (or replaces) the keyframe of `key` at `frame`. */
export function setKeyframe(draft: VideoPlanDraft, key: string, frame: number, value: number): VideoPlanDraft {
  const others = draft.keyframes.filter((k) => !(k.stepIndex === STEP && k.key === key && k.frame === frame));
  return { ...draft, keyframes: [...others, { stepIndex: STEP, key, frame, value }] };
}

/** Removes the keyframe of `key` at `frame`; the last one removed leaves the option at that value. */
export function removeKeyframe(draft: VideoPlanDraft, key: string, frame: number): VideoPlanDraft {
  const removed = draft.keyframes.find((k) => k.stepIndex === STEP && k.key === key && k.frame === frame);
  if (!removed) return draft;
  const keyframes = draft.keyframes.filter((k) => k !== removed);
  const options = keyframes.some((k) => k.stepIndex === STEP && k.key === key) ? draft.options : { ...draft.options, [key]: removed.value };
  return { ...draft, keyframes, options };
}

/** The value the slider shows at a frame for a keyframed option, else undefined. */
export function keyframedAt(draft: VideoPlanDraft, key: string, frame: number): number | undefined {
  return keyframedValue(draft.keyframes, STEP, key, frame);
}

/** Every frame that holds a keyframe, with the options keyed there (for the diamonds). */
export function keyframeMarks(draft: VideoPlanDraft): Array<{ frame: number; keys: string[] }> {
  const byFrame = new Map<number, string[]>();
  const keys = new Set(draft.keyframes.filter((k) => k.stepIndex === STEP).map((k) => k.key));
  for (const key of keys) for (const k of keyframesOf(draft.keyframes, STEP, key)) byFrame.set(k.frame, [...(byFrame.get(k.frame) ?? []), key]);
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

/** The contract's plan from the panel's state; no plan (the source frame) until an operation can run. */
export function buildPlan(draft: VideoPlanDraft, describe: (processor: string) => ProcessorDescriptor | undefined): BuiltPlan {
  if (!draft.processor) return { plan: null, waiting: null };
  const descriptor = describe(draft.processor);
  if (!descriptor) return { plan: null, waiting: `The engine no longer offers “${draft.processor}”.` };
  const step = { processor: draft.processor, options: { ...draft.options } };
  const missing = missingRequirement(step, descriptor);
  if (missing) return { plan: null, waiting: missing };
  for (const field of descriptor.fields) if (isFacePicker(field)) delete step.options[field.key];
  const numberKeys = new Set(descriptor.fields.filter((f) => f.kind === 'number').map((f) => f.key));
  return {
    plan: {
      steps: [step],
      target: draft.target,
      overrides: draft.overrides.map((o) => ({ fromFrame: o.fromFrame, toFrame: o.toFrame, target: o.target })),
      keyframes: draft.keyframes.filter((k) => k.stepIndex === STEP && numberKeys.has(k.key)),
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
