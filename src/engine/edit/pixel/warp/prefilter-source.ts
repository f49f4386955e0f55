/**
 * A mesh warp's source averaged down when the mesh shrinks it by 2× or more overall (a large
 * source face pasted into a small one): bilinear taps a whole number of pixels apart would skip
 * most of the source and alias, so the part of the source the mesh covers is box-averaged by that
 * factor first and the source points moved to match, as vision/image-ops/warp.ts does for crops.
 * The factor and the averaged source are separate steps, so a caller warping one source into
 * many frames can keep the averaged source for each factor (face-swap's SwapSource).
 */
import { boxDownsample } from '../../../vision/image-ops/box-downsample';
import type { PixelSource } from '../../../vision/image-ops/pixel-source';
import { pointBounds } from '../point-bounds';
import type { MeshWarpInput } from './mesh-warp';

/** The part of a source averaged down by `factor`, and where it was cut from. */
export interface ShrunkSource {
  source: PixelSource;
  left: number;
  top: number;
  factor: number;
}

/** The whole-mesh shrink factor (whole, from the points' bounding boxes' areas); below 2 no prefilter is needed. */
export function prefilterFactor(sourcePoints: ArrayLike<number>, targetPoints: ArrayLike<number>): number {
  const s = pointBounds(sourcePoints);
  const t = pointBounds(targetPoints);
  const scale = Math.sqrt(((s.maxX - s.minX) * (s.maxY - s.minY)) / Math.max(1e-9, (t.maxX - t.minX) * (t.maxY - t.minY)));
  const factor = Math.floor(scale);
  return factor >= 2 ? factor : 1;
}

/**
 * The source's part under `sourcePoints` (their bounding box and a block more) averaged down by
 * `factor`; null when that part is empty. A byte source stays bytes (the averages rounded): the
 * warp's sampling loop then always reads one kind of array, which keeps it fast, and half a level
 * is below what an 8-bit result keeps anyway.
 */
export function shrinkSource(source: PixelSource, sourcePoints: ArrayLike<number>, factor: number): ShrunkSource | null {
  const s = pointBounds(sourcePoints);
  const left = Math.max(0, Math.floor(s.minX) - factor);
  const top = Math.max(0, Math.floor(s.minY) - factor);
  const right = Math.min(source.width, Math.ceil(s.maxX) + factor);
  const bottom = Math.min(source.height, Math.ceil(s.maxY) + factor);
  if (right <= left || bottom <= top) return null;
  const small = boxDownsample(source, { left, top, width: right - left, height: bottom - top }, factor);
  if (!(source.data instanceof Uint8Array)) return { source: small, left, top, factor };
  const bytes = new Uint8Array(small.data.length);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round(small.data[i]!);
  return { source: { ...small, data: bytes }, left, top, factor };
}

/** Points of the full source moved onto a shrunk part of it. */
export function pointsOnShrunk(points: ArrayLike<number>, shrunk: ShrunkSource): Float64Array {
  const out = new Float64Array(points.length);
  for (let i = 0; i + 1 < out.length; i += 2) {
    out[i] = (points[i]! - shrunk.left) / shrunk.factor;
    out[i + 1] = (points[i + 1]! - shrunk.top) / shrunk.factor;
  }
  return out;
}

/** The source (and its points) averaged down by the whole-mesh shrink factor, when that is ≥ 2. */
export function prefilteredSource(input: MeshWarpInput): { source: PixelSource; sourcePoints: ArrayLike<number> } {
  const factor = prefilterFactor(input.sourcePoints, input.targetPoints);
  const shrunk = factor >= 2 ? shrinkSource(input.source, input.sourcePoints, factor) : null;
  return shrunk ? { source: shrunk.source, sourcePoints: pointsOnShrunk(input.sourcePoints, shrunk) } : input;
}
