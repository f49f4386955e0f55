/**
 * Mean over a (2r+1)×(2r+1) window, windows clipped at the image border (divided by the pixels
 * actually inside, so borders are not darkened). Separable running sums: O(N) whatever r is,
 * which is what makes the guided filter O(N) (He et al., "Guided Image Filtering", 2013, §4).
 */
export function boxMean(src: Float32Array, width: number, height: number, radius: number, out: Float32Array = new Float32Array(src.length)): Float32Array {
  const r = Math.max(0, Math.floor(radius));
  const rows = new Float32Array(src.length);
  // Horizontal pass into `rows`. The windows clipped at either end and the full ones between are
  // separate loops, so the middle (most of a row) runs without clipping arithmetic; every value
  // is the same sum over the same count as a single clipped loop would give, bit for bit.
  const full = 2 * r + 1;
  const leftEnd = Math.min(r, width);
  const rightStart = Math.max(leftEnd, width - r - 1);
  for (let y = 0; y < height; y++) {
    const base = y * width;
    let sum = 0;
    for (let x = 0; x <= Math.min(r, width - 1); x++) sum += src[base + x]!;
    let x = 0;
    for (; x < leftEnd; x++) {
      rows[base + x] = sum / (Math.min(x + r, width - 1) + 1);
      if (x + r + 1 < width) sum += src[base + x + r + 1]!;
    }
    for (; x < rightStart; x++) {
      rows[base + x] = sum / full;
      sum += src[base + x + r + 1]!;
      sum -= src[base + x - r]!;
    }
    for (; x < width; x++) {
      rows[base + x] = sum / (width - x + r);
      sum -= src[base + x - r]!;
    }
  }
  // Vertical pass, row by row with a running sum per column (cache-friendly).
  const sums = new Float64Array(width);
  for (let y = 0; y <= Math.min(r, height - 1); y++) {
    const base = y * width;
    for (let x = 0; x < width; x++) sums[x]! += rows[base + x]!;
  }
  for (let y = 0; y < height; y++) {
    const count = Math.min(y + r, height - 1) - Math.max(y - r, 0) + 1;
    const base = y * width;
    const add = y + r + 1 < height ? (y + r + 1) * width : -1;
    const remove = y - r >= 0 ? (y - r) * width : -1;
    if (add >= 0 && remove >= 0) {
      // One walk over the sums instead of three (read, add, remove): same operations, same order.
      for (let x = 0; x < width; x++) {
        const sum = sums[x]!;
        out[base + x] = sum / count;
        sums[x] = sum + rows[add + x]! - rows[remove + x]!;
      }
      continue;
    }
    for (let x = 0; x < width; x++) out[base + x] = sums[x]! / count;
    if (add >= 0) for (let x = 0; x < width; x++) sums[x]! += rows[add + x]!;
    if (remove >= 0) for (let x = 0; x < width; x++) sums[x]! -= rows[remove + x]!;
  }
  return out;
}
