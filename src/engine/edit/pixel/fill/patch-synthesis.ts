/**
 * Texture for a filled hole from the photo's own patches: the expectation–maximisation scheme of
 * Wexler, Shechtman & Irani ("Space-Time Completion of Video", 2007) with PatchMatch's randomised
 * nearest-neighbour search (Barnes et al. 2009) — the method behind "content-aware fill". Each
 * hole pixel's patch is matched to the most similar patch lying wholly in the known area
 * (search), then every hole pixel becomes the average of what the matched patches covering it
 * say it should be (vote); repeated, the hole converges to a texture made of real pieces of the
 * background that agree with each other and with the hole's edge.
 *
 * This file is one pyramid level; fill-background.ts runs it coarse to fine.
 */
import { boxMean } from '../../../vision/segmentation/box-filter';
import type { FloatImage } from './push-pull-fill';

export interface PatchLevel {
  image: FloatImage;
  /** 1 where the pixel is unknown (to synthesise). */
  hole: Uint8Array;
}

/** Patch radius: 7×7 patches. */
export const PATCH_RADIUS = 3;

/** Vote weights: uniform over a whole patch; centre-weighted over 3×3 (Gaussian, σ = 1). */
const UNIFORM_WEIGHTS = new Float32Array((2 * PATCH_RADIUS + 1) ** 2).fill(1);
const SHARP_WEIGHTS = Float32Array.from({ length: 9 }, (_, k) => Math.exp(-(((k % 3) - 1) ** 2 + (Math.floor(k / 3) - 1) ** 2) / 2));

/** Centres whose whole patch lies inside the image and outside the hole: where patches may come from. */
export function validSources(level: PatchLevel): Int32Array {
  const { width, height } = level.image;
  const r = PATCH_RADIUS;
  // A centre is blocked when any hole pixel is within r: the hole dilated by a (2r+1)² square
  // (one hole pixel makes the window mean at least 1/49; below 1e-4 is rounding).
  const blocked = boxMean(Float32Array.from(level.hole), width, height, r);
  let count = 0;
  const sources = new Int32Array(width * height);
  for (let y = r; y < height - r; y++) {
    for (let x = r; x < width - r; x++) if (blocked[y * width + x]! < 1e-4) sources[count++] = y * width + x;
  }
  return sources.slice(0, count);
}

/** Sum of squared differences between the patch at target pixel t and source centre s, stopping past `limit`. */
function patchDistance(img: FloatImage, t: number, s: number, limit: number): number {
  const { width, height, data } = img;
  const r = PATCH_RADIUS;
  const tx = t % width;
  const ty = (t - tx) / width;
  const sx = s % width;
  const sy = (s - sx) / width;
  let d = 0;
  for (let v = -r; v <= r; v++) {
    const y = ty + v;
    if (y < 0 || y >= height) continue;
    for (let u = -r; u <= r; u++) {
      const x = tx + u;
      if (x < 0 || x >= width) continue;
      const a = (y * width + x) * 3;
      const b = ((sy + v) * width + sx + u) * 3;
      const d0 = data[a]! - data[b]!;
      const d1 = data[a + 1]! - data[b + 1]!;
      const d2 = data[a + 2]! - data[b + 2]!;
      d += d0 * d0 + d1 * d1 + d2 * d2;
    }
    if (d > limit) return d;
  }
  return d;
}

/** cost[t] ← the distance of each target's current match. */
export function measureMatches(level: PatchLevel, targets: Int32Array, nnf: Int32Array, cost: Float32Array): void {
  for (const t of targets) cost[t] = patchDistance(level.image, t, nnf[t]!, Infinity);
}

/**
 * Improves the nearest-neighbour field for the hole pixels in `targets` (indices) in place: a
 * propagation sweep (a neighbour's match, shifted by one, is often good here too) and a random
 * search around the current match at halving radii. `isSource[c]` says a centre may be used.
 */
