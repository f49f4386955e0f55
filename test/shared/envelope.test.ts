import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeEnvelope, encodeEnvelope, EnvelopeError } from '../../src/shared/envelope';

describe('binary envelope (web host socket frames)', () => {
  it('round-trips JSON with pixel buffers, byte for byte', () => {
    const pixels = new Uint8Array(640 * 480 * 4).map((_, i) => i % 251);
    const mask = new Float32Array([0, 0.25, 1]);
    const raw = new Uint8Array([1, 2, 3]).buffer;
    const decoded = decodeEnvelope(encodeEnvelope({ kind: 'result', id: 7, value: { pixels, mask, raw, name: 'ä' } })) as {
      value: { pixels: Uint8Array; mask: Float32Array; raw: ArrayBuffer; name: string };
    };
    assert.ok(decoded.value.pixels instanceof Uint8Array);
    assert.deepEqual(decoded.value.pixels, pixels);
    assert.deepEqual(decoded.value.mask, mask);
    assert.deepEqual(new Uint8Array(decoded.value.raw), new Uint8Array([1, 2, 3]));
    assert.equal(decoded.value.name, 'ä');
  });

  it('encodes a typed array view with an offset as just its bytes', () => {
    const backing = new Uint8Array([9, 9, 1, 2, 3, 9]);
    const decoded = decodeEnvelope(encodeEnvelope({ part: backing.subarray(2, 5) })) as { part: Uint8Array };
    assert.deepEqual([...decoded.part], [1, 2, 3]);
  });

  it('refuses truncated or lying frames with a clear error', () => {
    const frame = encodeEnvelope({ pixels: new Uint8Array(100) });
    assert.throws(() => decodeEnvelope(frame.slice(0, frame.byteLength - 10)), EnvelopeError);
    assert.throws(() => decodeEnvelope(new ArrayBuffer(2)), /too short/);
    const lying = new Uint8Array(8);
    new DataView(lying.buffer).setUint32(0, 1000, true);
    assert.throws(() => decodeEnvelope(lying.buffer), /shorter than its JSON length/);
    const badRef = encodeEnvelope({ x: { $bin: 5, $type: 'Uint8Array' } });
    assert.throws(() => decodeEnvelope(badRef), /missing buffer/);
  });

  it('keeps a "__proto__" key as a plain own key: the decoded object keeps its prototype', () => {
    const bytes = new TextEncoder().encode('{"args":{"__proto__":{"polluted":1},"name":"a.jpg"}}');
    const frame = new Uint8Array(4 + bytes.length);
    new DataView(frame.buffer).setUint32(0, bytes.length, true);
    frame.set(bytes, 4);
    const decoded = decodeEnvelope(frame.buffer) as { args: Record<string, unknown> };
    assert.equal(Object.getPrototypeOf(decoded.args), Object.prototype);
    assert.equal((decoded.args as { polluted?: unknown }).polluted, undefined, 'no field arrives through the prototype');
    assert.deepEqual(Object.keys(decoded.args), ['__proto__', 'name'], 'a strict schema sees the key and refuses it');
  });
});
