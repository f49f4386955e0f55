/**
 * Long jobs in the taskbar / dock and, for a render, a system notification when it is done. Kept
 * free of Electron (the sink is handed in) so its rules are tested in plain Node: the bar follows
 * a job's progress, goes away when a video job ends however it ended (a cancelled render must not
 * leave a half-full bar behind), and a finished or failed render is announced — a render can take
 * long enough for the user to be in another window.
 */
import type { ProgressEvent } from '../shared/contract';
import type { WireResult } from '../shared/contract-names';

export interface TaskbarSink {
  /** 0..1, or -1 to remove the bar (Electron's BrowserWindow.setProgressBar). */
  setProgress(fraction: number): void;
  notify(title: string, body: string): void;
}

/** Video methods that run as jobs with progress; when one settles its bar is done. */
const VIDEO_JOBS = new Set(['renderVideo', 'trackVideo']);

export class JobTaskbar {
  readonly #sink: TaskbarSink;

  constructor(sink: TaskbarSink) {
    this.#sink = sink;
  }

  progress(event: ProgressEvent): void {
    if (!event.total) return;
    const fraction = event.done / event.total;
    this.#sink.setProgress(fraction >= 1 ? -1 : fraction);
  }

  settled(method: string, outcome: WireResult): void {
    if (!VIDEO_JOBS.has(method)) return;
    this.#sink.setProgress(-1);
    if (method !== 'renderVideo') return;
    if (outcome.ok) {
      const value = outcome.value as { name?: unknown; frames?: unknown };
      const name = typeof value?.name === 'string' ? value.name : 'The clip';
      const frames = typeof value?.frames === 'number' ? `, ${value.frames} frames` : '';
      this.#sink.notify('Render finished', `${name}${frames}.`);
    } else if (outcome.error.code !== 'CANCELLED') {
      this.#sink.notify('Render failed', outcome.error.message);
    }
  }
}
