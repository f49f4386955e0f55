/**
 * Fills a hole from what surrounds it with the push-pull pyramid (Gortler et al., "The
 * Lumigraph", 1996, §3.4; the same scheme Photoshop-style "content-aware" tools use for their
 * first guess): the known pixels are averaged down a pyramid — each coarser pixel the weighted
 * mean of the known pixels under it, with the share of them that was known — until nothing is
 * unknown, then each level is pulled back up, keeping its own value where it was known and taking
 * the coarser level's (bilinearly upsampled) where it was not. The result is a smooth membrane
 * that meets the surroundings without a seam and carries their colours inward at every scale:
 * not a hole, not a flat patch, and nothing of what was inside the hole.
 *
 * Kernels are [1 3 3 1]/8 down and bilinear up, so the membrane has no block edges.
 */

/** Interleaved float pixels with `channels` values each. */
export interface FloatImage {
  width: number;
  height: number;
  channels: number;
  data: Float32Array;
}

/**
 * `known[i]` in [0, 1] says how much pixel i can be trusted (0 = inside the hole). Returns a new
 * image: known pixels (weight 1) keep their values exactly, the others get the pyramid's values.
 */
export function pushPullFill(image: FloatImage, known: Float32Array): FloatImage {
  const levels: Array<{ image: FloatImage; weight: Float32Array }> = [{ image, weight: known }];
  for (;;) {
    const top = levels[levels.length - 1]!;
    if (top.image.width === 1 && top.image.height === 1) break;
    if (top.weight.every((w) => w > 0)) break;
    levels.push(pushDown(top.image, top.weight));
  }
  let filled = levels[levels.length - 1]!.image;
  for (let l = levels.length - 2; l >= 0; l--) {
    const { image: level, weight } = levels[l]!;
    const coarse = upsample(filled, level.width, level.height);
    const c = level.channels;
    for (let i = 0; i < weight.length; i++) {
      // A pixel known only in part (an average over known and unknown ones at this scale) counts
      // twice its share, so the membrane keeps the colours near the hole's edge rather than
      // blurring them with the coarse level.
      const w = Math.min(1, 2 * weight[i]!);
      if (w >= 1) {
        for (let k = 0; k < c; k++) coarse.data[i * c + k] = level.data[i * c + k]!;
      } else if (w > 0) {
        for (let k = 0; k < c; k++) coarse.data[i * c + k] = w * level.data[i * c + k]! + (1 - w) * coarse.data[i * c + k]!;
      }
    }
    filled = coarse;
  }
  return filled;
}

/** One level down: [1 3 3 1]/8 per axis, weighted by `weight`; returns values and the known share. */
function pushDown(image: FloatImage, weight: Float32Array): { image: FloatImage; weight: Float32Array } {
  const { width, height, channels: c } = image;
  const w2 = Math.ceil(width / 2);
  const h2 = Math.ceil(height / 2);
  // Premultiplied values and weights, horizontally reduced first (separable).
  const rowValues = new Float32Array(w2 * height * c);
  const rowWeights = new Float32Array(w2 * height);
  const rowTaps = new Float32Array(w2 * height);
  for (let y = 0; y < height; y++) {
    for (let X = 0; X < w2; X++) {
      const o = y * w2 + X;
      for (let t = 0; t < 4; t++) {
        const x = 2 * X - 1 + t;
        if (x < 0 || x >= width) continue;
        const k = TAPS[t]!;
        const i = y * width + x;
        const kw = k * weight[i]!;
        rowTaps[o]! += k;
        rowWeights[o]! += kw;
        for (let ch = 0; ch < c; ch++) rowValues[o * c + ch]! += kw * image.data[i * c + ch]!;
      }
    }
  }
  const data = new Float32Array(w2 * h2 * c);
  const share = new Float32Array(w2 * h2);
  for (let Y = 0; Y < h2; Y++) {
    for (let X = 0; X < w2; X++) {
      const o = Y * w2 + X;
      let taps = 0;
      let sum = 0;
      for (let t = 0; t < 4; t++) {
        const y = 2 * Y - 1 + t;
        if (y < 0 || y >= height) continue;
        const k = TAPS[t]!;
        const i = y * w2 + X;
        taps += k * rowTaps[i]!;
        sum += k * rowWeights[i]!;
        for (let ch = 0; ch < c; ch++) data[o * c + ch]! += k * rowValues[i * c + ch]!;
      }
      share[o] = taps > 0 ? sum / taps : 0;
      if (sum > 1e-12) for (let ch = 0; ch < c; ch++) data[o * c + ch] = data[o * c + ch]! / sum;
    }
  }
  return { image: { width: w2, height: h2, channels: c, data }, weight: share };
}

const TAPS = [1, 3, 3, 1];

/** Bilinear upsampling onto width × height (pixel centres aligned, edges replicated). */
function upsample(small: FloatImage, width: number, height: number): FloatImage {
  const { width: sw, height: sh, channels: c } = small;
  const out = new Float32Array(width * height * c);
  // A coarse pixel's centre is the centre of the 2×2 block it was reduced from (the [1 3 3 1]
  // taps are symmetric about it), also for the last, partial block of an odd size.
  const fx = width === sw ? 1 : 0.5;
  const fy = height === sh ? 1 : 0.5;
  for (let y = 0; y < height; y++) {
    const py = Math.min(sh - 1, Math.max(0, (y + 0.5) * fy - 0.5));
    const y0 = Math.floor(py);
    const y1 = Math.min(sh - 1, y0 + 1);
    const ty = py - y0;
    for (let x = 0; x < width; x++) {
      const px = Math.min(sw - 1, Math.max(0, (x + 0.5) * fx - 0.5));
      const x0 = Math.floor(px);
      const x1 = Math.min(sw - 1, x0 + 1);
      const tx = px - x0;
      const o = (y * width + x) * c;
      for (let ch = 0; ch < c; ch++) {
        const top = small.data[(y0 * sw + x0) * c + ch]! * (1 - tx) + small.data[(y0 * sw + x1) * c + ch]! * tx;
        const bottom = small.data[(y1 * sw + x0) * c + ch]! * (1 - tx) + small.data[(y1 * sw + x1) * c + ch]! * tx;
        out[o + ch] = top + (bottom - top) * ty;
      }
    }
  }
  return { width, height, channels: c, data: out };
}
