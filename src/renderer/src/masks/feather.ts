/**
 * Feathering: a Gaussian blur of the mask, approximated by three box blurs (each a running sum,
 * so the cost does not depend on the radius). The radius is Photoshop's "feather radius": about
 * two standard deviations.
 */

/** Box widths whose three passes approximate a Gaussian of `sigma` (Kovesi's "boxes for Gauss"). */
export function boxesForGauss(sigma: number, passes = 3): number[] {
  const ideal = Math.sqrt((12 * sigma * sigma) / passes + 1);
  let lower = Math.floor(ideal);
  if (lower % 2 === 0) lower--;
  const upper = lower + 2;
  const m = Math.round((12 * sigma * sigma - passes * lower * lower - 4 * passes * lower - 3 * passes) / (-4 * lower - 4));
  return Array.from({ length: passes }, (_, i) => (i < m ? lower : upper));
}

/** Blurs one byte per pixel of a width × height region; edges repeat the border pixel. */
export function featherMask(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  if (radius <= 0) return mask.slice();
  const sigma = radius / 2;
  const a = Float32Array.from(mask);
  const b = new Float32Array(mask.length);
  for (const box of boxesForGauss(sigma)) {
    const half = (box - 1) / 2;
    boxBlurRows(a, b, width, height, half);
    boxBlurColumns(b, a, width, height, half);
  }
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(Math.min(255, Math.max(0, a[i]!)));
  return out;
}

function boxBlurRows(src: Float32Array, dst: Float32Array, width: number, height: number, half: number): void {
  const scale = 1 / (2 * half + 1);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const first = src[row]!;
    const last = src[row + width - 1]!;
    let sum = (half + 1) * first;
    for (let i = 1; i <= half; i++) sum += src[row + Math.min(i, width - 1)]!;
    for (let x = 0; x < width; x++) {
      dst[row + x] = sum * scale;
      const incoming = x + half + 1 < width ? src[row + x + half + 1]! : last;
      const outgoing = x - half >= 0 ? src[row + x - half]! : first;
      sum += incoming - outgoing;
    }
  }
}

function boxBlurColumns(src: Float32Array, dst: Float32Array, width: number, height: number, half: number): void {
  const scale = 1 / (2 * half + 1);
  for (let x = 0; x < width; x++) {
    const first = src[x]!;
    const last = src[(height - 1) * width + x]!;
    let sum = (half + 1) * first;
    for (let i = 1; i <= half; i++) sum += src[Math.min(i, height - 1) * width + x]!;
    for (let y = 0; y < height; y++) {
      dst[y * width + x] = sum * scale;
      const incoming = y + half + 1 < height ? src[(y + half + 1) * width + x]! : last;
      const outgoing = y - half >= 0 ? src[(y - half) * width + x]! : first;
      sum += incoming - outgoing;
    }
  }
}
