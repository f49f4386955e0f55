/**
 * A minimal protobuf wire-format writer, enough to serialise ONNX models.
 *
 * Why hand-written rather than protobufjs reflection: we only ever *write* a dozen ONNX message
 * types, and the one awkward part (int64 dims and ints, including negatives such as -1 and
 * INT64_MAX) is clearer as explicit BigInt varints than through protobufjs' Long handling. Large
 * raw tensors are appended as chunks (no re-copying per nesting level) and joined once at the end.
 * Field numbers live in one table in `onnx-proto.ts`.
 */
const WIRE_VARINT = 0;
const WIRE_FIXED32 = 5;
const WIRE_LENGTH_DELIMITED = 2;

export class ProtoWriter {
  readonly #chunks: Uint8Array[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }

  #push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.byteLength;
  }

  #varint(value: bigint): void {
    let v = BigInt.asUintN(64, value);
    const bytes: number[] = [];
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      bytes.push(byte);
    } while (v !== 0n);
    this.#push(Uint8Array.from(bytes));
  }

  #tag(field: number, wire: number): void {
    this.#varint(BigInt((field << 3) | wire));
  }

  /** int32/int64/enum/bool fields; negatives are written as 10-byte two's complement, as protobuf does. */
  int(field: number, value: number | bigint): void {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`protobuf int field ${field}: ${value} is not a safe integer`);
    this.#tag(field, WIRE_VARINT);
    this.#varint(BigInt(value));
  }

  float(field: number, value: number): void {
    this.#tag(field, WIRE_FIXED32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.#push(bytes);
  }

  bytes(field: number, value: Uint8Array): void {
    this.#tag(field, WIRE_LENGTH_DELIMITED);
    this.#varint(BigInt(value.byteLength));
    this.#push(value);
  }

  string(field: number, value: string): void {
    this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, sub: ProtoWriter): void {
    this.#tag(field, WIRE_LENGTH_DELIMITED);
    this.#varint(BigInt(sub.length));
    for (const chunk of sub.#chunks) this.#push(chunk);
  }

  /**
   * Repeated int64/int32: onnx.proto is proto2 without [packed=true], so each value gets its own tag,
   * which is exactly what protobuf's own proto2 serialiser writes.
   */
  repeatedInts(field: number, values: ReadonlyArray<number | bigint>): void {
    for (const v of values) this.int(field, v);
  }

  repeatedFloats(field: number, values: ReadonlyArray<number>): void {
    for (const v of values) this.float(field, v);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let at = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, at);
      at += chunk.byteLength;
    }
    return out;
  }
}
