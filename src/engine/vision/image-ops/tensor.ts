/**
 * Conversions between model tensors and 8-bit images, for tests, previews and debug dumps of
 * what a model was actually fed.
 */
import type { ValueRange } from './pixel-source';

/** An NHWC RGB float tensor scaled to `range` back to 8-bit RGB (values clamped). */
export function tensorToRgb(data: Float32Array, width: number, height: number, range: ValueRange): { width: number; height: number; channels: 3; data: Uint8Array } {
  if (data.length !== width * height * 3) throw new RangeError(`tensor holds ${data.length} values, expected ${width}×${height}×3`);
  const [lo, hi] = range;
  const scale = 255 / (hi - lo);
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = Math.round((data[i]! - lo) * scale);
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return { width, height, channels: 3, data: out };
}
