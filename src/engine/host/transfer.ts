/**
 * Which result buffers the engine host may transfer (move without a copy) to the caller. Only
 * buffers a handler allocated for the reply and gave away: transferring a buffer the engine
 * still uses (a cached label map, a decoded photo) would detach it under the engine's feet.
 */
const givenAway = new WeakSet<ArrayBuffer>();

/**
 * Marks a freshly made array as the reply's to move. A view over part of a larger buffer (a
 * pooled Node Buffer) is copied first, so only its own bytes travel.
 */
export function giveAway<T extends Uint8Array | Float32Array>(view: T): T {
  const owned = ownsItsBuffer(view) ? view : (view.slice() as T);
  givenAway.add(owned.buffer as ArrayBuffer);
  return owned;
}

/** Whether `view` spans its whole ArrayBuffer, so moving the buffer moves exactly its bytes. */
export function ownsItsBuffer(view: ArrayBufferView): view is ArrayBufferView & { buffer: ArrayBuffer } {
  return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength && view.buffer instanceof ArrayBuffer;
}

export function isGivenAway(buffer: ArrayBuffer): boolean {
  return givenAway.has(buffer);
}
