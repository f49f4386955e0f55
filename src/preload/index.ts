/**
 * The only bridge between the sandboxed renderer and the app: one function per contract method,
 * one `onX` subscription per event, nothing else. Raw ipcRenderer never reaches the page.
 * Bundled as CommonJS, because Electron runs only CommonJS preloads in a sandboxed renderer.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, EVENT_NAMES, METHOD_NAMES, methodChannel, type WireResult } from '../shared/contract-names';

class BridgedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SeamError';
  }
}

const api: Record<string, unknown> = {};

for (const method of METHOD_NAMES) {
  api[method] = async (...args: unknown[]) => {
    const result = (await ipcRenderer.invoke(methodChannel(method), ...args)) as WireResult;
    if (result.ok) return result.value;
    throw new BridgedError(result.error.code, result.error.message);
  };
}

for (const eventName of EVENT_NAMES) {
  api[eventName] = (listener: (payload: unknown) => void) => {
    if (typeof listener !== 'function') throw new TypeError(`${eventName} needs a listener function`);
    const handler = (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === eventName) listener(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  };
}

contextBridge.exposeInMainWorld('seam', Object.freeze(api));
