/**
 * The main side of the contract: one ipcMain handler per method. Each call is checked for its
 * sender and validated against the contract's schema before it reaches the engine; the outcome
 * goes back as a WireResult so the renderer sees the SeamError code, not Electron's wrapper text.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { ContractViolation, methodNames, parseArgs, type MethodName } from '../shared/contract';
import { EVENT_CHANNEL, methodChannel, type WireResult } from '../shared/contract-names';
import { toErrorShape } from '../shared/errors';
import { isSaveMethod, type SaveHandlers } from '../shared/save-contract';
import type { RpcClient } from '../shared/rpc-client';
import { isTrustedRendererUrl } from './security';

export function registerContractHandlers(
  engine: () => RpcClient,
  rendererUrl: () => string,
  /** Told each call's outcome, e.g. to clear the taskbar when a render ends (job-taskbar.ts). */
  onSettled?: (method: string, outcome: WireResult) => void,
  /** Main's own answers to the save methods (file-saver.ts); without them the engine answers `unsupported`. */
  saves?: SaveHandlers,
): void {
  for (const method of methodNames) {
    ipcMain.handle(methodChannel(method), async (event, ...args: unknown[]): Promise<WireResult> => {
      const outcome = await answer(method, event, args, engine, rendererUrl, saves);
      onSettled?.(method, outcome);
      return outcome;
    });
  }
}

async function answer(method: MethodName, event: IpcMainInvokeEvent, args: unknown[], engine: () => RpcClient, rendererUrl: () => string, saves?: SaveHandlers): Promise<WireResult> {
  try {
    assertTrustedSender(event, rendererUrl());
    const parsed = parseArgs(method, args);
    if (saves && isSaveMethod(method)) {
      // Saving is main's: only it shows the dialog and holds paths (docs/SECURITY.md, item 20).
      const save = saves[method] as (a: unknown) => Promise<unknown>;
      return { ok: true, value: await save(parsed[0]) };
    }
    return { ok: true, value: await engine().call(method, parsed) };
  } catch (error) {
    const shape = toErrorShape(error);
    const code = error instanceof Error && error.name === 'ContractViolation' ? 'VALIDATION' : shape.code;
    return { ok: false, error: { code, message: shape.message } };
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
    // A contract violation (VALIDATION), not a crash: the caller is wrong, the app is fine.
    throw new ContractViolation(`IPC call refused: it came from an untrusted page (${frameUrl || 'unknown'})`);
  }
}
