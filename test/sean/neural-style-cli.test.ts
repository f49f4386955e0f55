/**
 * `seam style --neural` as a user runs it: with SEAN installed (the tiny stand-in pair) it writes
 * the redrawn photo with the seed in its provenance; without SEAN, one error that says how to
 * import it and no output; flags of the analytic style are refused with --neural, --seed without it.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { styleCommand } from '../../src/cli/commands/style';
import { silentLogger } from '../../src/engine/context';
import { resolvePaths, type SeamPaths } from '../../src/engine/paths';
import { SeamError } from '../../src/shared/errors';
import { installTinySean } from './support/tiny-sean-models';

const media = (name: string) => join(process.cwd(), 'test', 'fixtures', 'media', name);
const astronaut = media('astronaut.png');
const hopper = media('grace_hopper.jpg');
const rejectsWith = (code: string, pattern: RegExp) => (e: unknown) => e instanceof SeamError && e.code === code && pattern.test(e.message);

describe('seam style --neural', () => {
  let root: string;
  let withSean: SeamPaths;
  const run = async (paths: SeamPaths, args: string[]) => {
    let out = '';
    await styleCommand({ paths, logger: silentLogger, stdout: { write: (text: string) => (out += text) } }).parseAsync(args, { from: 'user' });
    return out;
  };

  before(async () => {
    process.env.SEAM_PROVIDERS = 'cpu';
    root = await mkdtemp(join(tmpdir(), 'seam-neural-cli-'));
    withSean = resolvePaths({ dataDir: join(root, 'with') });
    await installTinySean(withSean);
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('writes the redrawn photo with the seed in its provenance', async () => {
    const output = join(root, 'neural.png');
    const printed = await run(withSean, ['--target', astronaut, '--reference', hopper, '--regions', 'hair', '--neural', '--seed', '42', '-o', output]);
    assert.match(printed, /wrote .*neural\.png \(512×512\)/);
    const xmp = (await sharp(output).metadata()).xmp?.toString('utf8') ?? '';
    assert.match(xmp, /neural-region-style reference=\S*grace_hopper\.jpg regions=\S*hair\S* seed=42/);
  });

  it('without SEAN: says how to import it and writes nothing', async () => {
    const output = join(root, 'none.png');
    await assert.rejects(run(resolvePaths({ dataDir: join(root, 'without') }), ['--target', astronaut, '--reference', hopper, '--regions', 'hair', '--neural', '-o', output]), rejectsWith('MISSING_DEPENDENCY', /seam models import-sean/));
    assert.equal(existsSync(output), false);
  });

  it('refuses flags that do not go together', async () => {
    const output = join(root, 'x.png');
    await assert.rejects(run(withSean, ['--target', astronaut, '--reference', hopper, '--regions', 'hair', '--neural', '--method', 'covariance', '-o', output]), rejectsWith('BAD_INPUT', /--neural redraws the regions with SEAN/));
    await assert.rejects(run(withSean, ['--target', astronaut, '--reference', hopper, '--regions', 'hair', '--seed', '3', '-o', output]), rejectsWith('BAD_INPUT', /--seed needs --neural/));
    await assert.rejects(run(withSean, ['--target', astronaut, '--reference', hopper, '--regions', 'hair', '--neural', '--seed', '-1', '-o', output]), rejectsWith('BAD_INPUT', /seed/));
    assert.equal(existsSync(output), false);
    assert.match(styleCommand({ paths: withSean, logger: silentLogger }).helpInformation(), /--neural[\s\S]*--seed <n>/);
  });
});
