/**
 * The pure parts of a VideoEditPlan (src/shared/video-contract.ts): which faces a frame's edit
 * applies to (the plan's target, replaced by range overrides, later ones winning), the plan's
 * checks against its steps and the clip, and its key for a render's resume. Keyframes live in
 * src/shared/keyframes.ts (the page reads the same values); masks in mask-follow.ts.
 */
import { createHash } from 'node:crypto';
import { keyframedOptions } from '../../shared/keyframes';
import { SeamError } from '../../shared/errors';
import type { TrackChoice, VideoEditPlan } from '../../shared/video-contract';
import { getProcessor } from '../edit/registry';

/** The choice in force on `frame`: the last override covering it, else the plan's own. */
export function targetAt(plan: Pick<VideoEditPlan, 'target' | 'overrides'>, frame: number): TrackChoice {
  for (let i = plan.overrides.length - 1; i >= 0; i--) {
    const o = plan.overrides[i]!;
    if (frame >= o.fromFrame && frame <= o.toFrame) return o.target;
  }
  return plan.target;
}

/** Whether `choice` takes the face of track `trackId`. */
export function choiceTakes(choice: TrackChoice, trackId: number): boolean {
  return choice.kind === 'all' || (choice.kind === 'track' && choice.trackId === trackId);
}

export interface PlanClip {
  name: string;
  width: number;
  height: number;
  frameCount: number;
}

/**
 * Refuses a plan that cannot be what the user meant, before any frame is decoded: unknown
 * processors or bad options (the processors' own messages), keyframes on a step that does not
 * exist or on an option that is not a number, masks of another size than the clip, frames past
 * its end.
 */
export function validatePlan(plan: VideoEditPlan, clip: PlanClip): void {
  const modules = plan.steps.map((step) => {
    const module = getProcessor(step.processor);
    module.parseOptions(step.options);
    return module;
  });
  for (const { stepIndex, key } of keyframedOptions(plan.keyframes)) {
    const module = modules[stepIndex];
    if (!module) throw new SeamError('BAD_INPUT', `A keyframe names step ${stepIndex}, but the plan has ${plan.steps.length} step(s).`, { stepIndex });
    const field = module.descriptor.fields.find((f) => f.key === key);
    if (field?.kind !== 'number') {
      const numbers = module.descriptor.fields.filter((f) => f.kind === 'number').map((f) => f.key);
      throw new SeamError('BAD_INPUT', `A keyframe names "${key}" of ${module.descriptor.title}, which is not a number option (keyframes can set: ${numbers.join(', ') || 'none'}).`, { stepIndex, key });
    }
  }
  const last = clip.frameCount - 1;
  for (const k of plan.keyframes) {
    // Every value a keyframe can give is between keyframe values: checking them checks all frames.
    const step = plan.steps[k.stepIndex]!;
    modules[k.stepIndex]!.parseOptions({ ...step.options, [k.key]: k.value });
  }
  plan.overrides.forEach((o, i) => {
    if (o.fromFrame > last) throw new SeamError('BAD_INPUT', `Override ${i + 1} starts at frame ${o.fromFrame}, but ${clip.name} has ${clip.frameCount} frames.`);
  });
  plan.maskCorrections.forEach((m, i) => {
    if (m.mask.width !== clip.width || m.mask.height !== clip.height) {
      throw new SeamError('BAD_INPUT', `Mask correction ${i + 1} is ${m.mask.width}×${m.mask.height}, but ${clip.name} is ${clip.width}×${clip.height}.`);
    }
    if (m.frame > last) throw new SeamError('BAD_INPUT', `Mask correction ${i + 1} was painted on frame ${m.frame}, but ${clip.name} has ${clip.frameCount} frames.`);
  });
}

/**
 * Everything in the plan that changes pixels, as one hash (masks by their own hash, not their
 * megabytes as JSON), plus what the caller adds (the photos' identities, the tracks' settings).
 * A render's resume keeps segments only under the same key, so an edited plan never reuses a
 * segment rendered with the old one.
 */
export function planKey(plan: VideoEditPlan, extra: Record<string, unknown> = {}): string {
  const masks = plan.maskCorrections.map(({ mask, ...rest }) => ({
    ...rest,
    mask: { width: mask.width, height: mask.height, sha256: createHash('sha256').update(mask.data).digest('hex') },
  }));
  const described = { steps: plan.steps, target: plan.target, overrides: plan.overrides, keyframes: plan.keyframes, masks, extra };
  return createHash('sha256').update(JSON.stringify(described)).digest('hex');
}
