/**
 * The save methods through main's IPC handlers (src/main/ipc.ts on a fake ipcMain): a call from
 * our renderer reaches main's FileSaver and never the engine; a call from any other frame, or one
 * that names a path, is refused before a Save dialog can open.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FileSaver, type SaveDialogRequest } from '../../src/main/file-saver';
import { methodChannel } from '../../src/shared/contract-names';
import type { SaveHandlers } from '../../src/shared/save-contract';
import type { RpcClient } from '../../src/shared/rpc-client';
import { handlers as ipcHandlers } from '../hardening/support/fake-electron';

register(new URL('../hardening/support/electron-hook.mjs', import.meta.url));
// Imported by a computed URL: this file is type-checked as Node code, where src/main's Electron
// types are forbidden; the fake stands in for Electron at run time only.
const ipcModule = new URL('../../src/main/ipc.ts', import.meta.url).href;
const { registerContractHandlers } = (await import(ipcModule)) as {
  registerContractHandlers(engine: () => RpcClient, rendererUrl: () => string, onSettled: undefined, saves: SaveHandlers): void;
};

const RENDERER_URL = 'file:///opt/Seam/resources/app.asar/out/renderer/index.html';
const trusted = { senderFrame: { url: RENDERER_URL } };
const root = await mkdtemp(join(tmpdir(), 'seam-save-ipc-'));
const dialogs: SaveDialogRequest[] = [];
const engineCalls: string[] = [];
const saver = new FileSaver({
  showSaveDialog: async (request) => (dialogs.push(request), { canceled: false, filePath: join(root, 'chosen.seam') }),
  defaultFolder: root,
});
const engine = { call: async (method: string) => (engineCalls.push(method), true) } as unknown as RpcClient;
registerContractHandlers(() => engine, () => RENDERER_URL, undefined, saver.handlers);

interface Reply {
  ok: boolean;
  value?: unknown;
  error?: { code: string; message: string };
}
const invoke = (method: string, event: unknown, ...args: unknown[]) => ipcHandlers.get(methodChannel(method))!(event as never, ...args) as Promise<Reply>;
const project = { suggestedName: 'p.seam', kind: 'project', size: 4 };

describe('the save methods through main’s IPC handlers', () => {
  it('are answered by main, not the engine, and write the file the user chose', async () => {
    const begun = await invoke('beginSave', trusted, project);
    assert.equal(begun.ok, true);
    const { saveId } = begun.value as { saveId: string };
    assert.deepEqual(await invoke('writeSave', trusted, { saveId, offset: 0, bytes: new Uint8Array([83, 69, 65, 77]) }), { ok: true, value: { received: 4 } });
    const finished = await invoke('finishSave', trusted, { saveId });
    assert.equal((finished.value as { name: string }).name, 'chosen.seam');
    assert.equal(await readFile(join(root, 'chosen.seam'), 'utf8'), 'SEAM');
    assert.ok(!JSON.stringify([begun, finished]).includes(root), 'no folder reaches the page');
    assert.equal(dialogs.length, 1);
    assert.deepEqual(engineCalls, []);
    // Every other method still goes to the engine.
    assert.deepEqual(await invoke('cancelJob', trusted, { jobId: '1' }), { ok: true, value: true });
    assert.deepEqual(engineCalls, ['cancelJob']);
  });

  it('refuses another frame, or a path, before any dialog opens', async () => {
    const before = dialogs.length;
    const fromElsewhere = await invoke('beginSave', { senderFrame: { url: 'https://evil.example/' } }, project);
    assert.match(fromElsewhere.error?.message ?? '', /IPC call refused: it came from an untrusted page/);
    const withPath = await invoke('beginSave', trusted, { ...project, suggestedName: '/home/me/.bashrc' });
    assert.equal(withPath.error?.code, 'VALIDATION');
    const withToken = await invoke('beginSave', trusted, { ...project, fileToken: '/home/me/.bashrc' });
    assert.equal(withToken.error?.code, 'VALIDATION');
    assert.equal(dialogs.length, before);
  });
});
