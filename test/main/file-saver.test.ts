/**
 * Saving like a desktop app, as a user sees it: the first Save asks where, Ctrl+S then writes over
 * the same file without asking, Save As asks again, a closed dialog saves nothing, and a save that
 * does not complete leaves the old file whole with no temp file beside it. The page sees names and
 * tokens, never a folder; a token it made up, or one of another kind, names nothing.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FileSaver, saveFilters, withKindExtension, type SaveDialogRequest } from '../../src/main/file-saver';
import { parseArgs } from '../../src/shared/contract';
import { answerWithoutNativeSave, MAX_SAVE_CHUNK_BYTES, type SaveKind } from '../../src/shared/save-contract';

async function setup() {
  const root = await mkdtemp(join(tmpdir(), 'seam-save-'));
  const dialogs: SaveDialogRequest[] = [];
  const answers: (string | null)[] = [];
  const saved: { path: string; openable: boolean }[] = [];
  const saver = new FileSaver({
    showSaveDialog: async (request) => {
      dialogs.push(request);
      const path = answers.shift();
      if (path === undefined) throw new Error('the test did not expect a dialog');
      return path === null ? { canceled: true, filePath: '' } : { canceled: false, filePath: path };
    },
    defaultFolder: root,
    saved: (path, openable) => void saved.push({ path, openable }),
  });
  return { root, dialogs, answers, saved, saver };
}

/** What the page does for one save: begin, the bytes in chunks, finish. */
async function save(saver: FileSaver, kind: SaveKind, suggestedName: string, bytes: Uint8Array, options: { saveAs?: boolean; fileToken?: string } = {}) {
  const begun = await saver.handlers.beginSave({ suggestedName, kind, size: bytes.byteLength, saveAs: options.saveAs ?? false, ...(options.fileToken ? { fileToken: options.fileToken } : {}) });
  if (begun.status !== 'ready') return begun;
  for (let offset = 0; offset < bytes.byteLength; offset += MAX_SAVE_CHUNK_BYTES) {
    await saver.handlers.writeSave({ saveId: begun.saveId, offset, bytes: bytes.slice(offset, offset + MAX_SAVE_CHUNK_BYTES) });
  }
  return { status: 'saved' as const, ...(await saver.handlers.finishSave({ saveId: begun.saveId })) };
}

const bytesOf = (text: string) => new TextEncoder().encode(text);

