/**
 * Mean over a (2r+1)×(2r+1) window, windows clipped at the image border (divided by the pixels
 * actually inside, so borders are not darkened). Separable running sums: O(N) whatever r is,
 * which is what makes the guided filter O(N) (He et al., "Guided Image Filtering", 2013, §4).
 */
export function boxMean(src: Float32Array, width: number, height: number, radius: number, out: Float32Array = new Float32Array(src.length)): Float32Array {
  const r = Math.max(0, Math.floor(radius));
  const rows = new Float32Array(src.length);
  // Horizontal pass into `rows`.
  for (let y = 0; y < height; y++) {
    const base = y * width;
    let sum = 0;
    for (let x = 0; x <= Math.min(r, width - 1); x++) sum += src[base + x]!;
    for (let x = 0; x < width; x++) {
      const count = Math.min(x + r, width - 1) - Math.max(x - r, 0) + 1;
      rows[base + x] = sum / count;
      if (x + r + 1 < width) sum += src[base + x + r + 1]!;
      if (x - r >= 0) sum -= src[base + x - r]!;
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
    for (let x = 0; x < width; x++) out[base + x] = sums[x]! / count;
    if (y + r + 1 < height) {
      const add = (y + r + 1) * width;
      for (let x = 0; x < width; x++) sums[x]! += rows[add + x]!;
    }
    if (y - r >= 0) {
      const remove = (y - r) * width;
      for (let x = 0; x < width; x++) sums[x]! -= rows[remove + x]!;
    }
  }
  return out;
}
