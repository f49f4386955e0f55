/**
 * One binary frame for a message that may hold ArrayBuffers or typed arrays, for channels that
 * cannot structured-clone (the web host's WebSocket). Layout: u32 JSON length, the JSON (with each
 * buffer replaced by {"$bin": index, "$type": name}), then for each buffer a u32 length and its
 * bytes. Little-endian. Pixels stay binary end to end: no base64.
 */
const TYPED = {
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
} as const;
type TypedName = keyof typeof TYPED;
const MAX_DEPTH = 32;

export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
}

export function encodeEnvelope(value: unknown): ArrayBuffer {
  const buffers: Uint8Array[] = [];
  const json = JSON.stringify(value, function replacer(_key, item: unknown) {
    if (item instanceof ArrayBuffer) {
      buffers.push(new Uint8Array(item));
      return { $bin: buffers.length - 1, $type: 'ArrayBuffer' };
    }
    if (ArrayBuffer.isView(item) && !(item instanceof DataView)) {
      const name = item.constructor.name as TypedName;
      if (!(name in TYPED)) throw new EnvelopeError(`cannot encode ${name}`);
      buffers.push(new Uint8Array(item.buffer, item.byteOffset, item.byteLength));
      return { $bin: buffers.length - 1, $type: name };
    }
    return item;
  });
  const jsonBytes = new TextEncoder().encode(json ?? 'null');
  const total = 4 + jsonBytes.byteLength + buffers.reduce((sum, b) => sum + 4 + b.byteLength, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, jsonBytes.byteLength, true);
  out.set(jsonBytes, 4);
  let offset = 4 + jsonBytes.byteLength;
  for (const buffer of buffers) {
    view.setUint32(offset, buffer.byteLength, true);
    out.set(buffer, offset + 4);
    offset += 4 + buffer.byteLength;
  }
  return out.buffer;
}

export function decodeEnvelope(frame: ArrayBuffer): unknown {
  if (frame.byteLength < 4) throw new EnvelopeError('frame too short');
  const view = new DataView(frame);
  const jsonLength = view.getUint32(0, true);
  if (4 + jsonLength > frame.byteLength) throw new EnvelopeError('frame shorter than its JSON length');
  const json = new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(frame, 4, jsonLength));
  const buffers: ArrayBuffer[] = [];
  let offset = 4 + jsonLength;
  while (offset < frame.byteLength) {
    if (offset + 4 > frame.byteLength) throw new EnvelopeError('truncated buffer length');
    const length = view.getUint32(offset, true);
    if (offset + 4 + length > frame.byteLength) throw new EnvelopeError('truncated buffer');
    buffers.push(frame.slice(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  const parsed: unknown = JSON.parse(json);
  return revive(parsed, buffers, 0);
}

function revive(value: unknown, buffers: ArrayBuffer[], depth: number): unknown {
  if (depth > MAX_DEPTH) throw new EnvelopeError('message nested too deeply');
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => revive(item, buffers, depth + 1));
  const record = value as Record<string, unknown>;
  if (typeof record.$bin === 'number' && typeof record.$type === 'string') {
    const buffer = buffers[record.$bin];
    if (!buffer) throw new EnvelopeError(`missing buffer ${record.$bin}`);
    if (record.$type === 'ArrayBuffer') return buffer;
    const Ctor = TYPED[record.$type as TypedName];
    if (!Ctor) throw new EnvelopeError(`unknown buffer type ${record.$type}`);
    if (buffer.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) throw new EnvelopeError('buffer length does not fit its type');
    return new Ctor(buffer);
  }
  // Own data properties, never assignment: `out["__proto__"] = x` would set the object's prototype,
  // and a strict schema would then read the attacker's fields as inherited ones. Defined as an own
  // property, "__proto__" is just an unknown key that validation refuses.
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) {
    Object.defineProperty(out, key, { value: revive(item, buffers, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
