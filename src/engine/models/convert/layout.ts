/**
 * NHWC (TFLite) ↔ NCHW (ONNX Conv/Pool/Resize) bookkeeping. The converted graph works in NCHW and
 * transposes only at the graph boundaries and around layout-sensitive ops (Reshape, some slices).
 */

/** Transpose perm taking an NHWC tensor to NCHW. */
export const NHWC_TO_NCHW = [0, 3, 1, 2];
/** Transpose perm taking an NCHW tensor to NHWC. */
export const NCHW_TO_NHWC = [0, 2, 3, 1];

/** Where NHWC axis `a` (0..3) lives in NCHW: N→0, H→2, W→3, C→1. */
export function nhwcAxisToNchw(axis: number): number {
  const map = [0, 2, 3, 1];
  const mapped = map[axis];
  if (mapped === undefined) throw new RangeError(`NHWC axis ${axis} out of range`);
  return mapped;
}

/** Normalises a possibly negative axis for a tensor of `rank`. */
export function normaliseAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new RangeError(`axis ${axis} out of range for rank ${rank}`);
  return a;
}

export function permuteShape(shape: readonly number[], perm: readonly number[]): number[] {
  return perm.map((p) => shape[p]!);
}

/** Transposes dense row-major data: out[i_perm] = in[i], output dim k = input dim perm[k]. */
export function transposeData<T extends Float32Array | Int32Array>(data: T, shape: readonly number[], perm: readonly number[]): T {
  const rank = shape.length;
  if (perm.length !== rank) throw new RangeError(`perm [${perm}] does not fit shape [${shape}]`);
  const outShape = permuteShape(shape, perm);
  const inStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1]! * shape[i + 1]!;
  // Stride in the input for each output axis.
  const strideForOut = perm.map((p) => inStrides[p]!);
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let k = 0; k < rank; k++) src += index[k]! * strideForOut[k]!;
    out[o] = data[src]!;
    for (let k = rank - 1; k >= 0; k--) {
      index[k]!++;
      if (index[k]! < outShape[k]!) break;
      index[k] = 0;
    }
  }
  return out;
}
