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
import { gaussianBlur } from '../../pixel/blend/gaussian-blur';

/** Gains stay within [1/MAX_GAIN, MAX_GAIN]: beyond that a ratio is noise or an occluder. */
const MAX_GAIN = 3;
/** Smallest blurred skin weight a local gain is trusted at; below it the whole-face gain is used. */
const MIN_SUPPORT = 0.02;

/**
 * Per-channel gains (R, G, B planes on the same grid as the inputs) taking `warped`'s local skin
 * colour to `target`'s. `sigma` is in grid pixels.
 */
export function localColourGains(target: PixelSource, warped: PixelSource, skin: FloatPlane, sigma: number): FloatPlane[] {
  const { width, height } = skin;
  const weighted = Array.from({ length: 6 }, () => createPlane(width, height));
  const totals = new Float64Array(6);
  for (let p = 0; p < width * height; p++) {
    const w = skin.data[p]!;
    if (w === 0) continue;
    for (let c = 0; c < 3; c++) {
      const t = w * target.data[p * 3 + c]!;
      const s = w * warped.data[p * 3 + c]!;
      weighted[c]!.data[p] = t;
      weighted[c + 3]!.data[p] = s;
      totals[c]! += t;
      totals[c + 3]! += s;
    }
  }
  const support = gaussianBlur(skin, sigma);
  const blurred = weighted.map((plane) => gaussianBlur(plane, sigma));
  return [0, 1, 2].map((c) => {
    const fallback = clampGain(totals[c]! / totals[c + 3]!);
    const gain = createPlane(width, height);
    for (let p = 0; p < gain.data.length; p++) {
      gain.data[p] = support.data[p]! < MIN_SUPPORT ? fallback : clampGain(blurred[c]!.data[p]! / blurred[c + 3]!.data[p]!);
    }
    return gain;
  });
}

function clampGain(g: number): number {
  return Number.isFinite(g) ? Math.min(MAX_GAIN, Math.max(1 / MAX_GAIN, g)) : 1;
}
