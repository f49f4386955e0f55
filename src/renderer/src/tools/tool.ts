/**
 * What every tool is: a small state machine fed pointer events in image coordinates, working on
 * the document through one-call operations, drawing nothing itself — the canvas view asks it for
 * an overlay (a brush outline, a lasso path) and draws that.
 */
import type { PhotoDocument } from '../document/photo-document';
import type { Point } from '../masks/polygon-fill';

export type ToolId = 'brush' | 'eraser' | 'fill' | 'lasso' | 'polygon';

export interface ToolPointer {
  /** Image pixels, continuous. */
  x: number;
  y: number;
  /** 0..1; mice report 1 (a pressed mouse's PointerEvent.pressure of 0.5 is not a pen). */
  pressure: number;
  /** Alt/Option: the opposite mode (subtract instead of add). */
  alt: boolean;
  shift: boolean;
  /** Image pixels per screen pixel, for hit distances that should feel the same at any zoom. */
  pixelsPerScreenPixel: number;
}

export type ToolOverlay =
  | { kind: 'brush'; x: number; y: number; radius: number }
  | { kind: 'path'; points: readonly Point[]; closed: boolean; rubberBand: Point | null; corners: boolean }
  | { kind: 'crosshair'; x: number; y: number };

/** How a tool reaches the rest of the editor. */
export interface ToolHost {
  readonly document: PhotoDocument;
  /** A refusal or failure to show the user (e.g. "Hair is locked"). */
  report(error: unknown): void;
}

export interface Tool {
  readonly id: ToolId;
  /** The state machine's state, e.g. 'ready' or 'painting'; tests and the view read it. */
  readonly state: string;
  pointerDown(p: ToolPointer, host: ToolHost): void;
  pointerMove(p: ToolPointer, host: ToolHost): void;
  pointerUp(p: ToolPointer, host: ToolHost): void;
  doubleClick?(p: ToolPointer, host: ToolHost): void;
  /** Enter, Escape, Backspace while the tool is busy; true when the tool used the key. */
  key(key: string, host: ToolHost): boolean;
  /** Abandons whatever is under way (tool switch, document switch). */
  cancel(host: ToolHost): void;
  overlay(hover: ToolPointer | null): ToolOverlay | null;
}
