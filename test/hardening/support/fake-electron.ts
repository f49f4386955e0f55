/**
 * The part of Electron's main-process API that src/main/ipc.ts uses, recorded instead of wired:
 * each `ipcMain.handle(channel, listener)` lands in `handlers`, for a test to invoke with fake
 * sender frames. Loaded in place of 'electron' by electron-hook.mjs.
 */
export type InvokeListener = (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => Promise<unknown>;

export const handlers = new Map<string, InvokeListener>();

export const ipcMain = {
  handle(channel: string, listener: InvokeListener): void {
    if (handlers.has(channel)) throw new Error(`a second handler for ${channel}`);
    handlers.set(channel, listener);
  },
};
