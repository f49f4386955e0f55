/**
 * A first-in first-out queue that holds at most `capacity` items: `put` waits while it is full.
 * It sits between the decoder and the frame processor, so however long the clip, no more than
 * `capacity` decoded frames wait in memory; while the producer waits it stops reading ffmpeg's
 * pipe, the pipe fills and ffmpeg itself pauses.
 */
export class BoundedQueue<T> {
  readonly #items: T[] = [];
  #closed = false;
  #failure: { error: unknown } | undefined;
  #wakeTaker: (() => void) | undefined;
  #wakePutter: (() => void) | undefined;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`queue capacity must be a whole number ≥ 1, got ${capacity}`);
  }

  get size(): number {
    return this.#items.length;
  }

  /** Waits for room, then adds the item. Returns false (item dropped) once the queue is closed. */
  async put(item: T): Promise<boolean> {
    while (!this.#closed && this.#items.length >= this.capacity) {
      await new Promise<void>((resolve) => (this.#wakePutter = resolve));
    }
    if (this.#closed) return false;
    this.#items.push(item);
    this.#wake('taker');
    return true;
  }

  /** The next item; undefined after close() once drained. Rejects with the error given to fail(). */
  async take(): Promise<T | undefined> {
    while (this.#items.length === 0) {
      if (this.#failure) throw this.#failure.error;
      if (this.#closed) return undefined;
      await new Promise<void>((resolve) => (this.#wakeTaker = resolve));
    }
    const item = this.#items.shift() as T;
    this.#wake('putter');
    return item;
  }

  /** No more items: takers drain what is left, then get undefined; waiting putters give up. */
  close(): void {
    this.#closed = true;
    this.#wake('taker');
    this.#wake('putter');
  }

  /** The producer failed: the taker gets `error` once the items already queued are taken. */
  fail(error: unknown): void {
    this.#failure ??= { error };
    this.close();
  }

  /** The consumer gave up: drop everything and release a waiting producer. */
  abandon(): void {
    this.#items.length = 0;
    this.close();
  }

  #wake(which: 'taker' | 'putter'): void {
    const wake = which === 'taker' ? this.#wakeTaker : this.#wakePutter;
    if (which === 'taker') this.#wakeTaker = undefined;
    else this.#wakePutter = undefined;
    wake?.();
  }
}
