/**
 * Debounced autosave: one timer per document, restarted by every change, so a document is
 * written once the user has paused for `delayMs`, not on every stroke. Plain TypeScript (no
 * runes: the timers are not state anything draws).
 */
export class AutosaveTimer {
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly delayMs: number) {}

  /** (Re)starts the wait for `key`; `write` runs once the wait ends without another change. */
  schedule(key: string, write: () => void): void {
    this.cancel(key);
    this.#timers.set(
      key,
      setTimeout(() => {
        this.#timers.delete(key);
        write();
      }, this.delayMs),
    );
  }

  cancel(key: string): void {
    const timer = this.#timers.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.#timers.delete(key);
  }

  pending(key: string): boolean {
    return this.#timers.has(key);
  }
}
