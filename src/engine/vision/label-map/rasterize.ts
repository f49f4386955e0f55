/**
 * Polygon rasterisation for label maps: a scanline fill that hands out horizontal spans, so a
 * caller can paint a label, test a condition per pixel, or count, without a temporary mask.
 * A pixel belongs to a polygon when its centre (x + 0.5, y + 0.5) is inside (even-odd rule), so
 * two polygons sharing an edge never both claim a pixel and nothing is anti-aliased: label ids
 * are not blendable.
 */

/** A flat list of vertices: x0, y0, x1, y1, ... in image pixels. */
export type Polygon = ArrayLike<number>;

/** Called for each row's run of covered pixels [x0, x1) on row y, already clipped to the image. */
export type SpanVisitor = (y: number, x0: number, x1: number) => void;

export function forEachPolygonSpan(polygon: Polygon, width: number, height: number, visit: SpanVisitor): void {
  const n = polygon.length >> 1;
  if (n < 3) return;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const y = polygon[i * 2 + 1]!;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  if (!Number.isFinite(minY) || !Number.isFinite(maxY)) return;
  const rowStart = Math.max(0, Math.ceil(minY - 0.5));
  const rowEnd = Math.min(height - 1, Math.floor(maxY - 0.5));
  const crossings: number[] = [];
  for (let y = rowStart; y <= rowEnd; y++) {
    const yc = y + 0.5;
    crossings.length = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const xi = polygon[i * 2]!;
      const yi = polygon[i * 2 + 1]!;
      const xj = polygon[j * 2]!;
      const yj = polygon[j * 2 + 1]!;
      // Half-open in y so a vertex exactly on the scanline is counted once.
      if (yi <= yc !== yj <= yc) crossings.push(xi + ((yc - yi) / (yj - yi)) * (xj - xi));
    }
    crossings.sort((a, b) => a - b);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const x0 = Math.max(0, Math.ceil(crossings[k]! - 0.5));
      const x1 = Math.min(width, Math.ceil(crossings[k + 1]! - 0.5));
      if (x1 > x0) visit(y, x0, x1);
    }
  }
}

/** Sets every covered pixel of `target` (one byte per pixel, row-major) to `value`. */
export function fillPolygon(target: Uint8Array, width: number, height: number, polygon: Polygon, value: number): void {
  forEachPolygonSpan(polygon, width, height, (y, x0, x1) => target.fill(value, y * width + x0, y * width + x1));
}

/** A closed polygon approximating an ellipse, `segments` vertices. */
export function ellipsePolygon(
  cx: number,
  cy: number,
  /** Semi-axis along `axis` and across it. */
  radiusAlong: number,
  radiusAcross: number,
  /** Unit vector of the first axis. */
  axis: readonly [number, number] = [1, 0],
  segments = 32,
): number[] {
  const [ax, ay] = axis;
  const out: number[] = [];
  for (let i = 0; i < segments; i++) {
    const t = (i / segments) * Math.PI * 2;
    const along = Math.cos(t) * radiusAlong;
    const across = Math.sin(t) * radiusAcross;
    out.push(cx + ax * along - ay * across, cy + ay * along + ax * across);
  }
  return out;
}

/**
 * A capsule (a segment thickened by `radius`, round ends) as a convex polygon, so thin features
 * can be given a minimum thickness by stroking their outline.
 */
export function capsulePolygon(x0: number, y0: number, x1: number, y1: number, radius: number, capSegments = 6): number[] {
  const length = Math.hypot(x1 - x0, y1 - y0);
  // A degenerate segment is a disc; any direction will do.
  const [dx, dy] = length > 1e-9 ? [(x1 - x0) / length, (y1 - y0) / length] : [1, 0];
  const out: number[] = [];
  const base = Math.atan2(dy, dx);
  for (let i = 0; i <= capSegments; i++) {
    const t = base - Math.PI / 2 + (i / capSegments) * Math.PI;
    out.push(x1 + Math.cos(t) * radius, y1 + Math.sin(t) * radius);
  }
  for (let i = 0; i <= capSegments; i++) {
    const t = base + Math.PI / 2 + (i / capSegments) * Math.PI;
    out.push(x0 + Math.cos(t) * radius, y0 + Math.sin(t) * radius);
  }
  return out;
}

/** Visits the spans of the polygon's outline stroked with round joins of `radius` (spans may repeat). */
export function forEachOutlineSpan(polygon: Polygon, radius: number, width: number, height: number, visit: SpanVisitor): void {
  const n = polygon.length >> 1;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const capsule = capsulePolygon(polygon[j * 2]!, polygon[j * 2 + 1]!, polygon[i * 2]!, polygon[i * 2 + 1]!, radius);
    forEachPolygonSpan(capsule, width, height, visit);
  }
}
