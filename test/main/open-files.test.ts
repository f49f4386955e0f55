import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathsFromArgv } from '../../src/main/openable';
import { MAX_RECENT, RecentFiles } from '../../src/main/recent-files';

describe('opening files from the OS', () => {
  it('takes photo paths from a launch’s argv, not flags or other files', () => {
    assert.deepEqual(pathsFromArgv(['/opt/Seam/seam', '--no-sandbox', '/home/a/me.JPG', '/home/a/notes.txt', 'b.webp']), [
      '/home/a/me.JPG',
      'b.webp',
    ]);
  });
});

describe('recent files', () => {
  it('keeps the newest first, without duplicates, at most MAX_RECENT, across restarts', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'seam-recent-')), 'recent.json');
    const recent = new RecentFiles(file);
    for (let i = 0; i < MAX_RECENT + 3; i++) await recent.add(`/p/${i}.jpg`);
    await recent.add('/p/5.jpg');
    const again = new RecentFiles(file);
    assert.equal(again.list().length, MAX_RECENT);
    assert.equal(again.list()[0], '/p/5.jpg');
    assert.equal(again.list().filter((p) => p === '/p/5.jpg').length, 1);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), [...again.list()]);
  });

  it('starts empty from a damaged list instead of refusing to start', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'seam-recent-')), 'recent.json');
    writeFileSync(file, '{ not json');
    assert.deepEqual(new RecentFiles(file).list(), []);
  });
});
