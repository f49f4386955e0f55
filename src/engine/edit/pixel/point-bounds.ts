/** The bounding box of points stored flat as x, y, x, y, … (landmarks in image pixels). */
export interface PointBounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export function pointBounds(points: ArrayLike<number>): PointBounds {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i + 1 < points.length; i += 2) {
    minX = Math.min(minX, points[i]!);
    maxX = Math.max(maxX, points[i]!);
    minY = Math.min(minY, points[i + 1]!);
    maxY = Math.max(maxY, points[i + 1]!);
  }
  return { minX, minY, maxX, maxY };
}
