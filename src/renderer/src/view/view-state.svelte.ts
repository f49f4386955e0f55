/**
 * What the canvas shows and how: zoom (for the status bar), the mask overlay switch, whether
 * space is held (panning), and the paint-latency readings. Zoom commands go to the canvas
 * controller while one is attached.
 */
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
  spaceHeld = $state(false);
  paint = $state.raw<PaintTiming | null>(null);
  #commands: ViewCommands | null = null;

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
}
