/**
 * Before/after geometry, pure so it is tested in Node. The split divider sits at a fraction of
 * the view's width, not at an image column: it stays where the user left it while they zoom and
 * pan (as Lightroom's split view does), so it can never be panned out of reach. Left of it the
 * photo as opened, right of it the photo with its edits. What a preview change makes dirty is
 * the union of the boxes the old and new previews cover.
 */
import { EMPTY_RECT, intersectRect, isEmptyRect, unionRect, type Rect } from '../masks/rect';
import { screenToImage, type Viewport } from './viewport';

/** What the canvas shows: the edited photo, the photo without edits, or both either side of a divider. */
export type CompareMode = 'edited' | 'before' | 'split';

/**
 * The before/after key is spring-loaded, as Photoshop's tool keys are: a tap toggles, and a press
 * held this long (ms) only peeks — the view goes back when the key is let go.
 */
export const PEEK_HOLD_MS = 350;

/** A before/after key pressed and not yet let go: when, and what the view showed before it. */
export interface HeldCompareKey {
  since: number;
  restore: CompareMode;
}

/** The view after the key goes down: before, or back to the edit when before was showing. */
export function toggledBefore(mode: CompareMode): CompareMode {
  return mode === 'before' ? 'edited' : 'before';
}

/** The view when the key comes up: what it was before the press if the press was a hold, else unchanged. */
export function compareAfterRelease(held: HeldCompareKey, now: number, current: CompareMode): CompareMode {
  return now - held.since >= PEEK_HOLD_MS ? held.restore : current;
}

/** Which image a part of the canvas draws. */
export type ImageSide = 'source' | 'edited';

/** A part of the backing store (device pixels) and which image it shows. */
export interface ComparePart {
  device: Rect;
  side: ImageSide;
}

/** The divider's column on the backing store: a fraction of the view's CSS width, in device pixels. */
export function dividerDeviceX(fraction: number, cssWidth: number, dpr: number): number {
  return Math.round(clampFraction(fraction) * cssWidth * dpr);
}

/** The image column under the divider (may lie outside the image when the photo does not fill the view). */
export function dividerImageX(v: Viewport, fraction: number, cssWidth: number): number {
  return screenToImage(v, clampFraction(fraction) * cssWidth, 0).x;
}

/** The divider's fraction for a pointer at `cssX` in a view `cssWidth` wide, kept inside the view. */
export function fractionAt(cssX: number, cssWidth: number): number {
  return cssWidth > 0 ? clampFraction(cssX / cssWidth) : 0.5;
}

/**
 * The divider moved by a key, as a slider moves: arrows by 1 % of the view (10 % with Shift),
 * Home and End to the edges. Null for a key that does not move it.
 */
export function fractionAfterKey(fraction: number, key: string, shift: boolean): number | null {
  const step = shift ? 0.1 : 0.01;
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowDown':
      return clampFraction(roundPercent(fraction - step));
    case 'ArrowRight':
    case 'ArrowUp':
      return clampFraction(roundPercent(fraction + step));
    case 'Home':
      return 0;
    case 'End':
      return 1;
    default:
      return null;
  }
}

/**
 * The parts of `device` (a rectangle of the backing store to redraw) and what each shows: all of
 * it edited or all of it before, or split at `dividerX` with the photo as opened on the left.
 */
export function compareParts(device: Rect, mode: CompareMode, dividerX: number): ComparePart[] {
  if (isEmptyRect(device)) return [];
  if (mode !== 'split') return [{ device, side: mode === 'before' ? 'source' : 'edited' }];
  const left = intersectRect(device, { x: device.x, y: device.y, width: dividerX - device.x, height: device.height });
  const right = intersectRect(device, { x: dividerX, y: device.y, width: device.x + device.width - dividerX, height: device.height });
  const parts: ComparePart[] = [];
  if (!isEmptyRect(left)) parts.push({ device: left, side: 'source' });
  if (!isEmptyRect(right)) parts.push({ device: right, side: 'edited' });
  return parts;
}

/**
 * The image rectangle to redraw when the previews change from `before` to `after` (each the box it
 * covers): pixels change only inside the old boxes (they return to the photo) and the new ones.
 */
export function previewsDirtyRect(before: readonly Rect[], after: readonly Rect[]): Rect {
  let dirty = EMPTY_RECT;
  for (const box of [...before, ...after]) dirty = unionRect(dirty, box);
  return dirty;
}

function clampFraction(fraction: number): number {
  return Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0.5;
}

/** Keeps keyboard steps on whole percents, so 0.5 + 0.01 × n never drifts to 0.5099999. */
function roundPercent(fraction: number): number {
  return Math.round(fraction * 1000) / 1000;
}
