/**
 * Colour and light matching of the warped source face to the face it replaces, region by region:
 * each channel of the warped face is multiplied by the ratio of the two faces' local mean colours
 * (a Gaussian window of `sigma`, over skin only). Because both faces are in the same geometry
 * after the warp, the ratio at a point compares the same part of the face — the left cheek's
 * light with the left cheek's — so the target's skin tone, white balance and shading (light from
 * one side, a darker jaw) carry over, while the source's own detail, and its features' colour
 * relative to its skin (lips, eyes, brows), stay. A gain on 8-bit sRGB values is, within a few
 * percent, the same gain on linear light (sRGB is close to a power law), so a ratio means "more
 * or less light" as it should.
 *
 * Skin only: eyes, brows and lips sit in slightly different places in the two faces and would
 * print the target's features into the gain as dark smudges; their weight is zero. This is a
 * spatial transfer, unlike pixel/color's whole-region statistics (Reinhard-style), which would
 * give the face one colour shift and lose the target's light direction.
 */
import type { PixelSource } from '../../../vision/image-ops/pixel-source';
import { createPlane, type FloatPlane } from '../../pixel/blend/float-plane';
import { gaussianBlur, wideBlurFactor } from '../../pixel/blend/gaussian-blur';

/** Gains stay within [1/MAX_GAIN, MAX_GAIN]: beyond that a ratio is noise or an occluder. */
const MAX_GAIN = 3;
/** Smallest blurred skin weight a local gain is trusted at; below it the whole-face gain is used. */
const MIN_SUPPORT = 0.02;
/**
 * The least sigma, in cells of the gains' grid, the blur is given (2 up to twice that: box radius
 * 2 to 4, still close to a Gaussian), on as few cells as that allows: a gain is a ratio of two
 * light fields, smooth at that scale by construction. (At 2.5 the usual colour window, 8 % of a
 * face 64 cells wide, missed the factor 2 and was blurred on four times the cells.)
 */
const CELL_SIGMA = 2;
/** Fields summed per cell: the skin weight, and each face's skin-weighted R, G, B. */
const FIELDS = 7;

export interface ColourGains {
  /** R, G, B gains, on the input grid shrunk `factor` times more. */
  planes: FloatPlane[];
  /** Input grid pixels per gain cell, across and down. */
  factor: number;
}

/**
 * Per-channel gains taking `warped`'s local skin colour to `target`'s (all three inputs on one
 * grid; `sigma` in its pixels). The gains are as smooth as the blur, so they are made and
 * returned on that grid shrunk until the blur is about CELL_SIGMA cells (wideBlurFactor): seven
 * blurred fields of a thousand or so cells for a face of any size, which the compositing pass
 * brings back bilinearly.
 */
export function localColourGains(target: PixelSource, warped: PixelSource, skin: FloatPlane, sigma: number): ColourGains {
  const factor = wideBlurFactor(sigma, CELL_SIGMA);
  const { width, height } = skin;
  const cellsWide = Math.ceil(width / factor);
  const cellsHigh = Math.ceil(height / factor);
  // Block sums, seven to a cell (skin weight, then the target's and the warped source's
  // skin-weighted R, G, B), in one pass over the grid: no grid-sized weighted planes.
  const sums = new Float64Array(cellsWide * cellsHigh * FIELDS);
  const t = target.data;
  const s = warped.data;
  for (let y = 0; y < height; y++) {
    const cellRow = Math.floor(y / factor) * cellsWide;
    for (let x = 0, p = y * width; x < width; x++, p++) {
      const w = skin.data[p]!;
      if (w === 0) continue;
      const k = (cellRow + Math.floor(x / factor)) * FIELDS;
      const i = p * 3;
      sums[k] = sums[k]! + w;
      sums[k + 1] = sums[k + 1]! + w * t[i]!;
      sums[k + 2] = sums[k + 2]! + w * t[i + 1]!;
      sums[k + 3] = sums[k + 3]! + w * t[i + 2]!;
      sums[k + 4] = sums[k + 4]! + w * s[i]!;
      sums[k + 5] = sums[k + 5]! + w * s[i + 1]!;
      sums[k + 6] = sums[k + 6]! + w * s[i + 2]!;
    }
  }
  // Block means (a cell cut by the grid's edge averages what it holds, as downsamplePlane's do),
  // one plane per field, and the whole-face totals for the fallback gain.
  const means = Array.from({ length: FIELDS }, () => createPlane(cellsWide, cellsHigh));
  const totals = new Float64Array(FIELDS);
  for (let cy = 0; cy < cellsHigh; cy++) {
    const rows = Math.min(factor, height - cy * factor);
    for (let cx = 0; cx < cellsWide; cx++) {
      const cell = cy * cellsWide + cx;
      const area = rows * Math.min(factor, width - cx * factor);
      for (let f = 0; f < FIELDS; f++) {
        totals[f] = totals[f]! + sums[cell * FIELDS + f]!;
        means[f]!.data[cell] = sums[cell * FIELDS + f]! / area;
      }
    }
  }
  const [support, ...blurred] = means.map((plane) => gaussianBlur(plane, sigma / factor)) as [FloatPlane, ...FloatPlane[]];
  const planes = [0, 1, 2].map((c) => {
    const fallback = clampGain(totals[c + 1]! / totals[c + 4]!);
    const gain = createPlane(cellsWide, cellsHigh);
    for (let p = 0; p < gain.data.length; p++) {
      gain.data[p] = support.data[p]! < MIN_SUPPORT ? fallback : clampGain(blurred[c]!.data[p]! / blurred[c + 3]!.data[p]!);
    }
    return gain;
  });
  return { planes, factor };
}

function clampGain(g: number): number {
  return Number.isFinite(g) ? Math.min(MAX_GAIN, Math.max(1 / MAX_GAIN, g)) : 1;
}
