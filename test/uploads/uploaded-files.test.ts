/**
 * Chunked uploads through the real engine protocol: a file sent in chunks arrives byte for byte in
 * the engine's own folder; out-of-order, oversized and unknown uploads are refused with messages;
 * a discarded upload leaves nothing behind.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { uploadFile } from '../../src/renderer/src/lib/upload-file';
import { UploadedFiles } from '../../src/engine/uploads/uploaded-files';
import { createUploadHandlers } from '../../src/engine/uploads/upload-handlers';
import type { SeamApi } from '../../src/shared/contract';
import { rejectsWithSeamError } from '../support/seam-error';


describe('uploaded files', () => {
  let dataDir = '';
  let files: UploadedFiles;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'seam-uploads-'));
    files = new UploadedFiles(dataDir);
  });
  after(async () => {
    await files.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('receives a file in chunks, byte for byte, under an id in its own folder', async () => {
    const content = randomBytes(100_000);
    const handlers = createUploadHandlers(files);
    const call = { jobId: 'j', signal: new AbortController().signal, emitProgress: () => {} };
    const api = {
      beginUpload: (a: { name: string; size: number }) => handlers.beginUpload(a, call),
      writeUpload: (a: { uploadId: string; offset: number; bytes: Uint8Array }) => handlers.writeUpload(a, call),
      finishUpload: (a: { uploadId: string }) => handlers.finishUpload(a, call),
      discardUpload: (a: { id: string }) => handlers.discardUpload(a, call),
    } as unknown as Pick<SeamApi, 'beginUpload' | 'writeUpload' | 'finishUpload' | 'discardUpload'>;
    const blob = new Blob([content]);
    const sent: number[] = [];
    const ref = await uploadFile(api, { name: '../../etc/clip.mp4', size: blob.size, slice: (s, e) => blob.slice(s, e) }, {
      chunkBytes: 30_000,
      onProgress: (p) => sent.push(p.sent),
    });
    assert.deepEqual(sent, [30_000, 60_000, 90_000, 100_000]);
    assert.equal(ref.name, 'clip.mp4', 'the name loses any folder the page put in it');
    const file = files.get(ref.fileId);
    assert.equal(join(dataDir, 'uploads', ref.fileId), file.path);
    assert.deepEqual(readFileSync(file.path), content);
  });

  it('refuses a chunk out of order, too many bytes, an incomplete finish and unknown ids', async () => {
    const id = await files.begin('a.bin', 10);
    await rejectsWithSeamError(files.write(id, 5, new Uint8Array(2)), 'BAD_INPUT', /a\.bin: a chunk at byte 5 arrived, but 0 bytes/);
    await files.write(id, 0, new Uint8Array(6));
    await rejectsWithSeamError(files.write(id, 6, new Uint8Array(5)), 'BAD_INPUT', /more than the 10 bytes announced/);
    await rejectsWithSeamError(files.finish(id), 'BAD_INPUT', /incomplete: 6 of 10 bytes/);
    assert.equal(await files.discard(id), true);
    await rejectsWithSeamError(files.write(id, 6, new Uint8Array(1)), 'NOT_FOUND', /No upload up-/);
    assert.throws(() => files.get('file-000000000000'), /No uploaded file file-000000000000/);
  });

  it('leaves nothing behind when an upload fails part way', async () => {
    const before = readdirSync(join(dataDir, 'uploads')).length;
    const handlers = createUploadHandlers(files);
    const call = { jobId: 'j', signal: new AbortController().signal, emitProgress: () => {} };
    let writes = 0;
    const api = {
      beginUpload: (a: { name: string; size: number }) => handlers.beginUpload(a, call),
      writeUpload: async (a: { uploadId: string; offset: number; bytes: Uint8Array }) => {
        if (++writes === 2) throw new Error('connection lost');
        return handlers.writeUpload(a, call);
      },
      finishUpload: (a: { uploadId: string }) => handlers.finishUpload(a, call),
      discardUpload: (a: { id: string }) => handlers.discardUpload(a, call),
    } as unknown as Pick<SeamApi, 'beginUpload' | 'writeUpload' | 'finishUpload' | 'discardUpload'>;
    const blob = new Blob([new Uint8Array(50)]);
    await assert.rejects(uploadFile(api, { name: 'x.pth', size: 50, slice: (s, e) => blob.slice(s, e) }, { chunkBytes: 20 }), /connection lost/);
    assert.equal(readdirSync(join(dataDir, 'uploads')).length, before);
  });
});
