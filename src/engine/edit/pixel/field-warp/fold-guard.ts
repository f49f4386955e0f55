/**
 * Keeps a displacement field from folding the picture over itself. The warp reads each output
 * pixel from q + d(q), with d interpolated bilinearly inside each lattice cell, so within a cell
 * the map is bilinear, and a bilinear map's Jacobian determinant is an affine function of the
 * cell coordinates (the uv term cancels): its minimum over the cell is at one of the four corners.
 * Checking the four corner determinants of every cell is therefore exact, not a sample. A map that
 * is locally orientation-preserving everywhere and the identity outside a bounded region is one to
 * one, so "every corner determinant > 0" means no tear and no fold anywhere.
 *
 * When the handles ask for too much (many sliders at their ends on one feature), the field is
 * scaled down uniformly by the largest factor that keeps every determinant at or above a floor,
 * rather than clipped locally, which would itself crease the picture.
 */
import type { DisplacementField } from './displacement-field';

export interface FoldCheck {
  /** The smallest Jacobian determinant over the field (1 = no local area change). */
  minDeterminant: number;
  /** The factor the field was multiplied by (1 when it was already within bounds). */
  scale: number;
}

/** Determinants no lower than this keep a warped feature from being squeezed to a line. */
export const DEFAULT_DETERMINANT_FLOOR = 0.2;

/** Visits each non-zero cell's four corners as (a, b, c, d): det(α) = 1 + α(a + d) + α²(ad − bc). */
function forEachCorner(field: DisplacementField, visit: (a: number, b: number, c: number, d: number) => void): void {
  const { cols, rows, dx, dy, step } = field;
  const k = 1 / step;
  for (let j = 0; j < rows - 1; j++) {
    for (let i = 0; i < cols - 1; i++) {
      const n00 = j * cols + i;
      const n10 = n00 + 1;
      const n01 = n00 + cols;
      const n11 = n01 + 1;
      if (dx[n00] === 0 && dy[n00] === 0 && dx[n10] === 0 && dy[n10] === 0 && dx[n01] === 0 && dy[n01] === 0 && dx[n11] === 0 && dy[n11] === 0) continue;
      // Edge differences in units of the node spacing: top, bottom (along x) and left, right (along y).
      const tx = (dx[n10]! - dx[n00]!) * k;
      const ty = (dy[n10]! - dy[n00]!) * k;
      const bx = (dx[n11]! - dx[n01]!) * k;
      const by = (dy[n11]! - dy[n01]!) * k;
      const lx = (dx[n01]! - dx[n00]!) * k;
      const ly = (dy[n01]! - dy[n00]!) * k;
      const rx = (dx[n11]! - dx[n10]!) * k;
      const ry = (dy[n11]! - dy[n10]!) * k;
      visit(tx, lx, ty, ly);
      visit(tx, rx, ty, ry);
      visit(bx, lx, by, ly);
      visit(bx, rx, by, ry);
    }
  }
}

export function minJacobianDeterminant(field: DisplacementField): number {
  let min = 1;
  forEachCorner(field, (a, b, c, d) => {
    const det = (1 + a) * (1 + d) - b * c;
    if (det < min) min = det;
  });
  return min;
}

/** Scales the field in place so that every determinant is ≥ floor; returns what it found and did. */
export function limitFolding(field: DisplacementField, floor = DEFAULT_DETERMINANT_FLOOR): FoldCheck {
  let alpha = 1;
  forEachCorner(field, (a, b, c, d) => {
    const root = firstCrossing(a + d, a * d - b * c, 1 - floor);
    if (root < alpha) alpha = root;
  });
  if (alpha < 1) {
    // A hair under the crossing, so rounding cannot leave a determinant just below the floor.
    const scale = alpha * 0.999;
    for (let n = 0; n < field.dx.length; n++) {
      field.dx[n] = field.dx[n]! * scale;
      field.dy[n] = field.dy[n]! * scale;
    }
    return { minDeterminant: minJacobianDeterminant(field), scale };
  }
  return { minDeterminant: minJacobianDeterminant(field), scale: 1 };
}

/** The smallest α in (0, 1] where B·α² + A·α + margin reaches 0 (margin > 0 at α = 0), else 1. */
function firstCrossing(A: number, B: number, margin: number): number {
  if (Math.abs(B) < 1e-12) return A < 0 ? Math.min(1, margin / -A) : 1;
  const disc = A * A - 4 * B * margin;
  if (disc < 0) return 1;
  const sq = Math.sqrt(disc);
  let best = 1;
  for (const root of [(-A - sq) / (2 * B), (-A + sq) / (2 * B)]) if (root > 0 && root < best) best = root;
  return best;
}
