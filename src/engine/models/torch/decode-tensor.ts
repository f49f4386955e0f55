/** Little-endian storage bytes of any torch dtype → float32 values in row-major order. */
import { float16ToFloat32 } from '../convert/float16';
import { elementCount, isContiguous, type TorchDType } from './tensor-types';

/** bfloat16 is the top half of a float32: widen through one shared word. */
const bfloatBits = new Uint32Array(1);
const bfloatValue = new Float32Array(bfloatBits.buffer);

/** The span's values in storage order, as float32. */
function decodeFlat(bytes: Uint8Array, dtype: TorchDType): Float32Array {
  if (dtype === 'float32') {
    // Fresh reads are aligned and can be viewed in place; a slice inside a bigger buffer may not be.
    if (bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    return new Float32Array(bytes.slice().buffer);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = bytes.byteLength / { float64: 8, float16: 2, bfloat16: 2, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1 }[dtype];
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    switch (dtype) {
      case 'float64': out[i] = view.getFloat64(8 * i, true); break;
      case 'float16': out[i] = float16ToFloat32(view.getUint16(2 * i, true)); break;
      case 'bfloat16': bfloatBits[0] = view.getUint16(2 * i, true) << 16; out[i] = bfloatValue[0]!; break;
      case 'int64': out[i] = Number(view.getBigInt64(8 * i, true)); break;
      case 'int32': out[i] = view.getInt32(4 * i, true); break;
      case 'int16': out[i] = view.getInt16(2 * i, true); break;
      case 'int8': out[i] = view.getInt8(i); break;
      case 'uint8': case 'bool': out[i] = view.getUint8(i); break;
    }
  }
  return out;
}

/**
 * `bytes` hold the storage elements from the view's lowest address (`spanMin` elements below its
 * offset) up to its highest; a non-contiguous view is gathered into row-major order.
 */
export function decodeTensor(bytes: Uint8Array, dtype: TorchDType, shape: readonly number[], stride: readonly number[], spanMin: number): Float32Array {
  const flat = decodeFlat(bytes, dtype);
  if (isContiguous(shape, stride)) return flat;
  const out = new Float32Array(elementCount(shape));
  const index = new Array<number>(shape.length).fill(0);
  let source = -spanMin;
  for (let i = 0; i < out.length; i++) {
    out[i] = flat[source]!;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      index[axis]! += 1;
      source += stride[axis]!;
      if (index[axis]! < shape[axis]!) break;
      source -= stride[axis]! * shape[axis]!;
      index[axis] = 0;
    }
  }
  return out;
}
