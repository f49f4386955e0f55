/**
 * One undo/redo history for everything that changes a document. A command is pushed after it
 * has been applied and knows how to undo and redo itself. Live gestures (an opacity slider being
 * dragged, a processor option moving) push with a merge key: commands with the same key merge
 * into one step until the gesture is sealed (the slider is let go), so one drag is one undo.
 *
 * Memory is bounded: each command reports the bytes it keeps alive (mask tiles), and the oldest
 * steps are dropped when the total or the step count passes the limit.
 */

export interface Command {
  /** What the step did, for menus and tooltips: "Brush stroke", "Hide Hair". */
  readonly label: string;
  /** Bytes this step keeps alive, for the memory bound. */
  readonly bytes: number;
  undo(): void;
  redo(): void;
  /** Folds a later command of the same gesture into this one; true when it did. */
  merge?(next: Command): boolean;
}

export interface HistoryLimits {
  maxSteps: number;
  maxBytes: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { maxSteps: 200, maxBytes: 256 * 1024 * 1024 };

export class History {
  readonly #limits: HistoryLimits;
  #done: Command[] = [];
  #undone: Command[] = [];
  #mergeKey: string | null = null;
  #listeners = new Set<() => void>();

  constructor(limits: Partial<HistoryLimits> = {}) {
    this.#limits = { ...DEFAULT_HISTORY_LIMITS, ...limits };
  }

  get canUndo(): boolean {
    return this.#done.length > 0;
  }

  get canRedo(): boolean {
    return this.#undone.length > 0;
  }

  get undoLabel(): string | null {
    return this.#done.at(-1)?.label ?? null;
  }

  get redoLabel(): string | null {
    return this.#undone.at(-1)?.label ?? null;
  }

  get steps(): number {
    return this.#done.length;
  }

  /** Bytes held by every step, done and undone. */
  get bytes(): number {
    let total = 0;
    for (const c of this.#done) total += c.bytes;
    for (const c of this.#undone) total += c.bytes;
    return total;
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Records an applied command. With a merge key, it joins the previous step of the same open gesture. */
  push(command: Command, mergeKey?: string): void {
    this.#undone = [];
    const top = this.#done.at(-1);
    if (mergeKey !== undefined && mergeKey === this.#mergeKey && top?.merge?.(command)) {
      this.#notify();
      return;
    }
    this.#done.push(command);
    this.#mergeKey = mergeKey ?? null;
    this.#enforceLimits();
    this.#notify();
  }

  /** Ends the open gesture: the next command starts a new step even with the same key. */
  seal(): void {
    this.#mergeKey = null;
  }

  undo(): boolean {
    const command = this.#done.pop();
    if (!command) return false;
    this.#mergeKey = null;
    command.undo();
    this.#undone.push(command);
    this.#notify();
    return true;
  }

  redo(): boolean {
    const command = this.#undone.pop();
    if (!command) return false;
    this.#mergeKey = null;
    command.redo();
    this.#done.push(command);
    this.#notify();
    return true;
  }

  clear(): void {
    this.#done = [];
    this.#undone = [];
    this.#mergeKey = null;
    this.#notify();
  }

  #enforceLimits(): void {
    while (this.#done.length > 1 && (this.#done.length > this.#limits.maxSteps || this.bytes > this.#limits.maxBytes)) {
      this.#done.shift();
    }
  }

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }
}

/** A command from two closures, for one-off steps. */
export function command(label: string, undo: () => void, redo: () => void, bytes = 64): Command {
  return { label, bytes, undo, redo };
}

/** A step that set one value: undo puts `before` back; merging keeps the first `before` and the last `after`. */
export class ValueChange<T> implements Command {
  readonly bytes = 64;
  readonly label: string;
  readonly #before: T;
  #after: T;
  readonly #apply: (value: T) => void;

  constructor(label: string, before: T, after: T, apply: (value: T) => void) {
    this.label = label;
    this.#before = before;
    this.#after = after;
    this.#apply = apply;
  }

  undo(): void {
    this.#apply(this.#before);
  }

  redo(): void {
    this.#apply(this.#after);
  }

  merge(next: Command): boolean {
    if (!(next instanceof ValueChange)) return false;
    this.#after = (next as ValueChange<T>).#after;
    return true;
  }
}
