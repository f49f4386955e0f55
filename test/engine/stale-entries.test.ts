// A crashed engine's leftovers in its working folders (open clips, uploads, renders) go at the
// next start; what a second engine on the same data folder is using right now stays.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { removeStaleEntries, STALE_AFTER_MS } from '../../src/engine/fs/stale-entries';

describe('removeStaleEntries', () => {
  it('removes files and folders older than the limit and keeps newer ones', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'seam-stale-'));
    try {
      const old = (Date.now() - STALE_AFTER_MS - 60_000) / 1000;
      await writeFile(join(folder, 'vid-old'), 'clip');
      await utimes(join(folder, 'vid-old'), old, old);
      await mkdir(join(folder, 'render-old'));
      await writeFile(join(folder, 'render-old', 'segment-00000.mp4'), 'x');
      await utimes(join(folder, 'render-old'), old, old);
      await writeFile(join(folder, 'vid-new'), 'clip');
      removeStaleEntries(folder);
      assert.equal(existsSync(join(folder, 'vid-old')), false);
      assert.equal(existsSync(join(folder, 'render-old')), false);
      assert.equal(existsSync(join(folder, 'vid-new')), true);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
