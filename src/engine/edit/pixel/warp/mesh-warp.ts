/**
 * Piecewise-affine warp over a triangle mesh: every output pixel inside a target triangle is
 * sampled (bilinear) from the matching source triangle through that pair's affine map. This is
 * the dense version of "move these landmarks there": with the 468-point face mesh it lays one
 * face's pixels onto another face's geometry.
 *
 * The output is a window of the target image only (a face, not the photo), so the cost follows
 * the face's size, not the photo's. When the source is much larger than where it lands (a
 * 12-megapixel source face pasted into a small one) the source's mesh area is averaged down
 * first, as vision/image-ops/warp.ts does, so the warp does not alias.
 */
import { sampleBilinear } from '../../../vision/image-ops/bilinear';
import type { Region } from '../../../vision/image-ops/box-downsample';
import type { PixelSource } from '../../../vision/image-ops/pixel-source';
import type { Affine } from '../../../vision/image-ops/affine';
import { prefilteredSource } from './prefilter-source';
import { TriangleRaster, triangleAffine } from './triangle-affine';

export interface MeshWarpInput {
  source: PixelSource;
  /** x0, y0, x1, y1, ... in source image pixels. */
  sourcePoints: ArrayLike<number>;
  /** The same points where they land, in output image pixels. */
  targetPoints: ArrayLike<number>;
  /** Vertex indices, three per triangle. */
  triangles: ArrayLike<number>;
  /** The part of the output image to produce. */
  window: Region;
  /** Channels to sample from the start of each pixel (default: all of the source's). */
  channels?: number;
  /** Average the source down first when it shrinks by 2× or more (default true). */
  antialias?: boolean;
  /** Window-sized: only pixels where this is non-zero are produced (the rest stay 0, uncovered). */
  mask?: Uint8Array;
}

export interface MeshWarpResult {
  width: number;
  height: number;
  channels: number;
  /** The warped pixels, window-sized, interleaved; 0 where no triangle landed. */
  data: Float32Array;
  /** 1 where a triangle covered the pixel's centre, 0 elsewhere. */
  coverage: Uint8Array;
}

/**
 * Called once per window row, top to bottom, with the row's warped pixels (`channels` floats
 * each) and which of them the mesh covered; only covered entries are meaningful. Both arrays
 * are reused for the next row.
 */
export type WarpRowVisitor = (y: number, row: Float32Array, covered: Uint8Array) => void;

/**
 * The warp produced row by row (a scanline walk over the triangles active on each row), so a
 * caller can consume each row as it comes — blend it into the photo — without a window-sized
 * buffer of warped pixels.
 */
export function warpMeshRows(input: MeshWarpInput, visit: WarpRowVisitor): void {
  const { window, triangles, targetPoints, mask } = input;
  const channels = input.channels ?? input.source.channels;
  const { source, sourcePoints } = input.antialias === false ? input : prefilteredSource(input);
  const { width, height } = window;
  const pieces = meshPieces(triangles, targetPoints, sourcePoints, window);
  pieces.sort((a, b) => a.raster.rowStart - b.raster.rowStart);
  const row = new Float32Array(width * channels);
  const covered = new Uint8Array(width);
  const span = { x0: 0, x1: 0 };
  const active: MeshPiece[] = [];
  let next = 0;
  for (let y = 0; y < height; y++) {
    while (next < pieces.length && pieces[next]!.raster.rowStart <= y) active.push(pieces[next++]!);
    covered.fill(0);
    const cy = y + 0.5;
    const maskRow = y * width;
    for (let k = active.length - 1; k >= 0; k--) {
      const { raster, m } = active[k]!;
      if (raster.rowEnd < y) {
        active[k] = active[active.length - 1]!;
        active.pop();
        continue;
      }
      raster.span(y, span);
      if (channels === 3) {
        spanRgb(source, m, cy, span.x0, span.x1, mask ?? null, maskRow, row, covered);
        continue;
      }
      for (let x = span.x0; x < span.x1; x++) {
        if (mask && mask[maskRow + x] === 0) continue;
        const cx = x + 0.5;
        sampleBilinear(source, m.a * cx + m.b * cy + m.c, m.d * cx + m.e * cy + m.f, 'replicate', channels, row, x * channels);
        covered[x] = 1;
      }
    }
    visit(y, row, covered);
  }
}

/** The whole window warped into one buffer. */
export function meshWarp(input: MeshWarpInput): MeshWarpResult {
  const { width, height } = input.window;
  const channels = input.channels ?? input.source.channels;
  const data = new Float32Array(width * height * channels);
  const coverage = new Uint8Array(width * height);
  warpMeshRows(input, (y, row, covered) => {
    for (let x = 0; x < width; x++) {
      if (covered[x] === 0) continue;
      coverage[y * width + x] = 1;
      for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = row[x * channels + c]!;
    }
  });
  return { width, height, channels, data, coverage };
}

interface MeshPiece {
  raster: TriangleRaster;
  /** Window pixel → source pixel. */
  m: Affine;
}

