/**
 * The backward displacement field of a set of warp handles, sampled on a coarse lattice over the
 * part of the image the handles reach and read back bilinearly between nodes. The field is smooth
 * at the scale of a face feature, so a node every few pixels loses nothing visible, and building
 * it costs nodes × handles instead of pixels × handles. Outside the lattice (and wherever all four
 * surrounding nodes are zero) the displacement is exactly zero: those pixels are never touched. So
 * a warp reaches at most one lattice step beyond its handles' ellipses.
 */
import { handleBounds, IDENTITY_LINEAR, invertLinear, smootherstep, type WarpHandle } from './warp-handle';

export interface DisplacementField {
  imageWidth: number;
  imageHeight: number;
  /** Node (i, j) sits on the centre of pixel (left + i·step, top + j·step). */
  left: number;
  top: number;
  step: number;
  cols: number;
  rows: number;
  /** Backward displacement per node: the output pixel centre q reads the input at q + (dx, dy). */
  dx: Float32Array;
  dy: Float32Array;
}

/** The field of `handles` (summed) over an image; null when no handle reaches into it. */
export function buildDisplacementField(handles: readonly WarpHandle[], imageWidth: number, imageHeight: number, step: number): DisplacementField | null {
  const s = Math.max(1, Math.round(step));
  if (handles.length === 0) return null;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const h of handles) {
    const b = handleBounds(h);
    x0 = Math.min(x0, b.x0);
    y0 = Math.min(y0, b.y0);
    x1 = Math.max(x1, b.x1);
    y1 = Math.max(y1, b.y1);
  }
  // One node of margin beyond every ellipse: the outer ring of nodes is zero, so the interpolated
  // field falls continuously to zero at the lattice's edge (unless the image edge cuts it first).
  const left = Math.max(0, Math.floor(x0) - s - 1);
  const top = Math.max(0, Math.floor(y0) - s - 1);
  const right = Math.min(imageWidth - 1, Math.ceil(x1) + s + 1);
  const bottom = Math.min(imageHeight - 1, Math.ceil(y1) + s + 1);
  if (right < left || bottom < top) return null;
  const cols = Math.max(2, Math.ceil((right - left) / s) + 1);
  const rows = Math.max(2, Math.ceil((bottom - top) / s) + 1);
  const field: DisplacementField = { imageWidth, imageHeight, left, top, step: s, cols, rows, dx: new Float32Array(cols * rows), dy: new Float32Array(cols * rows) };
  for (const handle of handles) addHandle(field, handle);
  return field;
}

function addHandle(field: DisplacementField, handle: WarpHandle): void {
  const { left, top, step, cols, rows, dx, dy } = field;
  const [ia, ib, ic, id] = invertLinear(handle.linear ?? IDENTITY_LINEAR);
  const sx = handle.shift?.x ?? 0;
  const sy = handle.shift?.y ?? 0;
  const { x: ox, y: oy } = handle.center;
  const cx = ox + sx;
  const cy = oy + sy;
  const ux = handle.axis.x;
  const uy = handle.axis.y;
  const invA = 1 / handle.radii[0];
  const invB = 1 / handle.radii[1];
  const core = Math.min(0.999, Math.max(0, handle.core ?? 0));
  const gate = handle.gate;
  const b = handleBounds(handle);
  const i0 = Math.max(0, Math.floor((b.x0 - 0.5 - left) / step));
  const i1 = Math.min(cols - 1, Math.ceil((b.x1 - 0.5 - left) / step));
  const j0 = Math.max(0, Math.floor((b.y0 - 0.5 - top) / step));
  const j1 = Math.min(rows - 1, Math.ceil((b.y1 - 0.5 - top) / step));
  for (let j = j0; j <= j1; j++) {
    const qy = top + j * step + 0.5;
    const ry = qy - cy;
    for (let i = i0; i <= i1; i++) {
      const qx = left + i * step + 0.5;
      const rx = qx - cx;
      const u = (rx * ux + ry * uy) * invA;
      const v = (ry * ux - rx * uy) * invB;
      const r2 = u * u + v * v;
      if (r2 >= 1) continue;
      let weight = falloff(Math.sqrt(r2), core);
      if (gate) weight *= smootherstep(((qx - gate.origin.x) * gate.normal.x + (qy - gate.origin.y) * gate.normal.y) / gate.width + 0.5);
      if (weight === 0) continue;
      // Where the inverse of the handle's motion sends q, relative to q.
      const bx = ox + ia * rx + ib * ry - qx;
      const by = oy + ic * rx + id * ry - qy;
      const n = j * cols + i;
      dx[n]! += bx * weight;
      dy[n]! += by * weight;
    }
  }
}

/** 1 inside the core, easing to 0 at r = 1 (C² at both joins, so the field has no creases). */
function falloff(r: number, core: number): number {
  return r <= core ? 1 : smootherstep((1 - r) / (1 - core));
}

/** The field at a continuous image point (bilinear between nodes; zero outside the lattice). */
export function displacementAt(field: DisplacementField, x: number, y: number): { x: number; y: number } {
  const u = (x - 0.5 - field.left) / field.step;
  const v = (y - 0.5 - field.top) / field.step;
  if (u < 0 || v < 0 || u > field.cols - 1 || v > field.rows - 1) return { x: 0, y: 0 };
  const i = Math.min(field.cols - 2, Math.floor(u));
  const j = Math.min(field.rows - 2, Math.floor(v));
  const fu = u - i;
  const fv = v - j;
  const at = (plane: Float32Array) => {
    const n = j * field.cols + i;
    const top = plane[n]! + (plane[n + 1]! - plane[n]!) * fu;
    const bottom = plane[n + field.cols]! + (plane[n + field.cols + 1]! - plane[n + field.cols]!) * fu;
    return top + (bottom - top) * fv;
  };
  return { x: at(field.dx), y: at(field.dy) };
}

/** The largest displacement length over the nodes, in pixels. */
export function maxDisplacement(field: DisplacementField): number {
  let max = 0;
  for (let n = 0; n < field.dx.length; n++) max = Math.max(max, Math.hypot(field.dx[n]!, field.dy[n]!));
  return max;
}
