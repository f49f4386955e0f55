/**
 * `seam models import-sean` and importSeanCheckpoint on checkpoints that must be refused: nothing
 * may be left in the store. (The successful import of a full-size checkpoint is in parity.test.ts.)
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { modelsCommand } from '../../src/cli/commands/models';
import { silentLogger } from '../../src/engine/context';
import { importSeanCheckpoint } from '../../src/engine/models/sean/import-sean';
import type { SeamPaths } from '../../src/engine/paths';
import { SeamError } from '../../src/shared/errors';

const fixture = (name: string) => join(new URL('./fixtures/', import.meta.url).pathname, name);

let root: string;
let paths: SeamPaths;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'seam-import-sean-'));
  paths = { builtInModelsDir: join(root, 'builtin'), userModelsDir: join(root, 'user'), bundledFfmpegDir: join(root, 'ffmpeg'), dataDir: root };
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The user folder holds no model and .partial is empty (or absent). */
async function assertStoreEmpty(): Promise<void> {
  const names = await readdir(paths.userModelsDir).catch(() => [] as string[]);
  assert.deepEqual(names.filter((n) => n !== '.partial'), []);
  assert.deepEqual(await readdir(join(paths.userModelsDir, '.partial')).catch(() => [] as string[]), []);
}

async function assertRefused(file: string, code: SeamError['code'], pattern: RegExp): Promise<void> {
  await assert.rejects(importSeanCheckpoint(paths, file, {}, { logger: silentLogger }), (error: unknown) => {
    assert.ok(error instanceof SeamError, String(error));
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  });
  await assertStoreEmpty();
}

describe('importSeanCheckpoint refusals', () => {
  it('another architecture: MODEL_INVALID, store untouched', async () => {
    await assertRefused(fixture('other-arch.legacy.pth'), 'MODEL_INVALID', /not SEAN's CelebA-HQ generator.*fc\.bias is \[512\], SEAN's is \[1024\]/);
  });

  it('a truncated checkpoint and a file that is no checkpoint: BAD_INPUT, store untouched', async () => {
    const bytes = await readFile(fixture('small.legacy.pth'));
    const cut = join(root, 'latest_net_G.pth');
    await writeFile(cut, bytes.subarray(0, bytes.byteLength - 100));
    await assertRefused(cut, 'BAD_INPUT', /latest_net_G\.pth is a truncated checkpoint/);
    await assertRefused(new URL('../fixtures/media/astronaut.png', import.meta.url).pathname, 'BAD_INPUT', /is not a PyTorch checkpoint/);
    await assertRefused(fixture('module.zip.pth'), 'BAD_INPUT', /Python object torch\.nn\.modules\.linear\.Linear/);
  });

  it('a missing file: NOT_FOUND', async () => {
    await assertRefused(join(root, 'nope.pth'), 'NOT_FOUND', /no readable file/);
  });
});

describe('seam models import-sean', () => {
  it('is a subcommand of `seam models` and prints the reader’s message on failure', async () => {
    const out: string[] = [];
    const program = modelsCommand({ paths, logger: silentLogger, stdout: { write: (t: string) => out.push(t) }, stderr: { write: () => true }, signal: new AbortController().signal });
    const sub = program.commands.find((c) => c.name() === 'import-sean');
    assert.ok(sub, 'import-sean is registered');
    assert.match(sub.helpInformation(), /--fp16/);
    program.exitOverride();
    await assert.rejects(program.parseAsync(['node', 'models', 'import-sean', fixture('other-arch.legacy.pth')]), (error: unknown) => error instanceof SeamError && error.code === 'MODEL_INVALID');
    assert.deepEqual(out, []);
    await assertStoreEmpty();
  });
});
