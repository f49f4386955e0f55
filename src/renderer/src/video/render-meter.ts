/**
 * What the render bar shows, from the engine's progress events: frames done of the total, the
 * speed over the last few seconds and the time left. Frames the engine kept from a cancelled run
 * arrive in the first event and never count as speed, because speed is measured between events.
 */

export interface RenderReading {
  done: number;
  total: number | null;
  /** Frames per second over the last few seconds; 0 until two events have come. */
  fps: number;
  /** Seconds left at that speed; null until there is a speed and a total. */
  etaSeconds: number | null;
}

const WINDOW_MS = 3000;

export class RenderMeter {
  readonly #samples: Array<{ at: number; done: number }> = [];
  #total: number | null = null;

  /** Adds one progress event (`at` in milliseconds, e.g. performance.now()). */
  update(done: number, total: number | undefined, at: number): RenderReading {
    if (total !== undefined) this.#total = total;
    const last = this.#samples.at(-1);
    if (!last || done !== last.done) this.#samples.push({ at, done });
    while (this.#samples.length > 2 && at - this.#samples[0]!.at > WINDOW_MS) this.#samples.shift();
    return this.reading;
  }

  get reading(): RenderReading {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    const done = last?.done ?? 0;
    const fps = first && last && last.at > first.at ? ((last.done - first.done) * 1000) / (last.at - first.at) : 0;
    const total = this.#total;
    return { done, total, fps, etaSeconds: fps > 0 && total !== null ? Math.max(0, total - done) / fps : null };
  }
}

/** "1:05" / "1:02:05": time left, to the second. */
export function formatEta(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/**
 * A fingerprint of what a render makes: the engine resumes a cancelled render only for the same
 * clip, plan and settings, so "Resume" is offered only when this is unchanged. Mask bytes are
 * hashed (FNV-1a) rather than spelled out: a 1080p mask is two million of them.
 */
export function renderFingerprint(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? `bytes:${v.length}:${fnv1a(v)}` : v));
}

function fnv1a(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return (hash >>> 0).toString(16);
}
