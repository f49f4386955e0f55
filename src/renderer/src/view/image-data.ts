/** RGBA bytes from the engine as ImageData, sharing the buffer rather than copying 33 MB for a 4K photo. */
export function imageDataFrom(pixels: Uint8Array, width: number, height: number): ImageData {
  // Buffers from the engine are plain ArrayBuffers (structured clone or the socket's envelope).
  const view = new Uint8ClampedArray(pixels.buffer as ArrayBuffer, pixels.byteOffset, width * height * 4);
  return new ImageData(view, width, height);
}
