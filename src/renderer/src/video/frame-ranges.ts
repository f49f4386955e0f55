/**
 * Ranges of frames on the timeline: the selection a drag makes, and the per-range overrides of
 * which face the edit applies to, flattened for drawing the way the engine resolves them (a
 * later override wins where it overlaps an earlier one).
 */
import type { TrackChoice } from '../../../shared/video-contract';

export interface FrameRange {
  fromFrame: number;
  toFrame: number;
}

export interface RangeOverride extends FrameRange {
  target: TrackChoice;
}

/** The range between two frames, whichever comes first. */
export function rangeBetween(a: number, b: number): FrameRange {
  return { fromFrame: Math.min(a, b), toFrame: Math.max(a, b) };
}

/** The target in force at a frame: the last override covering it, else the plan's own. */
export function targetAt(base: TrackChoice, overrides: readonly RangeOverride[], frame: number): TrackChoice {
  for (let i = overrides.length - 1; i >= 0; i--) {
    const o = overrides[i]!;
    if (o.fromFrame <= frame && frame <= o.toFrame) return o.target;
  }
  return base;
}

/**
 * The overrides as non-overlapping spans in frame order, each with the override that wins there
 * (its index in the list, so a span can be removed through its override).
 */
export function overrideSpans(overrides: readonly RangeOverride[]): Array<FrameRange & { target: TrackChoice; index: number }> {
  const cuts = [...new Set(overrides.flatMap((o) => [o.fromFrame, o.toFrame + 1]))].sort((a, b) => a - b);
  const spans: Array<FrameRange & { target: TrackChoice; index: number }> = [];
  for (let c = 0; c + 1 < cuts.length; c++) {
    const from = cuts[c]!;
    const to = cuts[c + 1]! - 1;
    let index = -1;
    for (let i = overrides.length - 1; i >= 0; i--) {
      if (overrides[i]!.fromFrame <= from && to <= overrides[i]!.toFrame) {
        index = i;
        break;
      }
    }
    if (index < 0) continue;
    const last = spans.at(-1);
    if (last && last.index === index && last.toFrame === from - 1) last.toFrame = to;
    else spans.push({ fromFrame: from, toFrame: to, target: overrides[index]!.target, index });
  }
  return spans;
}

/** "Face 2", "Every face", "No face": how a target reads in the UI. */
export function describeTarget(target: TrackChoice): string {
  return target.kind === 'track' ? `Face ${target.trackId}` : target.kind === 'all' ? 'Every face' : 'No face';
}
