// `seam swap` as a user runs it: the output file with Seam's provenance naming the operation, the
// notes printed, and every failure (no face, a face number too high, an option out of range, a
// file that is not an image) as one clear error with nothing written.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import sharp from 'sharp';
import { swapCommand } from '../../src/cli/commands/swap';
import { silentLogger } from '../../src/engine/context';
import { resolvePaths } from '../../src/engine/paths';
import { SeamError } from '../../src/shared/errors';
import { fixturePath } from '../support/images';

const root = fileURLToPath(new URL('../..', import.meta.url));
process.env.SEAM_PROVIDERS = 'cpu';
const tempDir = await mkdtemp(join(tmpdir(), 'seam-swap-cli-'));
after(() => rm(tempDir, { recursive: true, force: true }));

const astronaut = fixturePath('astronaut.png');
const hopper = fixturePath('grace_hopper.jpg');
const faceless = join(tempDir, 'sky.png');
await sharp({ create: { width: 320, height: 240, channels: 3, background: '#7a9cc6' } }).png().toFile(faceless);

async function swap(args: string[]): Promise<string> {
  let out = '';
  const command = swapCommand({ paths: resolvePaths(), logger: silentLogger, stdout: { write: (text: string) => (out += text) } });
  await command.parseAsync(args, { from: 'user' });
  return out;
}

function rejectsWith(code: string, pattern: RegExp) {
  return (e: unknown) => e instanceof SeamError && e.code === code && pattern.test(e.message);
}

describe('seam swap', () => {
  it('writes the swapped photo with provenance naming the operation', async () => {
    const output = join(tempDir, 'swapped.jpg');
    const printed = await swap(['--source', astronaut, '--target', hopper, '-o', output, '--keep', 'mouth', '--strength', '0.8']);
    assert.match(printed, /wrote .*swapped\.jpg \(512×600\)/);
    const meta = await sharp(output).metadata();
    assert.deepEqual([meta.width, meta.height, meta.format], [512, 600, 'jpeg']);
    const xmp = meta.xmp?.toString('utf8') ?? '';
    assert.match(xmp, /<rdf:li>face-swap source=astronaut\.png [^<]*keep=mouth strength=0\.8/);
    assert.match(xmp, /CreatorTool="Seam /);
  });

  it('fails clearly and writes nothing', async () => {
    const output = join(tempDir, 'never.png');
    await assert.rejects(swap(['--source', faceless, '--target', hopper, '-o', output]), rejectsWith('NOT_FOUND', new RegExp(`no face found in the source photo ${faceless}`)));
    await assert.rejects(swap(['--source', astronaut, '--target', faceless, '-o', output]), rejectsWith('NOT_FOUND', new RegExp(`no face found in ${faceless}`)));
    await assert.rejects(swap(['--source', astronaut, '--target', hopper, '-o', output, '--target-face', '1']), rejectsWith('BAD_INPUT', new RegExp(`${hopper} has only 1 face`)));
    await assert.rejects(swap(['--source', astronaut, '--target', hopper, '-o', output, '--strength', '2']), rejectsWith('BAD_INPUT', /strength \(from 0 to 1\)/));
    await assert.rejects(swap(['--source', astronaut, '--target', hopper, '-o', output, '--keep', 'nose']), rejectsWith('BAD_INPUT', /unknown part nose/));
    const broken = join(tempDir, 'broken.jpg');
    await writeFile(broken, 'not a jpeg at all');
    await assert.rejects(swap(['--source', broken, '--target', hopper, '-o', output]), rejectsWith('BAD_INPUT', /broken\.jpg/));
    assert.equal(existsSync(output), false, 'no output file after a failure');
  });

  it('is a `seam` command: exit 1 and one line on stderr when it fails', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'swap', '--source', astronaut, '--target', faceless, '-o', join(tempDir, 'x.png')], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, SEAM_PROVIDERS: 'cpu' },
    });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^seam: Face swap: no face found in .*sky\.png/m);
  });
});
