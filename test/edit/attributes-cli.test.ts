import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { attrsCommand, parseSliderSettings } from '../../src/cli/commands/attrs';
import { silentLogger } from '../../src/engine/context';
import { resolvePaths } from '../../src/engine/paths';

const media = (name: string) => join(process.cwd(), 'test', 'fixtures', 'media', name);

describe('seam attrs', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'seam-attrs-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));
  const run = async (args: string[]) => {
    let out = '';
    const command = attrsCommand({ paths: resolvePaths(), logger: silentLogger, stdout: { write: (t: string) => (out += t) } });
    command.exitOverride();
    await command.parseAsync(args, { from: 'user' });
    return out;
  };

  it('maps kebab-case slider names to the options and checks each value', () => {
    assert.deepEqual(parseSliderSettings(['smile=40,eye-size=20', 'hair-hue=-30']), { smile: 40, eyeSize: 20, hairHue: -30 });
    assert.throws(() => parseSliderSettings(['smil=40']), { code: 'BAD_INPUT', message: /Unknown slider "smil"\. Valid sliders: eye-size, .*teeth-whitening/ });
    assert.throws(() => parseSliderSettings(['smile=140']), { code: 'BAD_INPUT', message: /smile=140 is out of range: it goes from -100 to 100/ });
    assert.throws(() => parseSliderSettings(['skin-smoothing=-5']), { code: 'BAD_INPUT', message: /from 0 to 100/ });
    assert.throws(() => parseSliderSettings(['smile=abc']), { code: 'BAD_INPUT', message: /needs a number/ });
  });

  it('writes the edited photo with the operation in its provenance', async () => {
    const output = join(dir, 'edited.png');
    const out = await run([media('astronaut.png'), '--set', 'smile=40,eye-size=20,hair-hue=30', '-o', output]);
    assert.match(out, /wrote .*edited\.png \(512×512\): attributes eyeSize=20 smile=40 hairHue=30/);
    const [edited, original] = await Promise.all([sharp(output).raw().toBuffer(), sharp(media('astronaut.png')).removeAlpha().raw().toBuffer()]);
    assert.equal(edited.length, original.length);
    assert.notDeepEqual(edited, original);
    const xmp = (await sharp(output).metadata()).xmp?.toString() ?? '';
    assert.match(xmp, /attributes eyeSize=20 smile=40 hairHue=30/);
  });

  it('names the file when it has no face, or fewer faces than --face asks for', async () => {
    const faceless = join(dir, 'faceless.png');
    await sharp(media('astronaut.png')).extract({ left: 330, top: 0, width: 182, height: 300 }).toFile(faceless);
    await assert.rejects(run([faceless, '--set', 'smile=40', '-o', join(dir, 'a.png')]), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'NOT_FOUND');
      assert.ok(error.message.includes(faceless), error.message);
      return true;
    });
    await assert.rejects(run([media('astronaut.png'), '--set', 'smile=40', '--face', '3', '-o', join(dir, 'b.png')]), {
      code: 'BAD_INPUT',
      message: /astronaut\.png has only 1 face/,
    });
    await assert.rejects(run([media('astronaut.png'), '-o', join(dir, 'c.png')]), { code: 'BAD_INPUT', message: /Nothing to do/ });
  });
});
