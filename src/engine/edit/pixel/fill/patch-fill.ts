/**
 * Patch-based hole filling, coarse to fine. A pyramid is built with the hole marked at every
 * level (a coarse pixel is unknown when any pixel under it is, so nothing of what the hole held
 * leaks down); the coarsest level starts from random background patches and is refined by patch
 * search and voting (patch-synthesis.ts).
 * Each finer level inherits the coarser matches (a match at (x, y) becomes one at (2x, 2y) plus
 * the sub-pixel offset) and refines them. Above `maxSearchSide` the matches are only inherited
 * and voted, not searched again: the structure is settled by then, and the search's cost grows
 * with the hole's area while the vote's stays a few reads per pixel.
 */
import { matchHoleEdge } from './edge-match';
import { pushPullFill, type FloatImage } from './push-pull-fill';
import { seededUniform } from './seeded-random';
import { holeIndices, improveMatches, measureMatches, validSources, voteHole, type PatchLevel } from './patch-synthesis';

export interface PatchFillOptions {
  /** Seed of the randomised search (default 1): the same input gives the same fill. */
  seed?: number;
  /** Levels whose long side is at most this are searched; larger ones only inherit matches (default 400). */
  maxSearchSide?: number;
}

/** The coarsest level's long side. */
const COARSEST_SIDE = 64;
/** Search-and-vote rounds at the coarsest level and at each finer searched level. */
const COARSE_ROUNDS = 8;
const FINE_ROUNDS = 3;

/** `image` with the pixels where `hole` is 1 synthesised from the rest; known pixels keep their values. */
export function patchFill(image: FloatImage, hole: Uint8Array, options: PatchFillOptions = {}): FloatImage {
  const random = seededUniform(options.seed ?? 1);
  const maxSearchSide = options.maxSearchSide ?? 400;
  const levels: PatchLevel[] = [{ image: { ...image, data: image.data.slice() }, hole }];
  while (Math.max(levels[levels.length - 1]!.image.width, levels[levels.length - 1]!.image.height) > COARSEST_SIDE) {
    levels.push(downsampleLevel(levels[levels.length - 1]!));
  }
  let nnf: Int32Array | null = null;
  for (let l = levels.length - 1; l >= 0; l--) {
    const level = levels[l]!;
    const { width, height } = level.image;
    const targets = holeIndices(level.hole);
    const next = new Int32Array(width * height);
    if (nnf && Math.max(width, height) > maxSearchSide) {
      // Not searched again. Inherited matches are valid by construction (a coarse patch clear of
      // the coarse hole covers a fine patch clear of the fine hole), so none is checked; votes are
      // centre-weighted to keep the texture crisp.
      inheritMatches(nnf, levels[l + 1]!.image.width, next, targets, width);
      voteHole(level, next, true);
      nnf = next;
      continue;
    }
    const sources = validSources(level);
    if (sources.length === 0) {
      // The hole leaves no whole patch to copy: the membrane alone (hole values are ignored by it).
      return pushPullFill(levels[0]!.image, Float32Array.from(hole, (h) => 1 - h));
    }
    const isSource = new Uint8Array(width * height);
    for (const s of sources) isSource[s] = 1;
    const pick = () => sources[Math.floor(random() * sources.length)]!;
    if (!nnf) {
      // Random matches, voted: the hole starts as a mix of the photo's own background patches. (A
      // membrane start looks right at a glance but makes the search copy whatever object has the
      // membrane's blended colour — a brown fuel tank for a red-and-black blend.)
      for (const t of targets) next[t] = pick();
    } else {
      inheritMatches(nnf, levels[l + 1]!.image.width, next, targets, width);
      // At the image's edge a doubled coordinate can fall outside the valid centres.
      for (const t of targets) if (!isSource[next[t]!]) next[t] = pick();
    }
    voteHole(level, next);
    nnf = next;
    const cost = new Float32Array(width * height);
    for (let round = 0; round < (levels[l + 1] ? FINE_ROUNDS : COARSE_ROUNDS); round++) {
      // Re-measured each round: the vote changed the hole the matches were measured against.
      measureMatches(level, targets, nnf, cost);
      improveMatches(level, targets, nnf, cost, isSource, round, random);
      voteHole(level, nnf);
    }
  }
  // Synthesised texture comes from wherever it matched best, often a lighter or darker part of
  // the background: the hole's edge is matched to its surroundings so its outline does not show.
  matchHoleEdge(levels[0]!.image, hole);
  return levels[0]!.image;
}

/** Each target's match from its parent's at the coarser level: (2x, 2y) plus the sub-pixel offset. */
function inheritMatches(coarse: Int32Array, coarseWidth: number, next: Int32Array, targets: Int32Array, width: number): void {
  for (const t of targets) {
    const x = t % width;
    const y = (t - x) / width;
    const s = coarse[(y >> 1) * coarseWidth + (x >> 1)]!;
    const sx = s % coarseWidth;
    next[t] = (2 * ((s - sx) / coarseWidth) + (y & 1)) * width + 2 * sx + (x & 1);
  }
}

/** Half size: known pixels averaged over the known pixels of each 2×2 block; unknown if any is. */
function downsampleLevel(level: PatchLevel): PatchLevel {
  const { width, height, data } = level.image;
  const w = Math.ceil(width / 2);
  const h = Math.ceil(height / 2);
  const out = new Float32Array(w * h * 3);
  const hole = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let n = 0;
      const o = (y * w + x) * 3;
      for (let v = 2 * y; v < Math.min(height, 2 * y + 2); v++) {
        for (let u = 2 * x; u < Math.min(width, 2 * x + 2); u++) {
          const i = v * width + u;
          if (level.hole[i]) hole[y * w + x] = 1;
          else {
            out[o]! += data[i * 3]!;
            out[o + 1]! += data[i * 3 + 1]!;
            out[o + 2]! += data[i * 3 + 2]!;
            n++;
          }
        }
      }
      if (n > 0) for (let c = 0; c < 3; c++) out[o + c] = out[o + c]! / n;
    }
  }
  return { image: { width: w, height: h, channels: 3, data: out }, hole };
}
