/**
 * A mesh warp's source averaged down when the mesh shrinks it by 2× or more overall (a large
 * source face pasted into a small one): bilinear taps a whole number of pixels apart would skip
 * most of the source and alias, so the part of the source the mesh covers is box-averaged by that
 * factor first and the source points moved to match, as vision/image-ops/warp.ts does for crops.
 */
import { boxDownsample } from '../../../vision/image-ops/box-downsample';
import type { PixelSource } from '../../../vision/image-ops/pixel-source';
import { pointBounds } from '../point-bounds';
import type { MeshWarpInput } from './mesh-warp';

/** The source (and its points) averaged down by the whole-mesh shrink factor, when that is ≥ 2. */
export function prefilteredSource(input: MeshWarpInput): { source: PixelSource; sourcePoints: ArrayLike<number> } {
  const s = pointBounds(input.sourcePoints);
  const t = pointBounds(input.targetPoints);
  const scale = Math.sqrt(((s.maxX - s.minX) * (s.maxY - s.minY)) / Math.max(1e-9, (t.maxX - t.minX) * (t.maxY - t.minY)));
  const factor = Math.floor(scale);
  if (!(factor >= 2)) return input;
  const { source } = input;
  const left = Math.max(0, Math.floor(s.minX) - factor);
  const top = Math.max(0, Math.floor(s.minY) - factor);
  const right = Math.min(source.width, Math.ceil(s.maxX) + factor);
  const bottom = Math.min(source.height, Math.ceil(s.maxY) + factor);
  if (right <= left || bottom <= top) return input;
  const region = { left, top, width: right - left, height: bottom - top };
  const small = boxDownsample(source, region, factor);
  const points = new Float64Array(input.sourcePoints.length);
  for (let i = 0; i + 1 < points.length; i += 2) {
    points[i] = (input.sourcePoints[i]! - left) / factor;
    points[i + 1] = (input.sourcePoints[i + 1]! - top) / factor;
  }
  return { source: small, sourcePoints: points };
}
