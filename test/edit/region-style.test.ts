import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { parseRegions } from '../../src/cli/commands/style';
import { silentLogger } from '../../src/engine/context';
import { createEditDeps } from '../../src/engine/edit/edit-deps';
import { createProcessContext } from '../../src/engine/edit/edit-photo';
import { regionLabStats } from '../../src/engine/edit/pixel/color/transfer-color';
import { applyStyleCodes } from '../../src/engine/edit/processors/region-style/apply-style-codes';
import { regionStyle } from '../../src/engine/edit/processors/region-style/region-style';
import { computeStyleCodes, isRegionStyleCodes, mixStyleCodes, type RegionStyleCodes } from '../../src/engine/edit/processors/region-style/style-codes';
import { decodeImage } from '../../src/engine/image/decode';
import type { RasterImage } from '../../src/engine/image/image';
import { SessionPool } from '../../src/engine/inference/session-pool';
import { resolvePaths } from '../../src/engine/paths';
import { labelMask, type LabelMap } from '../../src/engine/vision/label-map/label-map';
import { softLabelMask } from '../../src/engine/vision/label-map/soft-masks';
import { SeamError } from '../../src/shared/errors';
import { descriptorProblems } from '../../src/shared/processor-options';

const media = (name: string) => join(process.cwd(), 'test', 'fixtures', 'media', name);
const astronautPath = media('astronaut.png');
const gracePath = media('grace_hopper.jpg');

const distance = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);

