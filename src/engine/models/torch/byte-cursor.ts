/** Bounds-checked little-endian reads over a byte array; running past the end throws PickleTruncatedError. */
import { PickleFormatError, PickleTruncatedError } from './pickle-values';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

export class ByteCursor {
  readonly #view: DataView;
  position: number;

  constructor(
    readonly data: Uint8Array,
    start = 0,
  ) {
    this.#view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.position = start;
  }

  #need(n: number): number {
    const at = this.position;
    if (n < 0 || at + n > this.data.byteLength) throw new PickleTruncatedError(`needed ${n} bytes at ${at}, have ${this.data.byteLength - at}`);
    this.position = at + n;
    return at;
  }

  u8(): number {
    return this.data[this.#need(1)]!;
  }

  u16(): number {
    return this.#view.getUint16(this.#need(2), true);
  }

  u32(): number {
    return this.#view.getUint32(this.#need(4), true);
  }

  i32(): number {
    return this.#view.getInt32(this.#need(4), true);
  }

  /** An unsigned 64-bit length; refuses sizes no file here can have. */
  u64(): number {
    const value = this.#view.getBigUint64(this.#need(8), true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new PickleFormatError(`a length of ${value} bytes`);
    return Number(value);
  }

  /** Big-endian IEEE double (pickle's BINFLOAT). */
  f64be(): number {
    return this.#view.getFloat64(this.#need(8), false);
  }

  bytes(n: number): Uint8Array {
    const at = this.#need(n);
    return this.data.subarray(at, at + n);
  }

  utf8(n: number): string {
    return utf8.decode(this.bytes(n));
  }

  latin1(n: number): string {
    return latin1.decode(this.bytes(n));
  }

  /** A text line up to '\n' (protocol-0 style arguments of GLOBAL, PERSID, INT), without the newline. */
  line(): string {
    const end = this.data.indexOf(0x0a, this.position);
    if (end < 0) throw new PickleTruncatedError('a text argument without its newline');
    const text = latin1.decode(this.data.subarray(this.position, end));
    this.position = end + 1;
    return text;
  }
}

/** Two's-complement little-endian integer of any width (pickle's LONG1/LONG4), as a number when it is safe. */
export function decodeLong(bytes: Uint8Array): number | bigint {
  if (bytes.byteLength === 0) return 0;
  let value = 0n;
  for (let i = bytes.byteLength - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  if (bytes[bytes.byteLength - 1]! & 0x80) value -= 1n << BigInt(8 * bytes.byteLength);
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}
