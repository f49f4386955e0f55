/**
 * Autosave for crash recovery, as the engine keeps it: the latest project bytes per document
 * survive a new engine (a restart after a crash), list newest first, read back byte for byte,
 * go when discarded, never exceed MAX_AUTOSAVES, and a key that is not an id (a path) is
 * refused at the contract. A mask exports as an 8-bit greyscale PNG with its exact values.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import sharp from 'sharp';
import { createProjectHandlers } from '../../src/engine/session/autosave-handlers';
import { parseArgs, type CallContext } from '../../src/shared/contract';
import { MAX_AUTOSAVES } from '../../src/shared/project-contract';

const dataDir = mkdtempSync(join(tmpdir(), 'seam-autosave-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));
const call: CallContext = { jobId: 'test', signal: new AbortController().signal, emitProgress: () => undefined };

describe('autosave', () => {
  it('keeps the latest bytes per document across engine restarts, newest first, and discards them', async () => {
    const first = createProjectHandlers(dataDir);
    await first.writeAutosave({ documentKey: 'doc-aaaaaa', name: 'portrait.jpg', bytes: new Uint8Array([1, 2, 3]) }, call);
    await new Promise((r) => setTimeout(r, 5));
    await first.writeAutosave({ documentKey: 'doc-bbbbbb', name: 'group.png', bytes: new Uint8Array([9]) }, call);
    await first.writeAutosave({ documentKey: 'doc-aaaaaa', name: 'portrait.jpg', bytes: new Uint8Array([4, 5, 6, 7]) }, call);

    const restarted = createProjectHandlers(dataDir);
    const listed = await restarted.listAutosaves(undefined, call);
    assert.deepEqual(listed.map((a) => [a.documentKey, a.name, a.size]), [['doc-aaaaaa', 'portrait.jpg', 4], ['doc-bbbbbb', 'group.png', 1]]);
    const read = await restarted.readAutosave({ documentKey: 'doc-aaaaaa' }, call);
    assert.deepEqual([...read.bytes], [4, 5, 6, 7]);

    assert.equal(await restarted.discardAutosave({ documentKey: 'doc-aaaaaa' }, call), true);
    assert.equal(await restarted.discardAutosave({ documentKey: 'doc-aaaaaa' }, call), false);
    assert.deepEqual((await restarted.listAutosaves(undefined, call)).map((a) => a.documentKey), ['doc-bbbbbb']);
    await assert.rejects(restarted.readAutosave({ documentKey: 'doc-aaaaaa' }, call), { code: 'NOT_FOUND', message: /No autosave doc-aaaaaa/ });
    // Atomic writes leave no temp files behind.
    assert.ok(readdirSync(join(dataDir, 'autosave')).every((f) => !f.endsWith('.tmp')));
  });

  it(`keeps at most ${MAX_AUTOSAVES}, dropping the oldest`, async () => {
    const handlers = createProjectHandlers(dataDir);
    for (let i = 0; i < MAX_AUTOSAVES + 3; i++) {
      await handlers.writeAutosave({ documentKey: `doc-n${String(i).padStart(5, '0')}`, name: `photo ${i}.jpg`, bytes: new Uint8Array([i]) }, call);
      await new Promise((r) => setTimeout(r, 2));
    }
    const listed = await handlers.listAutosaves(undefined, call);
    assert.equal(listed.length, MAX_AUTOSAVES);
    assert.equal(listed[0]!.name, `photo ${MAX_AUTOSAVES + 2}.jpg`);
    assert.equal(readdirSync(join(dataDir, 'autosave')).length, MAX_AUTOSAVES * 2);
  });

  it('refuses a document key that is not an id, before it reaches the disk', () => {
    for (const documentKey of ['../../etc/passwd', 'doc-../x', '/tmp/doc-aaaaaa', 'doc-AAAAAA']) {
      assert.throws(() => parseArgs('readAutosave', [{ documentKey }]), /Invalid arguments for readAutosave: 0\.documentKey: not a document key/);
    }
    assert.throws(() => parseArgs('writeAutosave', [{ documentKey: 'doc-aaaaaa', name: 'x', bytes: new Uint8Array(0) }]), /an autosave holds 1 byte to 60 MiB/);
  });
});

describe('mask export', () => {
  it('encodes a mask as a one-channel 8-bit PNG with the same values', async () => {
    const [width, height] = [40, 30];
    const data = new Uint8Array(width * height);
    for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 256;
    const { bytes } = await createProjectHandlers(dataDir).encodeMaskPng({ width, height, data }, call);
    const meta = await sharp(bytes).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height, meta.channels, meta.depth], ['png', width, height, 1, 'uchar']);
    const raw = await sharp(bytes).extractChannel(0).raw().toBuffer();
    assert.deepEqual(new Uint8Array(raw), data);
  });
});
