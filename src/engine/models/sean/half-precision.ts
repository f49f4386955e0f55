/** float32 → IEEE 754 half bits, rounding to nearest even (as numpy's and torch's .half() do). */
const word = new Float32Array(1);
const bits = new Uint32Array(word.buffer);

export function float32ToFloat16Bits(value: number): number {
  word[0] = value;
  const x = bits[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0); // inf / NaN
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00; // overflow → inf
  if (halfExponent <= 0) {
    if (halfExponent < -10) return sign; // underflows to ±0
    // Subnormal half: shift the full significand (with its implicit 1) into place, then round.
    const significand = mantissa | 0x800000;
    const shift = 14 - halfExponent;
    const half = significand >>> shift;
    const remainder = significand & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    const roundUp = remainder > midpoint || (remainder === midpoint && (half & 1) === 1);
    return sign | (half + (roundUp ? 1 : 0));
  }
  const half = (halfExponent << 10) | (mantissa >>> 13);
  const remainder = mantissa & 0x1fff;
  const roundUp = remainder > 0x1000 || (remainder === 0x1000 && (half & 1) === 1);
  // A carry out of the mantissa correctly bumps the exponent (and reaches inf at the top).
  return sign | (half + (roundUp ? 1 : 0));
}

/** Little-endian float16 bytes of `values`. */
export function encodeFloat16(values: Float32Array): Uint8Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = float32ToFloat16Bits(values[i]!);
  return new Uint8Array(out.buffer);
}
