/**
 * Lasso and polygon shapes rasterised into coverage with anti-aliased edges: each pixel row is
 * sampled on several sub-scanlines, and on each the covered span adds its exact horizontal
 * fraction to the pixels it crosses. Self-intersecting lassos use the non-zero winding rule, so a
 * loop drawn twice is still filled once.
 */
import { pixelBounds, type Rect } from './rect';

export interface Point {
  x: number;
  y: number;
}

export interface Coverage {
  /** 0..255 per pixel of `bounds`, row-major with stride bounds.width. */
  data: Uint8Array;
  bounds: Rect;
}

export function rasterizePolygon(points: readonly Point[], width: number, height: number, subsamples = 4): Coverage {
  if (points.length < 3) return { data: new Uint8Array(0), bounds: { x: 0, y: 0, width: 0, height: 0 } };
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of points) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x);
    maxY = Math.max(maxY, p.y);
  }
  const bounds = pixelBounds(minX, minY, maxX, maxY, width, height);
  const accumulated = new Float32Array(bounds.width * bounds.height);
  const crossings: Array<{ x: number; winding: number }> = [];
  const share = 1 / subsamples;
  for (let row = 0; row < bounds.height; row++) {
    for (let s = 0; s < subsamples; s++) {
      const sy = bounds.y + row + (s + 0.5) * share;
      crossings.length = 0;
      for (let i = 0; i < points.length; i++) {
        const a = points[i]!;
        const b = points[(i + 1) % points.length]!;
        if ((a.y <= sy && b.y > sy) || (b.y <= sy && a.y > sy)) {
          crossings.push({ x: a.x + ((sy - a.y) / (b.y - a.y)) * (b.x - a.x), winding: b.y > a.y ? 1 : -1 });
        }
      }
      crossings.sort((p, q) => p.x - q.x);
      let winding = 0;
      for (let i = 0; i < crossings.length - 1; i++) {
        winding += crossings[i]!.winding;
        if (winding !== 0) addSpan(accumulated, row * bounds.width, bounds, crossings[i]!.x, crossings[i + 1]!.x, share);
      }
    }
  }
  const data = new Uint8Array(accumulated.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.min(255, Math.round(accumulated[i]! * 255));
  return { data, bounds };
}

/** Adds `weight` × the covered fraction of each pixel between x0 and x1 on one row. */
function addSpan(acc: Float32Array, rowStart: number, bounds: Rect, x0: number, x1: number, weight: number): void {
  const left = Math.max(x0, bounds.x);
  const right = Math.min(x1, bounds.x + bounds.width);
  if (right <= left) return;
  const first = Math.floor(left);
  const last = Math.min(Math.ceil(right) - 1, bounds.x + bounds.width - 1);
  for (let px = first; px <= last; px++) {
    const covered = Math.min(px + 1, right) - Math.max(px, left);
    if (covered > 0) acc[rowStart + px - bounds.x]! += covered * weight;
  }
}
