// shared/ compiles without DOM or Node types, yet runs only in hosts that have these WHATWG
// globals (Node, Chromium, Electron). It declares the small part it uses; where DOM or Node types
// are present, these declarations merge with theirs.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}
interface AbortSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
