/**
 * The affine map carrying one triangle onto another: the piece of a piecewise-affine warp. Given
 * as a plain Affine (vision/image-ops/affine.ts) so it composes with every other transform.
 */
import type { Affine } from '../../../vision/image-ops/affine';

/**
 * The affine M with M(from_i) = to_i for the three vertices (x0, y0, x1, y1, x2, y2 each), or
 * null when `from` is degenerate (zero area: nothing of it can be rasterised anyway).
 */
export function triangleAffine(from: ArrayLike<number>, to: ArrayLike<number>): Affine | null {
  const fx0 = from[0]!;
  const fy0 = from[1]!;
  const ux = from[2]! - fx0;
  const uy = from[3]! - fy0;
  const vx = from[4]! - fx0;
  const vy = from[5]! - fy0;
  const det = ux * vy - vx * uy;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-9) return null;
  const tx0 = to[0]!;
  const ty0 = to[1]!;
  const px = to[2]! - tx0;
  const py = to[3]! - ty0;
  const qx = to[4]! - tx0;
  const qy = to[5]! - ty0;
  // [p q] · [u v]⁻¹, with [u v]⁻¹ = [[vy, -vx], [-uy, ux]] / det.
  const a = (px * vy - qx * uy) / det;
  const b = (qx * ux - px * vx) / det;
  const d = (py * vy - qy * uy) / det;
  const e = (qy * ux - py * vx) / det;
  return { a, b, c: tx0 - a * fx0 - b * fy0, d, e, f: ty0 - d * fx0 - e * fy0 };
}

/**
 * The pixels of one triangle, row by row: those whose centres lie inside it, or within `slack`
 * pixels of it, so triangles sharing an edge leave no unvisited crack between them (a pixel on
 * the shared edge may be visited by both). Rows are clipped to 0..height-1, spans to 0..width.
 */
export class TriangleRaster {
  /** First and last row with pixels (rowEnd < rowStart: none). */
  readonly rowStart: number;
  readonly rowEnd: number;
  /** Per edge: inside when slope·x + offset(y) ≥ 0, offset(y) = base + perRow·(y + 0.5). */
  readonly #slope: [number, number, number] = [0, 0, 0];
  readonly #base: [number, number, number] = [0, 0, 0];
  readonly #perRow: [number, number, number] = [0, 0, 0];

  constructor(
    tri: ArrayLike<number>,
    readonly width: number,
    height: number,
    slack = 1e-3,
  ) {
    const xs = [tri[0]!, tri[2]!, tri[4]!];
    const ys = [tri[1]!, tri[3]!, tri[5]!];
    const area = (xs[1]! - xs[0]!) * (ys[2]! - ys[0]!) - (xs[2]! - xs[0]!) * (ys[1]! - ys[0]!);
    if (!Number.isFinite(area) || Math.abs(area) < 1e-9) {
      this.rowStart = 0;
      this.rowEnd = -1;
      return;
    }
    const sign = area > 0 ? 1 : -1;
    this.rowStart = Math.max(0, Math.ceil(Math.min(...ys) - 0.5 - slack));
    this.rowEnd = Math.min(height - 1, Math.floor(Math.max(...ys) - 0.5 + slack));
    for (let i = 0; i < 3; i++) {
      const j = (i + 1) % 3;
      // Inside edge i→j: -sign·((x - xi)·ey - (cy - yi)·ex) ≥ -slack·|edge| (the far vertex gives
      // that edge function the opposite sign of the area), which is linear in x and in cy.
      const ex = xs[j]! - xs[i]!;
      const ey = ys[j]! - ys[i]!;
      this.#slope[i] = -sign * ey;
      this.#perRow[i] = sign * ex;
      this.#base[i] = sign * (xs[i]! * ey - ys[i]! * ex) + slack * Math.hypot(ex, ey);
    }
  }

  /** The span [x0, x1) of row y in `out` (x1 ≤ x0 when the row holds none). */
  span(y: number, out: { x0: number; x1: number }): { x0: number; x1: number } {
    let lo = -Infinity;
    let hi = Infinity;
    const cy = y + 0.5;
    for (let i = 0; i < 3; i++) {
      const slope = this.#slope[i]!;
      const offset = this.#base[i]! + this.#perRow[i]! * cy;
      if (slope > 0) lo = Math.max(lo, -offset / slope);
      else if (slope < 0) hi = Math.min(hi, -offset / slope);
      else if (offset < 0) hi = -Infinity;
    }
    // Pixel x is in when its centre x + 0.5 is in [lo, hi].
    out.x0 = Math.max(0, Math.ceil(lo - 0.5));
    out.x1 = Math.min(this.width, Math.floor(hi - 0.5) + 1);
    return out;
  }
}

/** Visits a triangle's pixel spans (see TriangleRaster) row by row. */
export function forEachTriangleSpan(
  tri: ArrayLike<number>,
  width: number,
  height: number,
  visit: (y: number, x0: number, x1: number) => void,
  slack = 1e-3,
): void {
  const raster = new TriangleRaster(tri, width, height, slack);
  const span = { x0: 0, x1: 0 };
  for (let y = raster.rowStart; y <= raster.rowEnd; y++) {
    raster.span(y, span);
    if (span.x1 > span.x0) visit(y, span.x0, span.x1);
  }
}