describe('region style', () => {
  const pool = new SessionPool({ logger: silentLogger, providers: ['cpu'] });
  const deps = createEditDeps(resolvePaths(), silentLogger, pool);
  const ctx = createProcessContext(deps, { logger: silentLogger });
  let dir: string;
  let astronaut: RasterImage;
  let astronautLabels: LabelMap;
  let graceCodes: RegionStyleCodes;
  /** Grace Hopper's photo brighter and almost without colour: a second, clearly different style. */
  let shiftedPath: string;

  const run = async (options: Record<string, unknown>, image = astronaut) => {
    const instance = regionStyle.create(deps);
    try {
      return await instance.process({ image, analysis: deps.analyzer.analyze(image), index: 0 }, regionStyle.parseOptions(options), ctx);
    } finally {
      await instance.dispose();
    }
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'seam-style-'));
    shiftedPath = join(dir, 'grace-pale.png');
    await sharp(gracePath).modulate({ brightness: 1.3, saturation: 0.2 }).png().toFile(shiftedPath);
    astronaut = await decodeImage(astronautPath);
    astronautLabels = await deps.analyzer.analyze(astronaut).labels();
    const grace = await ctx.loadPhoto(gracePath);
    graceCodes = computeStyleCodes(grace.image, await grace.analysis.labels());
  });
  after(async () => {
    await pool.releaseAll();
    await rm(dir, { recursive: true, force: true });
  });

  it('with every region at 0 is the identity, byte for byte', async () => {
    const result = await run({ reference: gracePath });
    assert.deepEqual(result.image.data, astronaut.data);
    assert.ok(result.region.every((v) => v === 0));
    const direct = applyStyleCodes(astronaut, astronautLabels, graceCodes, {});
    assert.deepEqual(direct.image.data, astronaut.data);
  });

  it('moves the hair toward the reference hair and leaves every pixel outside the region as it was', async () => {
    const result = await run({ reference: gracePath, regions: { hair: 1 } });
    const hairSoft = softLabelMask(astronautLabels, 'hair');
    let changed = 0;
    for (let i = 0; i < result.region.length; i++) {
      const same = result.image.data.subarray(i * 3, i * 3 + 3).every((v, c) => v === astronaut.data[i * 3 + c]);
      if (result.region[i] === 0) assert.ok(same, `pixel ${i} changed outside the region`);
      else assert.ok(hairSoft[i]! > 0, `pixel ${i} is in the region but not in the hair's soft mask`);
      if (!same) changed++;
    }
    assert.ok(changed > 5000, `the hair changed (${changed} pixels)`);

    const hair = labelMask(astronautLabels, 'hair');
    const want = graceCodes.regions[13]!.color.mean;
    const before = distance(regionLabStats(astronaut, hair)!.mean, want);
    const afterwards = distance(regionLabStats(result.image, hair)!.mean, want);
    assert.ok(afterwards < 0.25 * before, `hair Lab mean to the reference's: ΔE ${before.toFixed(1)} → ${afterwards.toFixed(1)}`);
  });

  it('mix 0 is the first reference, mix 1 the second, mix 0.5 between them', async () => {
    const options = { reference: gracePath, reference2: shiftedPath, regions: { hair: 1, skin: 0.6, cloth: 1 } };
    const first = await run({ ...options, reference2: undefined });
    const second = await run({ ...options, reference: shiftedPath, reference2: undefined });
    assert.deepEqual((await run({ ...options, mix: 0 })).image.data, first.image.data);
    assert.deepEqual((await run({ ...options, mix: 1 })).image.data, second.image.data);
    const half = await run({ ...options, mix: 0.5 });
    const cloth = labelMask(astronautLabels, 'cloth');
    const [a, b, m] = [first, second, half].map((r) => regionLabStats(r.image, cloth)!.mean);
    assert.ok(distance(m!, a!) < distance(a!, b!) && distance(m!, b!) < distance(a!, b!), 'the half mix lies between the two');
  });

  it('codes round-trip through JSON and apply identically', () => {
    const json = JSON.parse(JSON.stringify(graceCodes)) as unknown;
    assert.ok(isRegionStyleCodes(json));
    assert.deepEqual(json, graceCodes);
    const alphas = { hair: 1, l_lip: 0.5, u_lip: 0.5, background: 0.3 };
    assert.deepEqual(applyStyleCodes(astronaut, astronautLabels, json, alphas).image.data, applyStyleCodes(astronaut, astronautLabels, graceCodes, alphas).image.data);
    assert.ok(!isRegionStyleCodes({ version: 1, regions: [] }));
    const half = mixStyleCodes(graceCodes, graceCodes, 0.5);
    assert.ok(isRegionStyleCodes(JSON.parse(JSON.stringify(half))));
  });

  it('a region the reference lacks keeps the target style, with a note', () => {
    const noHair: RegionStyleCodes = { version: 1, regions: graceCodes.regions.map((c, id) => (id === 13 ? null : c)) };
    const result = applyStyleCodes(astronaut, astronautLabels, noHair, { hair: 1 });
    assert.deepEqual(result.image.data, astronaut.data);
    assert.match(result.notes.join(' '), /Hair: the reference has no such region/);
  });

  it('rejects bad input: unknown regions, weights out of range, no face where one is needed', async () => {
    assert.deepEqual(descriptorProblems(regionStyle.descriptor), []);
    assert.throws(() => parseRegions('hair=1,halo=1'), (e: unknown) => e instanceof SeamError && e.code === 'BAD_INPUT' && /Valid regions: .*hair.*eyes/.test(e.message));
    assert.throws(() => parseRegions('hair=1.5'), (e: unknown) => e instanceof SeamError && e.code === 'BAD_INPUT');
    assert.deepEqual(parseRegions('eyes=0.5,hair'), { l_eye: 0.5, r_eye: 0.5, hair: 1 });
    assert.throws(() => regionStyle.parseOptions({ reference: gracePath, regions: { hair: 2 } }), (e: unknown) => e instanceof SeamError && e.code === 'BAD_INPUT');
    assert.throws(() => regionStyle.parseOptions({ reference: gracePath, mix: -0.1 }), (e: unknown) => e instanceof SeamError && e.code === 'BAD_INPUT');
    const sky = await decodeImage(await faceless(dir));
    await assert.rejects(run({ reference: gracePath, regions: { hair: 1 } }, sky), (e: unknown) => e instanceof SeamError && e.code === 'NOT_FOUND');
    await assert.rejects(run({ reference: join(dir, 'sky.png'), regions: { skin: 1 } }), (e: unknown) => e instanceof SeamError && e.code === 'NOT_FOUND' && e.message.includes('sky.png'));
  });
});

/** A photo with no face or person in it: the shuttle corner of the astronaut portrait. */
async function faceless(dir: string): Promise<string> {
  const path = join(dir, 'sky.png');
  await sharp(media('astronaut.png')).extract({ left: 360, top: 0, width: 150, height: 140 }).resize(300).png().toFile(path);
  return path;
}
