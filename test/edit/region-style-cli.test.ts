// `seam style` and `seam subject` as a user runs them: the output file with Seam's provenance, the
// notes printed, and bad input (unknown regions, weights out of range, no person or face, a bad
// box) as one clear error with nothing written.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import sharp from 'sharp';
import { styleCommand } from '../../src/cli/commands/style';
import { subjectCommand } from '../../src/cli/commands/subject';
import { silentLogger } from '../../src/engine/context';
import { resolvePaths } from '../../src/engine/paths';
import { SeamError } from '../../src/shared/errors';
import { fixturePath } from '../support/images';

process.env.SEAM_PROVIDERS = 'cpu';
const tempDir = await mkdtemp(join(tmpdir(), 'seam-style-cli-'));
after(() => rm(tempDir, { recursive: true, force: true }));

const astronaut = fixturePath('astronaut.png');
const hopper = fixturePath('grace_hopper.jpg');
const sky = join(tempDir, 'sky.png');
await sharp(astronaut).extract({ left: 360, top: 0, width: 150, height: 140 }).resize(300).png().toFile(sky);

async function run(command: typeof styleCommand | typeof subjectCommand, args: string[]): Promise<string> {
  let out = '';
  await command({ paths: resolvePaths(), logger: silentLogger, stdout: { write: (text: string) => (out += text) } }).parseAsync(args, { from: 'user' });
  return out;
}

const rejectsWith = (code: string, pattern: RegExp) => (e: unknown) => e instanceof SeamError && e.code === code && pattern.test(e.message);

describe('seam style and seam subject', () => {
  it('style: writes the restyled photo with provenance naming the regions', async () => {
    const output = join(tempDir, 'styled.png');
    const printed = await run(styleCommand, ['--target', astronaut, '--reference', hopper, '--regions', 'hair=1,lips=0.5', '-o', output]);
    assert.match(printed, /wrote .*styled\.png \(512×512\)/);
    const xmp = (await sharp(output).metadata()).xmp?.toString('utf8') ?? '';
    assert.match(xmp, /<rdf:li>region-style reference=[^<]*grace_hopper\.jpg[^<]*regions=\{&#34;u_lip&#34;:0\.5,&#34;l_lip&#34;:0\.5,&#34;hair&#34;:1\}/);
  });

  it('style: fails clearly and writes nothing', async () => {
    const output = join(tempDir, 'never.png');
    await assert.rejects(run(styleCommand, ['--target', astronaut, '--reference', hopper, '--regions', 'fringe=1', '-o', output]), rejectsWith('BAD_INPUT', /unknown region "fringe"\. Valid regions: background, skin/));
    await assert.rejects(run(styleCommand, ['--target', astronaut, '--reference', hopper, '--regions', 'hair=-1', '-o', output]), rejectsWith('BAD_INPUT', /from 0 to 1/));
    await assert.rejects(run(styleCommand, ['--target', astronaut, '--reference', hopper, '--regions', 'hair', '--mix', '2', '--reference2', astronaut, '-o', output]), rejectsWith('BAD_INPUT', /mix \(from 0 to 1\)/));
    await assert.rejects(run(styleCommand, ['--target', sky, '--reference', hopper, '--regions', 'hair', '-o', output]), rejectsWith('NOT_FOUND', new RegExp(`No face found in ${sky}`)));
    await assert.rejects(run(styleCommand, ['--target', astronaut, '--reference', sky, '--regions', 'skin', '-o', output]), rejectsWith('NOT_FOUND', new RegExp(`style photo ${sky}`)));
    assert.equal(existsSync(output), false);
  });

  it('subject: writes the photo with the new person in the box', async () => {
    const output = join(tempDir, 'moved.jpg');
    const printed = await run(subjectCommand, ['--source', hopper, '--target', astronaut, '--box', '300,220,200,292', '-o', output]);
    assert.match(printed, /wrote .*moved\.jpg \(512×512\)/);
    assert.match(printed, /note: .*filled in from the background/);
    const xmp = (await sharp(output).metadata()).xmp?.toString('utf8') ?? '';
    assert.match(xmp, /<rdf:li>subject-transfer source=[^<]*grace_hopper\.jpg box=/);
  });

  it('subject: fails clearly and writes nothing', async () => {
    const output = join(tempDir, 'never.jpg');
    await assert.rejects(run(subjectCommand, ['--source', hopper, '--target', astronaut, '--box', '1,2,3', '-o', output]), rejectsWith('BAD_INPUT', /four numbers/));
    await assert.rejects(run(subjectCommand, ['--source', hopper, '--target', astronaut, '--feather', '20', '-o', output]), rejectsWith('BAD_INPUT', /feather \(from 0 to 10\)/));
    await assert.rejects(run(subjectCommand, ['--source', sky, '--target', astronaut, '-o', output]), rejectsWith('NOT_FOUND', new RegExp(`No person found in ${sky}`)));
    await assert.rejects(run(subjectCommand, ['--source', hopper, '--target', sky, '-o', output]), rejectsWith('NOT_FOUND', new RegExp(`No person found in ${sky}: give a box`)));
    assert.equal(existsSync(output), false);
  });
});
