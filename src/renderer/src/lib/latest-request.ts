/**
 * Live previews while a slider moves: at most one request in flight, and only the newest waiting
 * one kept. When the one in flight returns its result is shown (it is newer than what is on
 * screen) and the newest waiting request starts; results older than one already shown are
 * dropped. So the engine is never flooded, and the latest request always wins.
 */
export class LatestRequest<Request, Result> {
  readonly #run: (request: Request) => Promise<Result>;
  readonly #apply: (result: Result, request: Request) => void;
  readonly #fail: (error: unknown, request: Request) => void;
  #waiting: { request: Request; sequence: number } | null = null;
  #inFlight = false;
  #issued = 0;
  #shown = 0;
  #idle: Array<() => void> = [];

  constructor(run: (request: Request) => Promise<Result>, apply: (result: Result, request: Request) => void, fail: (error: unknown, request: Request) => void) {
    this.#run = run;
    this.#apply = apply;
    this.#fail = fail;
  }

  get busy(): boolean {
    return this.#inFlight;
  }

  request(request: Request): void {
    this.#waiting = { request, sequence: ++this.#issued };
    if (!this.#inFlight) void this.#next();
  }

  /** Forgets a waiting request and drops the result of the one in flight (the document closed). */
  discard(): void {
    this.#waiting = null;
    this.#shown = ++this.#issued;
  }

  /** Resolves when nothing is in flight or waiting. */
  settled(): Promise<void> {
    if (!this.#inFlight && !this.#waiting) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async #next(): Promise<void> {
    const job = this.#waiting;
    if (!job) {
      for (const resolve of this.#idle.splice(0)) resolve();
      return;
    }
    this.#waiting = null;
    this.#inFlight = true;
    try {
      const result = await this.#run(job.request);
      if (job.sequence > this.#shown) {
        this.#shown = job.sequence;
        this.#apply(result, job.request);
      }
    } catch (error) {
      if (job.sequence > this.#shown && !this.#waiting) this.#fail(error, job.request);
    } finally {
      this.#inFlight = false;
    }
    await this.#next();
  }
}
