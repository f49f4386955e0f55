/**
 * Runs async tasks one at a time, in the order they were queued.
 *
 * Each pooled session gets one. onnxruntime-node 1.30 happens to run a session synchronously
 * inside a setImmediate, so two runs cannot overlap today; the queue makes that a property of our
 * code rather than of one ORT version's internals (and lets release wait for runs in flight).
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** How many tasks are queued or running. */
  get size(): number {
    return this.pending;
  }

  push<T>(task: () => Promise<T> | T): Promise<T> {
    this.pending += 1;
    const result = this.tail.then(task);
    // The chain must survive a failing task, and the failure belongs to its caller alone.
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result.finally(() => {
      this.pending -= 1;
    });
  }

  /** Resolves once everything queued so far has finished. */
  drain(): Promise<void> {
    return this.push(() => undefined);
  }
}
