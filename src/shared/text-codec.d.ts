// TextEncoder/TextDecoder are WHATWG Encoding globals present in every host Seam runs in (Node,
// Chromium, Electron). shared/ compiles without DOM or Node types, so it declares the part it uses.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}
