/**
 * A mask painted on one frame follows its face: on another frame it is moved and scaled by the
 * similarity that takes the face's box on the painted frame to its box there (centre to centre,
 * scaled by the ratio of the boxes' sizes). Boxes are axis-aligned, so there is no rotation; the
 * tracker's mesh box is steady enough frame to frame for this to hold a correction in place on a
 * face that moves, nears or leaves the camera. Pure functions, no I/O.
 */
import type { Box } from '../vision/faces/face-types';

export interface PaintedMask {
  width: number;
  height: number;
  /** 0..255, row-major, width × height. */
  data: Uint8Array;
}

/** p_to = scale · (p_from − fromCentre) + toCentre. */
export interface BoxSimilarity {
  scale: number;
  fromX: number;
  fromY: number;
  toX: number;
  toY: number;
}

export function boxSimilarity(from: Box, to: Box): BoxSimilarity {
  const scale = Math.sqrt((to.width * to.height) / (from.width * from.height));
  return { scale, fromX: from.x + from.width / 2, fromY: from.y + from.height / 2, toX: to.x + to.width / 2, toY: to.y + to.height / 2 };
}

/** The smallest pixel rectangle holding every non-zero value, or undefined for an empty mask. */
export function maskBounds(mask: PaintedMask): { left: number; top: number; right: number; bottom: number } | undefined {
  let left = mask.width;
  let top = mask.height;
  let right = -1;
  let bottom = -1;
  for (let y = 0; y < mask.height; y++) {
    const row = y * mask.width;
    for (let x = 0; x < mask.width; x++) {
      if (mask.data[row + x] === 0) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      bottom = y;
    }
  }
  return right < 0 ? undefined : { left, top, right: right + 1, bottom: bottom + 1 };
}

/**
 * The mask moved onto another frame by `similarity`, at the same size (values 0..255, bilinear;
 * what falls outside the frame is dropped). Only the moved rectangle of the painted part is
 * visited, so a small correction on a large frame costs little.
 */
export function followMask(mask: PaintedMask, similarity: BoxSimilarity, bounds = maskBounds(mask)): Uint8Array {
  const { width, height, data } = mask;
  const out = new Uint8Array(width * height);
  if (!bounds) return out;
  const { scale: s, fromX, fromY, toX, toY } = similarity;
  // The painted rectangle's image on this frame, one pixel wider for the bilinear edge.
  const x0 = Math.max(0, Math.floor(s * (bounds.left - fromX) + toX) - 1);
  const x1 = Math.min(width, Math.ceil(s * (bounds.right - fromX) + toX) + 1);
  const y0 = Math.max(0, Math.floor(s * (bounds.top - fromY) + toY) - 1);
  const y1 = Math.min(height, Math.ceil(s * (bounds.bottom - fromY) + toY) + 1);
  for (let y = y0; y < y1; y++) {
    // Pixel centres: the painted frame's pixel (u, v) covers [u, u+1) × [v, v+1).
    const v = (y + 0.5 - toY) / s + fromY - 0.5;
    const vi = Math.floor(v);
    const fv = v - vi;
    for (let x = x0; x < x1; x++) {
      const u = (x + 0.5 - toX) / s + fromX - 0.5;
      const ui = Math.floor(u);
      const fu = u - ui;
      const a = sample(data, width, height, ui, vi);
      const b = sample(data, width, height, ui + 1, vi);
      const c = sample(data, width, height, ui, vi + 1);
      const d = sample(data, width, height, ui + 1, vi + 1);
      const value = (a * (1 - fu) + b * fu) * (1 - fv) + (c * (1 - fu) + d * fu) * fv;
      out[y * width + x] = Math.round(value);
    }
  }
  return out;
}

function sample(data: Uint8Array, width: number, height: number, x: number, y: number): number {
  return x < 0 || y < 0 || x >= width || y >= height ? 0 : data[y * width + x]!;
}
