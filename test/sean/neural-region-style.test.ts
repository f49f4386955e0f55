/**
 * The neural region-style processor end to end on real photos, with a tiny SEAN-shaped model pair
 * (support/tiny-sean-models.ts) installed in a temporary user store under SEAN's ids: the face is
 * aligned, encoded, its hair code moved to the reference's, redrawn with seeded noise and pasted
 * back — only inside the hair, the same for the same seed, different for another — and a store
 * without SEAN gives the error that tells the user how to import it.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { silentLogger } from '../../src/engine/context';
import { createEditDeps } from '../../src/engine/edit/edit-deps';
import { createProcessContext, editPhoto } from '../../src/engine/edit/edit-photo';
import type { EditDeps, ProcessResult } from '../../src/engine/edit/processor';
import { neuralRegionStyle } from '../../src/engine/edit/processors/neural-region-style/neural-region-style';
import { getProcessor } from '../../src/engine/edit/registry';
import { decodeImage } from '../../src/engine/image/decode';
import type { RasterImage } from '../../src/engine/image/image';
import { SessionPool } from '../../src/engine/inference/session-pool';
import { resolvePaths, type SeamPaths } from '../../src/engine/paths';
import { alignFaceFromLandmarks } from '../../src/engine/vision/face-align/face-alignment';
import { labelMask, type LabelMap } from '../../src/engine/vision/label-map/label-map';
import { SeamError } from '../../src/shared/errors';
import { descriptorProblems } from '../../src/shared/processor-options';
import { installTinySean } from './support/tiny-sean-models';

const media = (name: string) => join(process.cwd(), 'test', 'fixtures', 'media', name);

describe('neural region style', () => {
  const pool = new SessionPool({ logger: silentLogger, providers: ['cpu'] });
  let root: string;
  let paths: SeamPaths;
  let deps: EditDeps;
  let astronaut: RasterImage;
  let labels: LabelMap;
  /** Grace Hopper's photo tinted red: a reference whose hair colour is unmistakable. */
  let redReference: string;

  const run = async (options: Record<string, unknown>, image = astronaut, editDeps = deps): Promise<ProcessResult> => {
    const instance = neuralRegionStyle.create(editDeps);
    try {
      const ctx = createProcessContext(editDeps, { logger: silentLogger });
      return await instance.process({ image, analysis: editDeps.analyzer.analyze(image), index: 0 }, neuralRegionStyle.parseOptions(options), ctx);
    } finally {
      await instance.dispose();
    }
  };

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'seam-neural-style-'));
    const real = resolvePaths();
    paths = { ...real, userModelsDir: join(root, 'models'), dataDir: root };
    await installTinySean(paths);
    deps = createEditDeps(paths, silentLogger, pool);
    redReference = join(root, 'grace-red.png');
    await sharp(media('grace_hopper.jpg')).tint({ r: 255, g: 40, b: 40 }).png().toFile(redReference);
    astronaut = await decodeImage(media('astronaut.png'));
    labels = await deps.analyzer.analyze(astronaut).labels();
  });
  after(async () => {
    await pool.releaseAll();
    await rm(root, { recursive: true, force: true });
  });

  it('is registered, with a valid descriptor and a seed option', () => {
    assert.equal(getProcessor('neural-region-style'), neuralRegionStyle);
    assert.deepEqual(descriptorProblems(neuralRegionStyle.descriptor), []);
    assert.equal((neuralRegionStyle.parseOptions({ reference: 'a.jpg' }) as { seed: number }).seed, 0);
    assert.equal((neuralRegionStyle.parseOptions({ reference: 'a.jpg', seed: 4_000_000_000 }) as { seed: number }).seed, 4_000_000_000);
    assert.throws(() => neuralRegionStyle.parseOptions({ reference: 'a.jpg', seed: 2 ** 32 }), (e: unknown) => e instanceof SeamError && /option seed \(a whole number from 0 to 4294967295\)/.test(e.message));
    assert.throws(() => neuralRegionStyle.parseOptions({ reference: 'a.jpg', seed: -1 }), (e: unknown) => e instanceof SeamError && e.code === 'BAD_INPUT');
    assert.throws(() => neuralRegionStyle.parseOptions({ reference: 'a.jpg', seed: 1.5 }), (e: unknown) => e instanceof SeamError && e.code === 'BAD_INPUT' && /seed/.test(e.message));
    assert.match(neuralRegionStyle.describe(neuralRegionStyle.parseOptions({ reference: 'r.jpg', regions: { hair: 1 }, seed: 7 })), /^neural-region-style reference=r\.jpg regions=\{"hair":1\} seed=7$/);
  });

  it('redraws the hair toward the reference and changes no pixel outside the hair', async () => {
    const result = await run({ reference: redReference, regions: { hair: 1 }, seed: 3 });
    const hair = labelMask(labels, 'hair');
    // The soft mask reaches a few pixels past the hard label: count "outside" beyond that.
    const nearHair = new Uint8Array(hair.length);
    const { width, height } = astronaut;
    const reach = 4;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (!hair[y * width + x]) continue;
        for (let dy = -reach; dy <= reach; dy++) for (let dx = -reach; dx <= reach; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy >= 0 && yy < height && xx >= 0 && xx < width) nearHair[yy * width + xx] = 1;
        }
      }
    }
    let changed = 0;
    let redBefore = 0;
    let redAfter = 0;
    let hairPixels = 0;
    for (let p = 0; p < result.region.length; p++) {
      const o = p * 3;
      const same = result.image.data[o] === astronaut.data[o] && result.image.data[o + 1] === astronaut.data[o + 1] && result.image.data[o + 2] === astronaut.data[o + 2];
      if (result.region[p] === 0) assert.ok(same, `pixel ${p} changed outside the region`);
      else assert.ok(nearHair[p], `pixel ${p} is in the region but not near the hair`);
      if (!same) changed++;
      if (hair[p] && result.region[p] === 255) {
        hairPixels++;
        redBefore += astronaut.data[o]! - astronaut.data[o + 1]!;
        redAfter += result.image.data[o]! - result.image.data[o + 1]!;
      }
    }
    assert.ok(changed > 2000, `the hair was redrawn (${changed} pixels changed)`);
    assert.ok(hairPixels > 2000, `most hair is fully redrawn (${hairPixels} pixels)`);
    assert.ok(redAfter / hairPixels > redBefore / hairPixels + 20, `the hair is redder: R−G ${(redBefore / hairPixels).toFixed(1)} → ${(redAfter / hairPixels).toFixed(1)}`);
  });

  it('renders the same pixels for the same seed and different ones for another seed', async () => {
    const options = { reference: media('grace_hopper.jpg'), regions: { hair: 1, skin: 0.5 } };
    const a = await run({ ...options, seed: 11 });
    const b = await run({ ...options, seed: 11 });
    const c = await run({ ...options, seed: 12 });
    assert.deepEqual(b.image.data, a.image.data);
    assert.deepEqual(b.region, a.region);
    let differ = 0;
    for (let i = 0; i < a.image.data.length; i++) if (a.image.data[i] !== c.image.data[i]) differ++;
    assert.ok(differ > 1000, `another seed redraws differently (${differ} values differ)`);
    assert.deepEqual(c.region, a.region, 'the seed changes the pixels, not where they may change');
  });

  it('with every region at 0 returns the photo byte for byte', async () => {
    const result = await run({ reference: media('grace_hopper.jpg') });
    assert.deepEqual(result.image.data, astronaut.data);
    assert.ok(result.region.every((v) => v === 0));
  });

  it('says when the face is larger than SEAN draws, and not when it is not', async () => {
    const small = await run({ reference: media('grace_hopper.jpg'), regions: { hair: 1 } });
    const [face] = await deps.analyzer.analyze(astronaut).meshedFaces();
    const side = alignFaceFromLandmarks(face!.landmarks.points).sideInImage;
    assert.ok(side < 256, `the astronaut's head crop is ${side.toFixed(0)} px`);
    assert.ok(!small.notes.some((n) => /enlarged/.test(n)), small.notes.join(' | '));
    const large = await decodeImage({ name: 'astronaut-2x.png', bytes: new Uint8Array(await sharp(media('astronaut.png')).resize(1024, 1024).png().toBuffer()) });
    const result = await run({ reference: media('grace_hopper.jpg'), regions: { hair: 1 } }, large);
    assert.ok(result.notes.some((n) => /SEAN draws 256 × 256: the generated detail was enlarged 1\.\d×/.test(n)), result.notes.join(' | '));
  });

  it('without SEAN installed: MISSING_DEPENDENCY saying how to import it, and nothing written', async () => {
    const empty = { ...paths, userModelsDir: join(root, 'no-models') };
    const bare = createEditDeps(empty, silentLogger, pool);
    await assert.rejects(run({ reference: media('grace_hopper.jpg'), regions: { hair: 1 } }, astronaut, bare), (error: unknown) => {
      assert.ok(error instanceof SeamError, String(error));
      assert.equal(error.code, 'MISSING_DEPENDENCY');
      assert.match(error.message, /seam models import-sean <latest_net_G\.pth>/);
      assert.match(error.message, /model manager/);
      return true;
    });
    const output = join(root, 'out.png');
    await assert.rejects(editPhoto(bare, media('astronaut.png'), output, [{ processor: 'neural-region-style', options: { reference: media('grace_hopper.jpg'), regions: { hair: 1 } } }], { logger: silentLogger }), /import-sean/);
    await assert.rejects(sharp(output).metadata(), 'no output file');
  });
});
