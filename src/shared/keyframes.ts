/**
 * Keyframed slider values of a video edit plan, as one pure function shared by the engine (which
 * renders with them) and the page (which shows the value a slider has on the current frame), so
 * both sides agree on every frame. Between two keyframes of the same step and option the value is
 * interpolated linearly; before the first it holds the first's value, after the last the last's.
 */

export interface Keyframe {
  stepIndex: number;
  key: string;
  frame: number;
  value: number;
}

/**
 * The value option `key` of step `stepIndex` has at `frame`, or undefined when no keyframe names
 * that option. Two keyframes on the same frame: the later one in the list wins.
 */
export function keyframedValue(keyframes: readonly Keyframe[], stepIndex: number, key: string, frame: number): number | undefined {
  let before: Keyframe | undefined;
  let after: Keyframe | undefined;
  for (const k of keyframes) {
    if (k.stepIndex !== stepIndex || k.key !== key) continue;
    if (k.frame <= frame && (!before || k.frame >= before.frame)) before = k;
    if (k.frame >= frame && (!after || k.frame <= after.frame)) after = k;
  }
  if (!before) return after?.value;
  if (!after || after.frame === before.frame) return before.value;
  const t = (frame - before.frame) / (after.frame - before.frame);
  return before.value + (after.value - before.value) * t;
}

/**
 * The keyframes of one option, in frame order, one per frame (of two on the same frame the later
 * in the list is kept, as keyframedValue reads them).
 */
export function keyframesOf(keyframes: readonly Keyframe[], stepIndex: number, key: string): Keyframe[] {
  const byFrame = new Map<number, Keyframe>();
  for (const k of keyframes) if (k.stepIndex === stepIndex && k.key === key) byFrame.set(k.frame, k);
  return [...byFrame.values()].sort((a, b) => a.frame - b.frame);
}

/** The (step, option) pairs the keyframes name, each once, in first-seen order. */
export function keyframedOptions(keyframes: readonly Keyframe[]): Array<{ stepIndex: number; key: string }> {
  const seen = new Map<string, { stepIndex: number; key: string }>();
  for (const k of keyframes) {
    const id = `${k.stepIndex}\u0000${k.key}`;
    if (!seen.has(id)) seen.set(id, { stepIndex: k.stepIndex, key: k.key });
  }
  return [...seen.values()];
}

/** The steps with every keyframed option set to its value at `frame` (new option objects; the input is not changed). */
export function stepsAtFrame<S extends { options: Record<string, unknown> }>(steps: readonly S[], keyframes: readonly Keyframe[], frame: number): S[] {
  if (keyframes.length === 0) return [...steps];
  const out = steps.map((step) => ({ ...step, options: { ...step.options } }));
  for (const { stepIndex, key } of keyframedOptions(keyframes)) {
    const step = out[stepIndex];
    const value = keyframedValue(keyframes, stepIndex, key, frame);
    if (step && value !== undefined) step.options[key] = value;
  }
  return out;
}
