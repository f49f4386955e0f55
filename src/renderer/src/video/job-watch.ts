/**
 * Which progress events belong to which of our calls. The engine names a job by an id the page
 * does not know when it calls (it is the id of the call where it arrives), so a call waiting for
 * its progress claims the first unclaimed job of its stage ("track", "render") and follows that
 * id from then on. Cancel needs the id: asked for before the first event, it is sent on arrival.
 */
import type { ProgressEvent } from '../../../shared/contract';

export interface JobHandle {
  readonly jobId: string | null;
  /** Asks the engine to stop the job, now or as soon as its id is known. */
  cancel(): void;
  /** Stops listening (the call has returned). */
  stop(): void;
}

interface Watch {
  stage: string;
  jobId: string | null;
  cancelWanted: boolean;
  listener: (event: ProgressEvent) => void;
}

export class JobWatch {
  readonly #cancel: (jobId: string) => void;
  #watches: Watch[] = [];
  /** Jobs of ours that finished: their late events must not be claimed by the next call. */
  readonly #finished = new Set<string>();

  constructor(cancel: (jobId: string) => void) {
    this.#cancel = cancel;
  }

  /** Feed every progress event here. */
  receive(event: ProgressEvent): void {
    let watch = this.#watches.find((w) => w.jobId === event.jobId);
    if (!watch) {
      if (this.#finished.has(event.jobId)) return;
      watch = this.#watches.find((w) => w.jobId === null && w.stage === event.stage);
      if (!watch) return;
      watch.jobId = event.jobId;
      if (watch.cancelWanted) this.#cancel(event.jobId);
    }
    watch.listener(event);
  }

  watch(stage: string, listener: (event: ProgressEvent) => void): JobHandle {
    const watch: Watch = { stage, jobId: null, cancelWanted: false, listener };
    this.#watches.push(watch);
    return {
      get jobId() {
        return watch.jobId;
      },
      cancel: () => {
        watch.cancelWanted = true;
        if (watch.jobId !== null) this.#cancel(watch.jobId);
      },
      stop: () => {
        if (watch.jobId !== null) this.#finished.add(watch.jobId);
        this.#watches = this.#watches.filter((w) => w !== watch);
      },
    };
  }
}
