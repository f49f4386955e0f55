/**
 * What the canvas shows and how: zoom (for the status bar), the mask overlay switch, before/after
 * (the photo without its edits, or split by a divider), whether space is held (panning), and the
 * paint-latency readings. Zoom commands go to the canvas controller while one is attached.
 */
import { compareAfterRelease, fractionAfterKey, fractionAt, toggledBefore, type CompareMode, type HeldCompareKey } from './compare';

export interface ViewCommands {
  fit(): void;
  actualSize(): void;
  zoomStep(direction: 1 | -1): void;
}

export interface PaintTiming {
  /** Milliseconds from the pointer event to its pixels drawn, last stroke segment. */
  last: number;
  /** Worst segment of the last stroke. */
  worst: number;
  /** 95th percentile of the last stroke's segments. */
  p95: number;
  /** Segments measured in the last stroke. */
  segments: number;
}

export class ViewState {
  zoom = $state(1);
  overlayVisible = $state(true);
  compare = $state<CompareMode>('edited');
  /** The split divider, as a fraction of the view's width (the photo as opened is left of it). */
  splitAt = $state(0.5);
  spaceHeld = $state(false);
  paint = $state.raw<PaintTiming | null>(null);
  #commands: ViewCommands | null = null;
  #beforeKey: HeldCompareKey | null = null;

  attach(commands: ViewCommands | null): void {
    this.#commands = commands;
  }

  fit(): void {
    this.#commands?.fit();
  }

  actualSize(): void {
    this.#commands?.actualSize();
  }

  zoomIn(): void {
    this.#commands?.zoomStep(1);
  }

  zoomOut(): void {
    this.#commands?.zoomStep(-1);
  }

  toggleOverlay(): void {
    this.overlayVisible = !this.overlayVisible;
  }

  /** Shows the photo without its edits, or back with them. */
  toggleBefore(): void {
    this.compare = toggledBefore(this.compare);
  }

  /** The before/after key went down (App passes no auto-repeats): it toggles at once. */
  pressBeforeKey(now: number): void {
    this.#beforeKey = { since: now, restore: this.compare };
    this.toggleBefore();
  }

  /** The key came up (or the window lost focus): a hold was a peek, so the view goes back. */
  releaseBeforeKey(now: number): void {
    const held = this.#beforeKey;
    this.#beforeKey = null;
    if (held) this.compare = compareAfterRelease(held, now, this.compare);
  }

  toggleSplit(): void {
    this.compare = this.compare === 'split' ? 'edited' : 'split';
  }

  /** The divider dragged to `cssX` in a view `cssWidth` wide. */
  dragSplit(cssX: number, cssWidth: number): void {
    this.splitAt = fractionAt(cssX, cssWidth);
  }

  /** Moves the divider for a key, as a slider's keys move it; false when the key does not. */
  splitKey(key: string, shift: boolean): boolean {
    const next = fractionAfterKey(this.splitAt, key, shift);
    if (next === null) return false;
    this.splitAt = next;
    return true;
  }
}
