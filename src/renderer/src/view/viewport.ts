/**
 * Zoom and pan as numbers: screen = image × zoom + pan, in CSS pixels of the canvas element.
 * The canvas's backing store is devicePixelRatio times larger; the renderer multiplies by it.
 */
import type { Rect } from '../masks/rect';

export interface Viewport {
  zoom: number;
  panX: number;
  panY: number;
}

export const MIN_ZOOM = 1 / 64;
export const MAX_ZOOM = 64;
/** The steps Ctrl + and Ctrl − walk through, as in Photoshop. */
export const ZOOM_STEPS = [1 / 64, 1 / 48, 1 / 32, 1 / 24, 1 / 16, 1 / 12, 1 / 8, 1 / 6, 1 / 4, 1 / 3, 1 / 2, 2 / 3, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 32, 64];

export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

/** The whole image in view, centred, never enlarged past 100 % unless it is smaller than the view. */
export function fitViewport(imageWidth: number, imageHeight: number, viewWidth: number, viewHeight: number, margin = 24): Viewport {
  const zoom = clampZoom(Math.min((viewWidth - 2 * margin) / imageWidth, (viewHeight - 2 * margin) / imageHeight));
  return centred(zoom, imageWidth, imageHeight, viewWidth, viewHeight);
}

export function centred(zoom: number, imageWidth: number, imageHeight: number, viewWidth: number, viewHeight: number): Viewport {
  return { zoom, panX: (viewWidth - imageWidth * zoom) / 2, panY: (viewHeight - imageHeight * zoom) / 2 };
}

/** Zooms by `factor` keeping the image point under the screen point (sx, sy) where it is. */
export function zoomAt(v: Viewport, factor: number, sx: number, sy: number): Viewport {
  const zoom = clampZoom(v.zoom * factor);
  const k = zoom / v.zoom;
  return { zoom, panX: sx - (sx - v.panX) * k, panY: sy - (sy - v.panY) * k };
}

/** The next preset zoom in or out from the current one. */
export function steppedZoom(zoom: number, direction: 1 | -1): number {
  if (direction > 0) return ZOOM_STEPS.find((z) => z > zoom * 1.001) ?? MAX_ZOOM;
  return [...ZOOM_STEPS].reverse().find((z) => z < zoom / 1.001) ?? MIN_ZOOM;
}

/**
 * The zoom factor of one wheel event. A mouse wheel notch is ~100 px of deltaY; a trackpad pinch
 * arrives as ctrl+wheel with small deltas, so it is made more sensitive to feel direct.
 */
export function wheelZoomFactor(deltaY: number, deltaMode: number, pinch: boolean): number {
  const pixels = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.exp(-pixels * (pinch ? 0.01 : 0.0015));
}

export function screenToImage(v: Viewport, sx: number, sy: number): { x: number; y: number } {
  return { x: (sx - v.panX) / v.zoom, y: (sy - v.panY) / v.zoom };
}

/** An image rectangle on the backing store (device pixels), rounded outwards. */
export function imageRectToDevice(v: Viewport, r: Rect, dpr: number): Rect {
  const x0 = Math.floor((r.x * v.zoom + v.panX) * dpr);
  const y0 = Math.floor((r.y * v.zoom + v.panY) * dpr);
  const x1 = Math.ceil(((r.x + r.width) * v.zoom + v.panX) * dpr);
  const y1 = Math.ceil(((r.y + r.height) * v.zoom + v.panY) * dpr);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Above 100 % pixels are shown as crisp squares; below, smoothed when scaled down. */
export function smoothAt(zoom: number): boolean {
  return zoom < 1;
}

/** Keeps at least `keep` CSS pixels of the image on screen so it cannot be panned away and lost. */
export function constrainPan(v: Viewport, imageWidth: number, imageHeight: number, viewWidth: number, viewHeight: number, keep = 48): Viewport {
  const w = imageWidth * v.zoom;
  const h = imageHeight * v.zoom;
  const panX = Math.min(viewWidth - Math.min(keep, w), Math.max(Math.min(keep, w) - w, v.panX));
  const panY = Math.min(viewHeight - Math.min(keep, h), Math.max(Math.min(keep, h) - h, v.panY));
  return { zoom: v.zoom, panX, panY };
}