describe('saving files from the desktop app', () => {
  it('asks where on the first save, then Ctrl+S writes over the same file without asking', async () => {
    const { root, dialogs, answers, saved, saver } = await setup();
    answers.push(join(root, 'portrait.seam'));
    const first = await save(saver, 'project', 'portrait.seam', bytesOf('version 1'));
    assert.equal(first.status, 'saved');
    assert.ok(first.status === 'saved');
    assert.equal(first.name, 'portrait.seam');
    assert.deepEqual(dialogs, [{ title: 'Save Project', defaultPath: join(root, 'portrait.seam'), filters: [{ name: 'Seam project', extensions: ['seam'] }] }]);
    assert.equal(await readFile(join(root, 'portrait.seam'), 'utf8'), 'version 1');

    const again = await save(saver, 'project', 'portrait.seam', bytesOf('version 2, longer'), { fileToken: first.fileToken });
    assert.deepEqual(again, { status: 'saved', name: 'portrait.seam', fileToken: first.fileToken });
    assert.equal(dialogs.length, 1, 'Ctrl+S with a token shows no dialog');
    assert.equal(await readFile(join(root, 'portrait.seam'), 'utf8'), 'version 2, longer');
    assert.deepEqual(await readdir(root), ['portrait.seam'], 'no temp file is left beside it');
    assert.deepEqual(saved, [
      { path: join(root, 'portrait.seam'), openable: true },
      { path: join(root, 'portrait.seam'), openable: true },
    ]);
    assert.ok(!JSON.stringify([first, again]).includes(root), 'the page never sees the folder');
  });

  it('Save As asks again, starting in the file’s folder, and the new file gets its own token', async () => {
    const { root, dialogs, answers, saver } = await setup();
    const folder = join(root, 'shoot');
    await mkdir(folder);
    answers.push(join(folder, 'a.seam'), join(folder, 'b.seam'));
    const first = await save(saver, 'project', 'a.seam', bytesOf('A'));
    assert.ok(first.status === 'saved');
    const other = await save(saver, 'project', 'a.seam', bytesOf('B'), { saveAs: true, fileToken: first.fileToken });
    assert.ok(other.status === 'saved');
    assert.equal(dialogs[1]?.defaultPath, join(folder, 'a.seam'));
    assert.equal(other.name, 'b.seam');
    assert.notEqual(other.fileToken, first.fileToken);
    assert.equal(await readFile(join(folder, 'a.seam'), 'utf8'), 'A');
    assert.equal(await readFile(join(folder, 'b.seam'), 'utf8'), 'B');
  });

  it('saves nothing when the dialog is closed', async () => {
    const { root, answers, saved, saver } = await setup();
    answers.push(null);
    assert.deepEqual(await save(saver, 'image', 'photo-seam.png', bytesOf('png')), { status: 'cancelled' });
    assert.deepEqual(await readdir(root), []);
    assert.deepEqual(saved, []);
  });

  it('asks again for a made-up token or one from a save of another kind', async () => {
    const { root, dialogs, answers, saver } = await setup();
    answers.push(join(root, 'p.seam'));
    const project = await save(saver, 'project', 'p.seam', bytesOf('project'));
    assert.ok(project.status === 'saved');
    answers.push(null, null);
    assert.deepEqual(await save(saver, 'video', 'clip.mp4', bytesOf('video'), { fileToken: project.fileToken }), { status: 'cancelled' });
    assert.deepEqual(await save(saver, 'project', 'p.seam', bytesOf('x'), { fileToken: `ft-${'0'.repeat(32)}` }), { status: 'cancelled' });
    assert.equal(dialogs.length, 3);
    assert.equal(await readFile(join(root, 'p.seam'), 'utf8'), 'project', 'the project was not overwritten');
  });

  it('adds the extension a typed name lacks, and chooses the filter from the suggested name', async () => {
    const { root, dialogs, answers, saved, saver } = await setup();
    answers.push(join(root, 'holiday'));
    const result = await save(saver, 'image', 'photo-seam.jpg', bytesOf('jpeg'));
    assert.ok(result.status === 'saved');
    assert.equal(result.name, 'holiday.jpg');
    assert.deepEqual(dialogs[0]?.filters, [{ name: 'JPEG image', extensions: ['jpg', 'jpeg'] }]);
    assert.deepEqual(saved, [{ path: join(root, 'holiday.jpg'), openable: true }]);
    assert.equal(withKindExtension('/x/clip.MOV', 'video', 'clip.mp4'), '/x/clip.MOV');
    assert.equal(withKindExtension('/x/masks', 'archive', 'masks.zip'), '/x/masks.zip');
    assert.deepEqual(saveFilters('video', 'clip.mkv'), [{ name: 'Matroska video', extensions: ['mkv'] }]);
    assert.deepEqual(saveFilters('mask', 'odd.name'), [{ name: 'PNG image', extensions: ['png'] }]);
  });

  it('offers a saved clip for the recent list (Seam opens clips) but not a zip of masks', async () => {
    const { root, answers, saved, saver } = await setup();
    answers.push(join(root, 'clip.mp4'), join(root, 'masks.zip'));
    await save(saver, 'video', 'clip.mp4', new Uint8Array(MAX_SAVE_CHUNK_BYTES + 10).fill(7));
    await save(saver, 'archive', 'masks.zip', bytesOf('zip'));
    assert.deepEqual(saved.map((s) => s.openable), [true, false]);
    const written = await readFile(join(root, 'clip.mp4'));
    assert.equal(written.byteLength, MAX_SAVE_CHUNK_BYTES + 10, 'both chunks arrived in order');
    assert.ok(written.every((b) => b === 7));
  });

  it('leaves the old file whole when a save does not complete', async () => {
    const { root, answers, saver } = await setup();
    answers.push(join(root, 'p.seam'));
    const first = await save(saver, 'project', 'p.seam', bytesOf('good'));
    assert.ok(first.status === 'saved');

    const begun = await saver.handlers.beginSave({ suggestedName: 'p.seam', kind: 'project', size: 10, saveAs: false, fileToken: first.fileToken });
    assert.ok(begun.status === 'ready');
    await saver.handlers.writeSave({ saveId: begun.saveId, offset: 0, bytes: bytesOf('half') });
    await assert.rejects(saver.handlers.writeSave({ saveId: begun.saveId, offset: 9, bytes: bytesOf('x') }), { code: 'BAD_INPUT', message: /p\.seam: a chunk at byte 9 arrived, byte 4 was expected/ });
    await assert.rejects(saver.handlers.finishSave({ saveId: begun.saveId }), { code: 'BAD_INPUT', message: /p\.seam: 4 of 10 bytes arrived/ });
    assert.equal(await saver.handlers.discardSave({ saveId: begun.saveId }), true);
    assert.equal(await saver.handlers.discardSave({ saveId: begun.saveId }), false);
    await assert.rejects(saver.handlers.finishSave({ saveId: begun.saveId }), { code: 'NOT_FOUND' });

    const tooMuch = await saver.handlers.beginSave({ suggestedName: 'p.seam', kind: 'project', size: 2, saveAs: false, fileToken: first.fileToken });
    assert.ok(tooMuch.status === 'ready');
    await assert.rejects(saver.handlers.writeSave({ saveId: tooMuch.saveId, offset: 0, bytes: bytesOf('three') }), { code: 'BAD_INPUT', message: /more bytes arrived than the 2 announced/ });

    const unfinished = await saver.handlers.beginSave({ suggestedName: 'p.seam', kind: 'project', size: 3, saveAs: false, fileToken: first.fileToken });
    assert.ok(unfinished.status === 'ready');
    await saver.discardAll();
    assert.equal(await readFile(join(root, 'p.seam'), 'utf8'), 'good');
    assert.deepEqual(await readdir(root), ['p.seam'], 'no temp file is left beside it');
  });

  it('says which file could not be saved when its folder cannot be written, without the folder', async () => {
    const { root, answers, saver } = await setup();
    // A folder removed while the dialog was open (root may write anywhere, so no permission test).
    answers.push(join(root, 'gone', 'p.seam'));
    await assert.rejects(
      saver.handlers.beginSave({ suggestedName: 'p.seam', kind: 'project', size: 1, saveAs: false }),
      (error: Error & { code?: string }) => error.code === 'BAD_INPUT' && /Cannot save p\.seam: its folder cannot be written \(ENOENT\)/.test(error.message) && !error.message.includes(root),
    );
    assert.deepEqual(await readdir(root), []);
  });
});

