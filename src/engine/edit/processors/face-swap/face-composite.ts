/**
 * The one full-size pass over a swapped face's window: the source warped row by row over the
 * mesh (warpMeshRows), each row recoloured by the colour gains and blended into the photo by the
 * blend weight, both read from their shrunk grids, and the weight used written to the region.
 * No window-sized buffer of warped pixels or of any smooth field exists. The weight is quantised
 * to a byte first and that byte is both what blends and what the region says, so "region 0" and
 * "pixel unchanged" are the same fact.
 */
import type { RasterImage } from '../../../image/image';
import { RowUpsampler, type FloatPlane } from '../../pixel/blend/float-plane';
import { warpMeshRows, type MeshWarpInput, type MeshWarpResult, type WarpRowVisitor } from '../../pixel/warp/mesh-warp';

export interface FaceComposite {
  image: RasterImage;
  /** Photo-sized region mask, raised to each pixel's weight. */
  region: Uint8Array;
  /** The warp of the source into the face's window; its mask says where the new face may show. */
  warp: MeshWarpInput & { mask: Uint8Array };
  /**
   * That warp already made, window-sized and unmasked (a small face's comparison grid is the
   * window itself, swap-face.ts): read instead of warping the same triangles a second time.
   */
  warped?: MeshWarpResult;
  /** The blend weight, on the window shrunk by `factor`. */
  blend: FloatPlane;
  factor: number;
  /** R, G, B gains, on the window shrunk by their own factor (null: no recolouring). */
  gains: { planes: readonly FloatPlane[]; factor: number } | null;
  strength: number;
}

export function compositeFace(job: FaceComposite): void {
  const { image, region, warp, blend, strength } = job;
  const { window } = warp;
  const alphaRows = new RowUpsampler(blend, job.factor, window.width);
  // No colour matching is a gain of 1 everywhere: a 1×1 plane of ones.
  const gains = job.gains ?? { planes: [0, 1, 2].map(() => ({ width: 1, height: 1, data: new Float32Array([1]) })), factor: 1 };
  const [redRows, greenRows, blueRows] = gains.planes.map((plane) => new RowUpsampler(plane, gains.factor, window.width)) as [RowUpsampler, RowUpsampler, RowUpsampler];
  const { data, channels: stride } = image;
  // Stores through a clamped view round and clamp to 0..255 themselves (a plain Uint8Array store
  // truncates and wraps), which saves two comparisons per channel in the hottest loop.
  const out = new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength);
  const rows = (visit: WarpRowVisitor) => (job.warped ? warpedRows(job.warped, warp.mask, visit) : warpMeshRows({ ...warp, channels: 3 }, visit));
  rows((y, warped, covered) => {
    // The smooth fields' interpolation is folded into this loop (only covered pixels pay for it).
    const { above: a0, below: a1, fy } = alphaRows.rowPair(y);
    // The gains are on a grid of their own: their row weight is their own.
    const { above: r0, below: r1, fy: gy } = redRows.rowPair(y);
    const { above: g0, below: g1 } = greenRows.rowPair(y);
    const { above: b0, below: b1 } = blueRows.rowPair(y);
    const photoRow = (window.top + y) * image.width + window.left;
    for (let x = 0; x < window.width; x++) {
      if (covered[x] === 0) continue;
      const v = (a0[x]! + (a1[x]! - a0[x]!) * fy) * strength;
      const a = v <= 0 ? 0 : v >= 1 ? 255 : (v * 255 + 0.5) | 0;
      if (a === 0) continue;
      const w = a / 255;
      const o = (photoRow + x) * stride;
      const s = x * 3;
      const gr = r0[x]! + (r1[x]! - r0[x]!) * gy;
      const gg = g0[x]! + (g1[x]! - g0[x]!) * gy;
      const gb = b0[x]! + (b1[x]! - b0[x]!) * gy;
      // Written out per channel (no helper call): this loop runs once per face pixel.
      out[o] = data[o]! + w * (warped[s]! * gr - data[o]!);
      out[o + 1] = data[o + 1]! + w * (warped[s + 1]! * gg - data[o + 1]!);
      out[o + 2] = data[o + 2]! + w * (warped[s + 2]! * gb - data[o + 2]!);
      if (a > region[photoRow + x]!) region[photoRow + x] = a;
    }
  });
}

/** A warp made earlier, visited row by row as warpMeshRows would give it, with `mask` applied. */
function warpedRows(warped: MeshWarpResult, mask: Uint8Array, visit: WarpRowVisitor): void {
  const { width, height, channels, data, coverage } = warped;
  const covered = new Uint8Array(width);
  for (let y = 0; y < height; y++) {
    const start = y * width;
    for (let x = 0; x < width; x++) covered[x] = coverage[start + x]! & mask[start + x]!;
    visit(y, data.subarray(start * channels, (start + width) * channels), covered);
  }
}
