import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { silentLogger } from '../../src/engine/context';
import { createEditDeps } from '../../src/engine/edit/edit-deps';
import type { FrameAnalysis } from '../../src/engine/edit/frame-analysis';
import { createProcessContext, editPhoto } from '../../src/engine/edit/edit-photo';
import { rgbToLab } from '../../src/engine/edit/pixel/color/color-space';
import { regionLabStats } from '../../src/engine/edit/pixel/color/transfer-color';
import { alphaBox, placeSubject, type Placement } from '../../src/engine/edit/processors/subject-transfer/placement';
import { subjectTransfer } from '../../src/engine/edit/processors/subject-transfer/subject-transfer';
import { decodeImage } from '../../src/engine/image/decode';
import type { RasterImage } from '../../src/engine/image/image';
import { SessionPool } from '../../src/engine/inference/session-pool';
import { resolvePaths } from '../../src/engine/paths';
import { labelMask } from '../../src/engine/vision/label-map/label-map';
import { boxMean } from '../../src/engine/vision/segmentation/box-filter';
import { SeamError } from '../../src/shared/errors';
import { descriptorProblems } from '../../src/shared/processor-options';

const media = (name: string) => join(process.cwd(), 'test', 'fixtures', 'media', name);
const targetPath = media('astronaut.png');
const sourcePath = media('grace_hopper.jpg');
const W = 512;
const H = 512;

const distance = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);
const mask = (values: ArrayLike<number>, test: (v: number, i: number) => boolean) => Float32Array.from({ length: values.length }, (_, i) => (test(values[i]!, i) ? 1 : 0));
/** 1 within `radius` pixels (a square) of a pixel that is 1 in `m`. */
const dilate = (m: Float32Array, radius: number) => mask(boxMean(m, W, H, radius), (v) => v > 0);
const count = (m: Float32Array) => m.reduce((s, v) => s + v, 0);