/** Each non-degenerate triangle's raster in the window and its affine map into the source. */
function meshPieces(triangles: ArrayLike<number>, targetPoints: ArrayLike<number>, sourcePoints: ArrayLike<number>, window: Region): MeshPiece[] {
  const pieces: MeshPiece[] = [];
  const target = new Float64Array(6);
  const from = new Float64Array(6);
  for (let t = 0; t + 2 < triangles.length; t += 3) {
    for (let k = 0; k < 3; k++) {
      const v = triangles[t + k]!;
      target[k * 2] = targetPoints[v * 2]! - window.left;
      target[k * 2 + 1] = targetPoints[v * 2 + 1]! - window.top;
      from[k * 2] = sourcePoints[v * 2]!;
      from[k * 2 + 1] = sourcePoints[v * 2 + 1]!;
    }
    const m = triangleAffine(target, from);
    if (!m) continue;
    const raster = new TriangleRaster(target, window.width, window.height);
    if (raster.rowEnd >= raster.rowStart) pieces.push({ raster, m });
  }
  return pieces;
}

/**
 * One span of one row, first three channels, bilinear with the edge replicated: sampleBilinear's
 * 'replicate' case written out for RGB and walked incrementally along the row, because this loop
 * runs once per face pixel and a 12-megapixel photo's face has a million of them. The source
 * position is affine along the span, so its ends say whether any tap can fall off the source:
 * when none can (nearly always), the span runs without the clamping.
 */
function spanRgb(
  source: PixelSource,
  m: Affine,
  cy: number,
  x0: number,
  x1: number,
  mask: Uint8Array | null,
  maskRow: number,
  row: Float32Array,
  covered: Uint8Array,
): void {
  if (x1 <= x0) return;
  const { width, height, channels: stride, data } = source;
  const maxX = width - 1;
  const maxY = height - 1;
  const stepX = m.a;
  const stepY = m.d;
  // Source position of pixel x's centre, minus the half pixel that puts centres on integers.
  let sx = m.a * (x0 + 0.5) + m.b * cy + m.c - 0.5;
  let sy = m.d * (x0 + 0.5) + m.e * cy + m.f - 0.5;
  // The last pixel's position, with a margin for the rounding the running sums gather on the way.
  const lastX = sx + stepX * (x1 - 1 - x0);
  const lastY = sy + stepY * (x1 - 1 - x0);
  const inside = Math.min(sx, lastX) >= 1e-6 && Math.min(sy, lastY) >= 1e-6 && Math.max(sx, lastX) < maxX - 1e-6 && Math.max(sy, lastY) < maxY - 1e-6;
  if (!inside) {
    clampedSpanRgb(source, sx, sy, stepX, stepY, x0, x1, mask, maskRow, row, covered);
    return;
  }
  const below = width * stride;
  for (let x = x0; x < x1; x++, sx += stepX, sy += stepY) {
    if (mask !== null && mask[maskRow + x] === 0) continue;
    const ix = Math.floor(sx);
    const iy = Math.floor(sy);
    const fx = sx - ix;
    const fy = sy - iy;
    const i00 = (iy * width + ix) * stride;
    const i10 = i00 + stride;
    const i01 = i00 + below;
    const i11 = i01 + stride;
    const o = x * 3;
    const r0 = data[i00]! + (data[i10]! - data[i00]!) * fx;
    const r1 = data[i01]! + (data[i11]! - data[i01]!) * fx;
    const g0 = data[i00 + 1]! + (data[i10 + 1]! - data[i00 + 1]!) * fx;
    const g1 = data[i01 + 1]! + (data[i11 + 1]! - data[i01 + 1]!) * fx;
    const b0 = data[i00 + 2]! + (data[i10 + 2]! - data[i00 + 2]!) * fx;
    const b1 = data[i01 + 2]! + (data[i11 + 2]! - data[i01 + 2]!) * fx;
    row[o] = r0 + (r1 - r0) * fy;
    row[o + 1] = g0 + (g1 - g0) * fy;
    row[o + 2] = b0 + (b1 - b0) * fy;
    covered[x] = 1;
  }
}

/** spanRgb where taps may fall off the source: each one clamped to the nearest edge pixel. */
function clampedSpanRgb(
  source: PixelSource,
  sx: number,
  sy: number,
  stepX: number,
  stepY: number,
  x0: number,
  x1: number,
  mask: Uint8Array | null,
  maskRow: number,
  row: Float32Array,
  covered: Uint8Array,
): void {
  const { width, height, channels: stride, data } = source;
  const maxX = width - 1;
  const maxY = height - 1;
  for (let x = x0; x < x1; x++, sx += stepX, sy += stepY) {
    if (mask !== null && mask[maskRow + x] === 0) continue;
    let ix = Math.floor(sx);
    let iy = Math.floor(sy);
    const fx = sx - ix;
    const fy = sy - iy;
    let ix1 = ix + 1;
    let iy1 = iy + 1;
    ix = ix < 0 ? 0 : ix > maxX ? maxX : ix;
    ix1 = ix1 < 0 ? 0 : ix1 > maxX ? maxX : ix1;
    iy = iy < 0 ? 0 : iy > maxY ? maxY : iy;
    iy1 = iy1 < 0 ? 0 : iy1 > maxY ? maxY : iy1;
    const i00 = (iy * width + ix) * stride;
    const i10 = (iy * width + ix1) * stride;
    const i01 = (iy1 * width + ix) * stride;
    const i11 = (iy1 * width + ix1) * stride;
    const o = x * 3;
    for (let c = 0; c < 3; c++) {
      const top = data[i00 + c]! + (data[i10 + c]! - data[i00 + c]!) * fx;
      const bottom = data[i01 + c]! + (data[i11 + c]! - data[i01 + c]!) * fx;
      row[o + c] = top + (bottom - top) * fy;
    }
    covered[x] = 1;
  }
}