describe('the save methods in the contract', () => {
  it('takes a file name, never a path, and only tokens and ids of their own shape', () => {
    const ok = { suggestedName: 'p.seam', kind: 'project', size: 1 };
    assert.deepEqual(parseArgs('beginSave', [ok]), [{ ...ok, saveAs: false }]);
    for (const suggestedName of ['../p.seam', '/etc/passwd', 'a\\b.png', '..', 'a\u0000b', '']) {
      assert.throws(() => parseArgs('beginSave', [{ ...ok, suggestedName }]), /Invalid arguments for beginSave/);
    }
    assert.throws(() => parseArgs('beginSave', [{ ...ok, fileToken: '/home/me/p.seam' }]), /not a file token/);
    assert.throws(() => parseArgs('beginSave', [{ ...ok, kind: 'script' }]), /Invalid arguments for beginSave/);
    assert.throws(() => parseArgs('beginSave', [{ ...ok, path: '/tmp/x' }]), /Invalid arguments for beginSave/);
    assert.throws(() => parseArgs('writeSave', [{ saveId: 'save-000000000000', offset: 0, bytes: new Uint8Array(MAX_SAVE_CHUNK_BYTES + 1) }]), /a chunk holds/);
  });

  it('is answered `unsupported` where the host has no Save dialog, and the rest name nothing', () => {
    assert.deepEqual(answerWithoutNativeSave('beginSave'), { status: 'unsupported' });
    assert.throws(() => answerWithoutNativeSave('finishSave'), { code: 'NOT_FOUND' });
  });
});