export function improveMatches(level: PatchLevel, targets: Int32Array, nnf: Int32Array, cost: Float32Array, isSource: Uint8Array, sweep: number, random: () => number): void {
  const { width, height } = level.image;
  const forward = sweep % 2 === 0;
  const step = forward ? 1 : -1;
  const start = forward ? 0 : targets.length - 1;
  const tryCandidate = (t: number, c: number) => {
    if (c < 0 || c >= isSource.length || !isSource[c] || c === nnf[t]) return;
    const d = patchDistance(level.image, t, c, cost[t]!);
    if (d < cost[t]!) {
      cost[t] = d;
      nnf[t] = c;
    }
  };
  for (let k = start; k >= 0 && k < targets.length; k += step) {
    const t = targets[k]!;
    const x = t % width;
    // Propagation: the match of the neighbour already visited in this sweep's direction, moved along.
    if (forward) {
      if (x > 0 && level.hole[t - 1]) tryCandidate(t, nnf[t - 1]! + 1);
      if (t >= width && level.hole[t - width]) tryCandidate(t, nnf[t - width]! + width);
    } else {
      if (x < width - 1 && level.hole[t + 1]) tryCandidate(t, nnf[t + 1]! - 1);
      if (t + width < width * height && level.hole[t + width]) tryCandidate(t, nnf[t + width]! - width);
    }
    // Random search around the current best, radius halving from the image size.
    const best = nnf[t]!;
    const bx = best % width;
    const by = (best - bx) / width;
    for (let radius = Math.max(width, height); radius >= 1; radius = Math.floor(radius / 2)) {
      const cx = Math.round(bx + (2 * random() - 1) * radius);
      const cy = Math.round(by + (2 * random() - 1) * radius);
      if (cx >= 0 && cy >= 0 && cx < width && cy < height) tryCandidate(t, cy * width + cx);
    }
  }
}

/**
 * Each hole pixel ← the mean of what the matched patches overlapping it hold there. With `sharp`,
 * only the 3×3 nearest patches vote, centre-weighted (Gaussian, σ = 1 pixel), so where
 * neighbouring matches disagree the pixel follows its own match instead of averaging them into a
 * blur (and the vote costs a fifth).
 */
export function voteHole(level: PatchLevel, nnf: Int32Array, sharp = false): void {
  const { width, height, data } = level.image;
  const r = sharp ? 1 : PATCH_RADIUS;
  const falloff = sharp ? SHARP_WEIGHTS : UNIFORM_WEIGHTS;
  const side = 2 * r + 1;
  const values = new Float32Array(width * height * 3);
  for (let p = 0; p < level.hole.length; p++) {
    if (!level.hole[p]) continue;
    const px = p % width;
    const py = (p - px) / width;
    let w = 0;
    let r0 = 0;
    let g0 = 0;
    let b0 = 0;
    // Gather: each hole neighbour q votes with its match's pixel at p's offset from q.
    for (let v = -r; v <= r; v++) {
      const qy = py - v;
      if (qy < 0 || qy >= height) continue;
      for (let u = -r; u <= r; u++) {
        const qx = px - u;
        if (qx < 0 || qx >= width) continue;
        const q = qy * width + qx;
        if (!level.hole[q]) continue;
        const b = (nnf[q]! + v * width + u) * 3;
        const k = falloff[(v + r) * side + u + r]!;
        r0 += k * data[b]!;
        g0 += k * data[b + 1]!;
        b0 += k * data[b + 2]!;
        w += k;
      }
    }
    values[p * 3] = r0 / w;
    values[p * 3 + 1] = g0 / w;
    values[p * 3 + 2] = b0 / w;
  }
  for (let p = 0; p < level.hole.length; p++) {
    if (!level.hole[p]) continue;
    data[p * 3] = values[p * 3]!;
    data[p * 3 + 1] = values[p * 3 + 1]!;
    data[p * 3 + 2] = values[p * 3 + 2]!;
  }
}

/** The hole's pixel indices in scan order. */
export function holeIndices(hole: Uint8Array): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < hole.length; i++) if (hole[i]) out.push(i);
  return Int32Array.from(out);
}