describe('subject transfer', () => {
  const pool = new SessionPool({ logger: silentLogger, providers: ['cpu'] });
  const deps = createEditDeps(resolvePaths(), silentLogger, pool);
  const ctx = createProcessContext(deps, { logger: silentLogger });
  let dir: string;
  let target: RasterImage;
  let analysis: FrameAnalysis;
  let targetAlpha: Float32Array;
  let sourceAlpha: Float32Array;
  let source: RasterImage;

  const run = async (options: Record<string, unknown>) => {
    const instance = subjectTransfer.create(deps);
    try {
      return await instance.process({ image: target, analysis, index: 0 }, subjectTransfer.parseOptions({ source: sourcePath, ...options }), ctx);
    } finally {
      await instance.dispose();
    }
  };

  /** The placed person's alpha in the target (nearest source pixel), from the same placement rule. */
  const placedAlpha = (p: Placement) =>
    Float32Array.from({ length: W * H }, (_, i) => {
      const sx = Math.floor(((i % W) + 0.5 - p.dx) / p.scale);
      const sy = Math.floor((Math.floor(i / W) + 0.5 - p.dy) / p.scale);
      return sx >= 0 && sy >= 0 && sx < source.width && sy < source.height ? sourceAlpha[sy * source.width + sx]! : 0;
    });
  const geometry = async (image: RasterImage, photo: FrameAnalysis, alpha: Float32Array) => {
    const faces = await photo.faces();
    const face = faces.reduce((a, b) => (a.detection.box.width > b.detection.box.width ? a : b)).detection.box;
    return { width: image.width, height: image.height, person: alphaBox(alpha, image.width, image.height)!, face };
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'seam-subject-'));
    target = await decodeImage(targetPath);
    analysis = deps.analyzer.analyze(target);
    targetAlpha = (await analysis.person()).alpha;
    const loaded = await ctx.loadPhoto(sourcePath);
    source = loaded.image;
    sourceAlpha = (await loaded.analysis.person()).alpha;
  });
  after(async () => {
    await pool.releaseAll();
    await rm(dir, { recursive: true, force: true });
  });

  it('puts the source person where the target person was, changing nothing outside its region or far from both people', async () => {
    // Without toning to the scene, so the colour comparison below measures the placement alone.
    const result = await run({ harmonize: 0 });
    for (let i = 0; i < W * H; i++) {
      if (result.region[i] !== 0) continue;
      for (let c = 0; c < 3; c++) assert.equal(result.image.data[i * 3 + c], target.data[i * 3 + c], `pixel ${i} changed outside the region`);
    }
    const placement = placeSubject(await geometry(source, (await ctx.loadPhoto(sourcePath)).analysis, sourceAlpha), await geometry(target, analysis, targetAlpha));
    const placed = placedAlpha(placement);
    const near = dilate(mask(targetAlpha, (a) => a > 0.01), 40);
    const nearNew = dilate(mask(placed, (a) => a > 0.01), 20);
    const far = mask(near, (v, i) => v === 0 && nearNew[i] === 0);
    assert.ok(count(far) > 10_000, `enough pixels far from both people to check (${count(far)})`);
    for (let i = 0; i < W * H; i++) if (far[i]) assert.equal(result.region[i], 0, `pixel ${i} far from both people is in the region`);

    // The placed person resembles the source person, not the one who was there.
    const core = mask(placed, (a) => a > 0.95);
    const placedMean = regionLabStats(result.image, core)!.mean;
    const sourceMean = regionLabStats(source, mask(sourceAlpha, (a) => a > 0.95))!.mean;
    const oldMean = regionLabStats(target, mask(targetAlpha, (a) => a > 0.95))!.mean;
    assert.ok(distance(placedMean, sourceMean) < 3, `ΔE placed person to source person ${distance(placedMean, sourceMean).toFixed(1)}`);
    assert.ok(distance(placedMean, oldMean) > 5 * distance(placedMean, sourceMean), `ΔE to the old person ${distance(placedMean, oldMean).toFixed(1)}`);
  });

  it('in a small box: the person stands there, and the old person’s place is filled with background, not skin', async () => {
    const box = { x: 330, y: 250, width: 170, height: 262 };
    const result = await run({ box });
    const placement = placeSubject({ width: source.width, height: source.height, person: alphaBox(sourceAlpha, source.width, source.height)!, face: null }, { width: W, height: H, person: null, face: null }, box);
    const placed = placedAlpha(placement);
    const hole = dilate(mask(targetAlpha, (a) => a > 0.05), 16);
    const grownBox = (i: number) => i % W >= box.x - 4 && i % W < box.x + box.width + 4 && Math.floor(i / W) >= box.y - 4;
    for (let i = 0; i < W * H; i++) {
      if (placed[i]! > 0.01) assert.ok(grownBox(i), `placed pixel ${i} outside the box`);
      if (result.region[i]! > 0) assert.ok(hole[i] === 1 || grownBox(i), `pixel ${i} changed outside the box and the old person's place`);
    }
    const inBoxMean = regionLabStats(result.image, mask(placed, (a) => a > 0.95))!.mean;
    const sourceMean = regionLabStats(source, mask(sourceAlpha, (a) => a > 0.95))!.mean;
    // Toned to the scene (harmonize 0.5), within the limits harmonising keeps to.
    assert.ok(distance(inBoxMean, sourceMean) < 14, `ΔE in the box to the source person ${distance(inBoxMean, sourceMean).toFixed(1)}`);

    // Where the astronaut was and the new person is not: background-like colours.
    const nearPlaced = dilate(mask(placed, (p) => p > 0.01), 8);
    const uncovered = mask(targetAlpha, (a, i) => a > 0.9 && nearPlaced[i] === 0);
    assert.ok(count(uncovered) > 50_000, `a large uncovered area (${count(uncovered)})`);
    const ring = mask(dilate(mask(targetAlpha, (a) => a > 0.05), 48), (v, i) => v === 1 && hole[i] === 0 && targetAlpha[i]! < 0.02);
    const filledMean = regionLabStats(result.image, uncovered)!.mean;
    const ringMean = regionLabStats(target, ring)!.mean;
    const oldMean = regionLabStats(target, uncovered)!.mean;
    // Texture comes mostly from the wide grey backdrop, less from the black table beside the old
    // person: lighter than the ring's average, but of the background's colour (a, b).
    assert.ok(distance(filledMean, ringMean) < 20, `ΔE filled area to the surrounding background ${distance(filledMean, ringMean).toFixed(1)}`);
    assert.ok(Math.hypot(filledMean[1] - ringMean[1], filledMean[2] - ringMean[2]) < 6, 'the background’s hue and saturation');
    assert.ok(distance(filledMean, oldMean) > 2 * distance(filledMean, ringMean), `ΔE filled area to the old person ${distance(filledMean, oldMean).toFixed(1)}`);

    const skin = labelMask(await analysis.labels(), 'skin');
    const skinMean = regionLabStats(target, skin)!.mean;
    const lab = [0, 0, 0];
    let skinLike = 0;
    let skinPixels = 0;
    for (let i = 0; i < W * H; i++) {
      if (!skin[i]) continue;
      skinPixels++;
      rgbToLab(result.image.data[i * 3]!, result.image.data[i * 3 + 1]!, result.image.data[i * 3 + 2]!, lab);
      if (distance(lab, skinMean) < 10) skinLike++;
    }
    assert.ok(skinLike < 0.05 * skinPixels, `old face area still skin-coloured: ${skinLike} of ${skinPixels} pixels`);
  });

  it('reports bad input and writes nothing', async () => {
    assert.deepEqual(descriptorProblems(subjectTransfer.descriptor), []);
    const sky = join(dir, 'sky.png');
    await sharp(targetPath).extract({ left: 360, top: 0, width: 150, height: 140 }).resize(300).png().toFile(sky);
    const output = join(dir, 'out.png');
    await assert.rejects(
      editPhoto(deps, targetPath, output, [{ processor: 'subject-transfer', options: { source: sky } }], { logger: silentLogger }),
      (e: unknown) => e instanceof SeamError && e.code === 'NOT_FOUND' && e.message.includes('sky.png'),
    );
    await assert.rejects(
      editPhoto(deps, sky, output, [{ processor: 'subject-transfer', options: { source: sourcePath } }], { logger: silentLogger }),
      (e: unknown) => e instanceof SeamError && e.code === 'NOT_FOUND' && (e.details as { photo?: string }).photo === 'target',
    );
    await assert.rejects(run({ box: { x: 600, y: 0, width: 10, height: 10 } }), (e: unknown) => e instanceof SeamError && e.code === 'BAD_INPUT');
    assert.throws(() => subjectTransfer.parseOptions({ source: sourcePath, harmonize: 2 }), (e: unknown) => e instanceof SeamError && e.code === 'BAD_INPUT');
    assert.equal(existsSync(output), false);
  });
});
