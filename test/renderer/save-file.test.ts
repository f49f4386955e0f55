/**
 * The page's side of saving (src/renderer/src/lib/save-file.ts): where the host saves natively the
 * bytes go in bounded chunks and the answer carries the file's token; where it cannot (the web
 * host) the file becomes a download, and the host is not asked again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileSaver, type SaveApi } from '../../src/renderer/src/lib/save-file';
import { MAX_SAVE_CHUNK_BYTES } from '../../src/shared/save-contract';

type Begin = Awaited<ReturnType<SaveApi['beginSave']>>;

function fakeHost(begin: Begin, { failWrite = false } = {}) {
  const calls: { method: string; args: Record<string, unknown> }[] = [];
  const api: SaveApi = {
    beginSave: async (args) => (calls.push({ method: 'beginSave', args }), begin),
    writeSave: async (args) => {
      calls.push({ method: 'writeSave', args });
      if (failWrite) throw Object.assign(new Error('Cannot save p.seam: writing failed (ENOSPC).'), { code: 'BAD_INPUT' });
      return { received: args.offset + args.bytes.byteLength };
    },
    finishSave: async (args) => (calls.push({ method: 'finishSave', args }), { name: 'chosen.seam', fileToken: `ft-${'a'.repeat(32)}` }),
    discardSave: async (args) => (calls.push({ method: 'discardSave', args }), true),
  };
  const downloads: string[] = [];
  const save = fileSaver(api, (name) => void downloads.push(name));
  return { calls, downloads, save };
}

const request = { name: 'p.seam', bytes: new Uint8Array([1, 2, 3]), mime: 'application/zip', kind: 'project' as const };

describe('saving from the page', () => {
  it('saves through the host in chunks and answers the chosen name and its token', async () => {
    const { calls, downloads, save } = fakeHost({ status: 'ready', saveId: 'save-000000000001' });
    const big = new Uint8Array(MAX_SAVE_CHUNK_BYTES + 5).fill(9);
    const outcome = await save({ ...request, bytes: big, saveAs: true, fileToken: `ft-${'b'.repeat(32)}` });
    assert.deepEqual(outcome, { status: 'saved', name: 'chosen.seam', fileToken: `ft-${'a'.repeat(32)}` });
    assert.deepEqual(calls[0], { method: 'beginSave', args: { suggestedName: 'p.seam', kind: 'project', size: big.byteLength, saveAs: true, fileToken: `ft-${'b'.repeat(32)}` } });
    const writes = calls.filter((c) => c.method === 'writeSave').map((c) => c.args as { offset: number; bytes: Uint8Array });
    assert.deepEqual(writes.map((w) => [w.offset, w.bytes.byteLength]), [[0, MAX_SAVE_CHUNK_BYTES], [MAX_SAVE_CHUNK_BYTES, 5]]);
    // Each chunk owns its buffer: structured clone would otherwise carry the whole file per chunk.
    assert.ok(writes.every((w) => w.bytes.buffer.byteLength === w.bytes.byteLength));
    assert.equal(calls.at(-1)?.method, 'finishSave');
    assert.deepEqual(downloads, []);
  });

  it('saves nothing when the user closes the Save dialog', async () => {
    const { calls, downloads, save } = fakeHost({ status: 'cancelled' });
    assert.deepEqual(await save(request), { status: 'cancelled' });
    assert.deepEqual(calls.map((c) => c.method), ['beginSave']);
    assert.deepEqual(downloads, []);
  });

  it('downloads where the host has no Save dialog, and does not ask it again', async () => {
    const { calls, downloads, save } = fakeHost({ status: 'unsupported' });
    assert.deepEqual(await save(request), { status: 'saved', name: 'p.seam', fileToken: null });
    assert.deepEqual(await save({ ...request, name: 'q.seam' }), { status: 'saved', name: 'q.seam', fileToken: null });
    assert.deepEqual(downloads, ['p.seam', 'q.seam']);
    assert.deepEqual(calls.map((c) => c.method), ['beginSave']);
  });

  it('drops a save whose write failed and reports the failure', async () => {
    const { calls, save } = fakeHost({ status: 'ready', saveId: 'save-000000000002' }, { failWrite: true });
    await assert.rejects(save(request), /writing failed \(ENOSPC\)/);
    assert.deepEqual(calls.map((c) => c.method), ['beginSave', 'writeSave', 'discardSave']);
  });

  it('suggests a bare file name, whatever the document was called', async () => {
    const { calls, save } = fakeHost({ status: 'cancelled' });
    await save({ ...request, name: 'a/b\\c\u0001.png', kind: 'image' });
    assert.equal(calls[0]?.args.suggestedName, 'a_b_c_.png');
  });
});
