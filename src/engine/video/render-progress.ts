/**
 * Frames done, speed and time left, for the progress line. Speed is measured over the last few
 * seconds (not since the start), so the estimate follows a clip whose busy part (many faces)
 * comes late, and frames kept from a previous run (resume) never count as speed.
 */
import type { Progress } from '../context';

export interface RenderProgress {
  framesDone: number;
  /** Absent when the container does not say how many frames there are. */
  totalFrames?: number;
  /** Frames rendered per second recently; 0 until there is something to measure. */
  fps: number;
  etaSeconds?: number;
  /** Frames taken from finished segments of an earlier run. */
  framesResumed: number;
}

const WINDOW_MS = 3000;

export class RenderRate {
  readonly #samples: Array<{ at: number; frames: number }> = [];
  #rendered = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Counts one rendered frame (not a resumed one). */
  frameRendered(): void {
    this.#rendered++;
    const at = this.now();
    this.#samples.push({ at, frames: this.#rendered });
    while (this.#samples.length > 2 && at - this.#samples[0]!.at > WINDOW_MS) this.#samples.shift();
  }

  get fps(): number {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last.at <= first.at) return 0;
    return ((last.frames - first.frames) * 1000) / (last.at - first.at);
  }
}

export function renderProgress(framesDone: number, framesResumed: number, fps: number, totalFrames?: number): RenderProgress {
  const progress: RenderProgress = { framesDone, fps, framesResumed };
  if (totalFrames !== undefined) {
    progress.totalFrames = totalFrames;
    if (fps > 0) progress.etaSeconds = Math.max(0, totalFrames - framesDone) / fps;
  }
  return progress;
}

/** "frame 120/300 · 24.1 fps · ETA 0:07" */
export function formatRenderProgress(p: RenderProgress): string {
  const frames = p.totalFrames !== undefined ? `frame ${p.framesDone}/${p.totalFrames}` : `frame ${p.framesDone}`;
  const parts = [frames, `${p.fps.toFixed(1)} fps`];
  if (p.etaSeconds !== undefined) parts.push(`ETA ${clock(p.etaSeconds)}`);
  if (p.framesResumed > 0) parts.push(`${p.framesResumed} kept from the last run`);
  return parts.join(' · ');
}

export function toJobProgress(p: RenderProgress): Progress {
  return { stage: 'render', done: p.framesDone, ...(p.totalFrames !== undefined ? { total: p.totalFrames } : {}), message: formatRenderProgress(p) };
}

function clock(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}
