/**
 * The main side of the contract: one ipcMain handler per method. Each call is checked for its
 * sender and validated against the contract's schema before it reaches the engine; the outcome
 * goes back as a WireResult so the renderer sees the SeamError code, not Electron's wrapper text.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { methodNames, parseArgs } from '../shared/contract';
import { EVENT_CHANNEL, methodChannel, type WireResult } from '../shared/contract-names';
import { toErrorShape } from '../shared/errors';
import type { RpcClient } from '../shared/rpc-client';
import { isTrustedRendererUrl } from './security';

export function registerContractHandlers(engine: () => RpcClient, rendererUrl: () => string): void {
  for (const method of methodNames) {
    ipcMain.handle(methodChannel(method), async (event, ...args: unknown[]): Promise<WireResult> => {
      try {
        assertTrustedSender(event, rendererUrl());
        const parsed = parseArgs(method, args);
        return { ok: true, value: await engine().call(method, parsed) };
      } catch (error) {
        const shape = toErrorShape(error);
        const code = error instanceof Error && error.name === 'ContractViolation' ? 'VALIDATION' : shape.code;
        return { ok: false, error: { code, message: shape.message } };
      }
    });
  }
}

export function forwardEvent(targets: WebContents[], event: string, payload: unknown): void {
  for (const contents of targets) {
    if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, event, payload);
  }
}

/** Refuses a call unless it comes from the renderer page we loaded (not an iframe or other page). */
function assertTrustedSender(event: IpcMainInvokeEvent, rendererUrl: string): void {
  const frameUrl = event.senderFrame?.url ?? '';
  if (!isTrustedRendererUrl(frameUrl, rendererUrl)) {
    throw new Error(`IPC call refused: it came from an untrusted page (${frameUrl || 'unknown'})`);
  }
}
