/**
 * A small, bounds-checked FlatBuffers table reader.
 *
 * Why hand-written rather than the `flatbuffers` npm runtime: that runtime has no verifier in
 * JavaScript, so a truncated or hostile model file reads garbage (or past the end) silently. We
 * need only tables, vectors, strings, scalars and unions from the TFLite schema, and every read
 * here checks its bounds and throws a MODEL_INVALID error that names the file's problem.
 *
 * Format reminder: a table starts with an int32 soffset to its vtable (vtable = table - soffset);
 * the vtable is [uint16 vtableBytes, uint16 tableBytes, uint16 fieldOffset × n]; a field whose slot
 * is missing or 0 is absent and takes the schema default. References (tables, vectors, strings) are
 * uint32 offsets relative to where the offset itself is stored. Scalars have their schema width:
 * enums declared `: byte`/`: ubyte` are ONE byte, not int32.
 */
import { SeamError } from '../../../shared/errors';

export class FlatBufferData {
  readonly bytes: Uint8Array;
  readonly view: DataView;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  check(position: number, size: number, what: string): void {
    if (!Number.isInteger(position) || position < 0 || position + size > this.bytes.byteLength) {
      throw new SeamError('MODEL_INVALID', `Corrupt model file: ${what} at byte ${position} (+${size}) is outside the ${this.bytes.byteLength}-byte file.`);
    }
  }

  u8(p: number): number { this.check(p, 1, 'uint8'); return this.view.getUint8(p); }
  i8(p: number): number { this.check(p, 1, 'int8'); return this.view.getInt8(p); }
  u16(p: number): number { this.check(p, 2, 'uint16'); return this.view.getUint16(p, true); }
  i32(p: number): number { this.check(p, 4, 'int32'); return this.view.getInt32(p, true); }
  u32(p: number): number { this.check(p, 4, 'uint32'); return this.view.getUint32(p, true); }
  f32(p: number): number { this.check(p, 4, 'float32'); return this.view.getFloat32(p, true); }
  u64(p: number): number {
    this.check(p, 8, 'uint64');
    const value = this.view.getBigUint64(p, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new SeamError('MODEL_INVALID', `Corrupt model file: 64-bit value ${value} at byte ${p} is too large.`);
    return Number(value);
  }

  /** Follows a uint32 offset stored at `p` (relative to `p`). */
  deref(p: number): number {
    const target = p + this.u32(p);
    this.check(target, 0, 'reference target');
    return target;
  }

  rootTable(): FlatTable {
    return new FlatTable(this, this.deref(0), 'root');
  }
}

export class FlatTable {
  readonly #data: FlatBufferData;
  readonly #position: number;
  readonly #vtable: number;
  readonly #vtableBytes: number;
  /** A name for error messages, e.g. 'Operator' or 'Conv2DOptions'. */
  readonly typeName: string;

  constructor(data: FlatBufferData, position: number, typeName: string) {
    this.#data = data;
    this.#position = position;
    this.typeName = typeName;
    this.#vtable = position - data.i32(position);
    this.#vtableBytes = data.u16(this.#vtable);
    if (this.#vtableBytes < 4 || this.#vtableBytes % 2 !== 0) {
      throw new SeamError('MODEL_INVALID', `Corrupt model file: ${typeName} table at byte ${position} has a bad vtable size ${this.#vtableBytes}.`);
    }
    data.check(this.#vtable, this.#vtableBytes, `${typeName} vtable`);
  }

  /** Number of field slots the vtable declares (fields beyond are absent). */
  get slotCount(): number {
    return (this.#vtableBytes - 4) / 2;
  }

  /** Absolute position of field `id`, or 0 when the field is absent. */
  fieldPosition(id: number): number {
    const slot = 4 + 2 * id;
    if (slot >= this.#vtableBytes) return 0;
    const offset = this.#data.u16(this.#vtable + slot);
    return offset === 0 ? 0 : this.#position + offset;
  }

  has(id: number): boolean {
    return this.fieldPosition(id) !== 0;
  }

  /** Ids of the fields present in this table; used to refuse options we do not understand. */
  presentFieldIds(): number[] {
    const ids: number[] = [];
    for (let id = 0; id < this.slotCount; id++) if (this.has(id)) ids.push(id);
    return ids;
  }

  u8(id: number, fallback: number): number { const p = this.fieldPosition(id); return p ? this.#data.u8(p) : fallback; }
  i8(id: number, fallback: number): number { const p = this.fieldPosition(id); return p ? this.#data.i8(p) : fallback; }
  bool(id: number, fallback: boolean): boolean { const p = this.fieldPosition(id); return p ? this.#data.u8(p) !== 0 : fallback; }
  i32(id: number, fallback: number): number { const p = this.fieldPosition(id); return p ? this.#data.i32(p) : fallback; }
  u32(id: number, fallback: number): number { const p = this.fieldPosition(id); return p ? this.#data.u32(p) : fallback; }
  f32(id: number, fallback: number): number { const p = this.fieldPosition(id); return p ? this.#data.f32(p) : fallback; }
  u64(id: number, fallback: number): number { const p = this.fieldPosition(id); return p ? this.#data.u64(p) : fallback; }

  string(id: number): string | undefined {
    const p = this.fieldPosition(id);
    if (!p) return undefined;
    const start = this.#data.deref(p);
    const length = this.#data.u32(start);
    this.#data.check(start + 4, length, `${this.typeName} string`);
    return new TextDecoder('utf-8', { fatal: false }).decode(this.#data.bytes.subarray(start + 4, start + 4 + length));
  }

  table(id: number, typeName: string): FlatTable | undefined {
    const p = this.fieldPosition(id);
    return p ? new FlatTable(this.#data, this.#data.deref(p), typeName) : undefined;
  }

  /** Start and length of a vector field, after bounds checks for `elementSize`-byte elements. */
  #vector(id: number, elementSize: number): { start: number; length: number } | undefined {
    const p = this.fieldPosition(id);
    if (!p) return undefined;
    const at = this.#data.deref(p);
    const length = this.#data.u32(at);
    this.#data.check(at + 4, length * elementSize, `${this.typeName} vector field ${id}`);
    return { start: at + 4, length };
  }

  /** A [ubyte] vector as a view into the file (no copy). */
  bytes(id: number): Uint8Array | undefined {
    const v = this.#vector(id, 1);
    return v ? this.#data.bytes.subarray(v.start, v.start + v.length) : undefined;
  }

  vectorLength(id: number): number {
    const p = this.fieldPosition(id);
    return p ? this.#data.u32(this.#data.deref(p)) : 0;
  }

  i32Vector(id: number): number[] {
    const v = this.#vector(id, 4);
    if (!v) return [];
    const out: number[] = [];
    for (let i = 0; i < v.length; i++) out.push(this.#data.i32(v.start + 4 * i));
    return out;
  }

  tableVector(id: number, typeName: string): FlatTable[] {
    const v = this.#vector(id, 4);
    if (!v) return [];
    const out: FlatTable[] = [];
    for (let i = 0; i < v.length; i++) out.push(new FlatTable(this.#data, this.#data.deref(v.start + 4 * i), typeName));
    return out;
  }
}
