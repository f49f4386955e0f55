import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { silentLogger } from '../../src/engine/context';
import { createEditDeps } from '../../src/engine/edit/edit-deps';
import type { FrameAnalysis } from '../../src/engine/edit/frame-analysis';
import type { ProcessContext } from '../../src/engine/edit/processor';
import { attributesProcessor } from '../../src/engine/edit/processors/attributes/attributes';
import { faceFrame } from '../../src/engine/edit/processors/attributes/face-frame';
import { faceField } from '../../src/engine/edit/processors/attributes/geometry';
import { GEOMETRY_KEYS, SLIDER_KEYS } from '../../src/engine/edit/processors/attributes/options';
import { DEFAULT_DETERMINANT_FLOOR } from '../../src/engine/edit/pixel/field-warp/fold-guard';
import { getProcessor } from '../../src/engine/edit/registry';
import { decodeImage } from '../../src/engine/image/decode';
import type { RasterImage } from '../../src/engine/image/image';
import { SessionPool } from '../../src/engine/inference/session-pool';
import { resolvePaths } from '../../src/engine/paths';
import { LEFT_EYE, RIGHT_EYE } from '../../src/engine/vision/face-mesh-regions';
import { descriptorProblems } from '../../src/shared/processor-options';

type Point = { x: number; y: number };
const media = (name: string) => join(process.cwd(), 'test', 'fixtures', 'media', name);
const dist = (p: Point[], i: number, j: number) => Math.hypot(p[i]!.x - p[j]!.x, p[i]!.y - p[j]!.y);
function polygonArea(p: Point[], ring: readonly number[]): number {
  let twice = 0;
  ring.forEach((index, k) => {
    const a = p[index]!;
    const b = p[ring[(k + 1) % ring.length]!]!;
    twice += a.x * b.y - b.x * a.y;
  });
  return Math.abs(twice / 2);
}

/** What each checked slider should grow, measured on re-detected landmarks. */
const MEASURES: Record<string, (p: Point[]) => number> = {
  eyeSize: (p) => polygonArea(p, RIGHT_EYE) + polygonArea(p, LEFT_EYE),
  eyeDistance: (p) => dist(p, 33, 263) + dist(p, 133, 362),
  // Mouth corners above the lips' meeting point (image y grows downwards).
  smile: (p) => (p[13]!.y + p[14]!.y) / 2 - (p[61]!.y + p[291]!.y) / 2,
  mouthWidth: (p) => dist(p, 61, 291),
  mouthHeight: (p) => dist(p, 0, 17),
  // The nose's base rises towards the eye line.
  noseHeight: (p) => (p[33]!.y + p[263]!.y) / 2 - p[2]!.y,
  jawline: (p) => dist(p, 172, 397) + dist(p, 136, 365),
  faceWidth: (p) => dist(p, 132, 361) + dist(p, 58, 288),
};

describe('attributes processor', () => {
  const pool = new SessionPool({ logger: silentLogger, providers: ['cpu'] });
  const deps = createEditDeps(resolvePaths(), silentLogger, pool);
  const ctx: ProcessContext = { logger: silentLogger, loadPhoto: () => Promise.reject(new Error('no photos here')) };
  const instance = attributesProcessor.create(deps);
  let astronaut: RasterImage;
  let analysis: FrameAnalysis;
  after(() => pool.releaseAll());
  before(async () => {
    astronaut = await decodeImage(media('astronaut.png'));
    analysis = deps.analyzer.analyze(astronaut);
  });
  const run = (raw: Record<string, unknown>, image = astronaut, frameAnalysis = analysis) =>
    instance.process({ image, analysis: frameAnalysis, index: 0 }, attributesProcessor.parseOptions(raw), ctx);
  const landmarksOf = async (image: RasterImage) => (await deps.analyzer.analyze(image).meshedFaces()).map((f) => f.landmarks.points);

  it('is registered with a valid descriptor, and its options are checked', () => {
    assert.equal(getProcessor('attributes'), attributesProcessor);
    assert.deepEqual(descriptorProblems(attributesProcessor.descriptor), []);
    assert.throws(() => attributesProcessor.parseOptions({ smile: 101 }), { code: 'BAD_INPUT', message: /smile \(from -100 to 100\)/ });
    assert.throws(() => attributesProcessor.parseOptions({ smiles: 1 }), { code: 'BAD_INPUT' });
    assert.equal(attributesProcessor.describe(attributesProcessor.parseOptions({ smile: 40, hairHue: -20 })), 'attributes smile=40 hairHue=-20');
  });

  it('changes nothing when every slider is at 0: the exact bytes, an empty region', async () => {
    const zeros = Object.fromEntries(SLIDER_KEYS.map((k) => [k, 0]));
    for (const raw of [{}, zeros]) {
      const result = await run(raw);
      assert.deepEqual(result.image.data, astronaut.data);
      assert.ok(result.region.every((r) => r === 0));
    }
  });

  it('changes pixels only inside its region, and the region only around the face', async () => {
    const result = await run({ eyeSize: 60, smile: -50, faceWidth: 80, forehead: 60, hairHue: 90, skinSmoothing: 70, lipSaturation: 50, teethWhitening: 60 });
    const [face] = await analysis.meshedFaces();
    const frame = faceFrame(face!.landmarks.points);
    let inside = 0;
    for (let p = 0; p < result.region.length; p++) {
      if (result.region[p] === 0) {
        for (let c = 0; c < 3; c++) assert.equal(result.image.data[p * 3 + c], astronaut.data[p * 3 + c], `pixel ${p} changed outside the region`);
        continue;
      }
      inside++;
      const x = (p % astronaut.width) + 0.5;
      const y = Math.floor(p / astronaut.width) + 0.5;
      assert.ok(Math.abs(x - frame.center.x) < 1.2 * frame.width && Math.abs(y - frame.center.y) < 1.6 * frame.height, `region reaches ${x}, ${y}`);
    }
    assert.ok(inside > 1000);
  });

  it('moves re-detected landmarks further for a larger slider value', async () => {
    const [base] = await landmarksOf(astronaut);
    for (const [slider, measure] of Object.entries(MEASURES)) {
      const values = [measure(base!)];
      for (const value of [50, 100]) values.push(measure((await landmarksOf((await run({ [slider]: value })).image))[0]!));
      assert.ok(values[0]! < values[1]! && values[1]! < values[2]!, `${slider} at 0, 50, 100: ${values.map((v) => v.toFixed(2)).join(', ')}`);
    }
    const smaller = measure('eyeSize', (await landmarksOf((await run({ eyeSize: -100 })).image))[0]!);
    assert.ok(smaller < MEASURES.eyeSize!(base!), 'eye size −100 shrinks the eyes');
    function measure(slider: string, p: Point[]) {
      return MEASURES[slider]!(p);
    }
  });

  it('never folds: each shape slider alone at ±100 keeps every Jacobian determinant > 0; together they are limited', async () => {
    const grace = await decodeImage(media('grace_hopper.jpg'));
    for (const image of [astronaut, grace]) {
      const [face] = await deps.analyzer.analyze(image).meshedFaces();
      const frame = faceFrame(face!.landmarks.points);
      const base = attributesProcessor.parseOptions({}) as Record<string, number>;
      for (const key of GEOMETRY_KEYS) {
        for (const value of [-100, 100]) {
          const { fold } = faceField(frame, { ...base, [key]: value } as never, image.width, image.height)!;
          assert.ok(fold.minDeterminant > 0.3, `${key}=${value}: min determinant ${fold.minDeterminant}`);
          assert.equal(fold.scale, 1, `${key}=${value} alone needed the fold guard`);
        }
      }
      for (const value of [-100, 100]) {
        const all = { ...base, ...Object.fromEntries(GEOMETRY_KEYS.map((k) => [k, value])) };
        const { fold } = faceField(frame, all as never, image.width, image.height)!;
        assert.ok(fold.minDeterminant >= DEFAULT_DETERMINANT_FLOOR - 1e-9 && fold.minDeterminant > 0);
      }
    }
    const limited = await run(Object.fromEntries(GEOMETRY_KEYS.map((k) => [k, 100])));
    assert.match(limited.notes.join(' '), /would fold the picture; applied at \d+ %/);
  });

  describe('with two faces', () => {
    const GAP_LEFT = 512;
    const GAP_RIGHT = 632;
    let pair: RasterImage;
    let pairAnalysis: FrameAnalysis;
    before(async () => {
      const right = await sharp(media('grace_hopper.jpg')).resize({ height: 512 }).toBuffer();
      const width = GAP_RIGHT + Math.round((512 * 512) / 600);
      const { data, info } = await sharp({ create: { width, height: 512, channels: 3, background: { r: 120, g: 120, b: 120 } } })
        .composite([{ input: media('astronaut.png'), left: 0, top: 0 }, { input: right, left: GAP_RIGHT, top: 0 }])
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      pair = { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
      pairAnalysis = deps.analyzer.analyze(pair);
    });

    it('edits each face, one by one, and leaves the gap between them untouched', async () => {
      const before = await landmarksOf(pair);
      assert.equal(before.length, 2);
      const result = await run({ eyeSize: 100, mouthWidth: 100, hairHue: 60 }, pair, pairAnalysis);
      const after = await landmarksOf(result.image);
      assert.equal(after.length, 2);
      for (const i of [0, 1]) {
        assert.ok(MEASURES.eyeSize!(after[i]!) > MEASURES.eyeSize!(before[i]!) * 1.03, `face ${i}: eyes larger (${MEASURES.eyeSize!(before[i]!).toFixed(1)} → ${MEASURES.eyeSize!(after[i]!).toFixed(1)})`);
        assert.ok(MEASURES.mouthWidth!(after[i]!) > MEASURES.mouthWidth!(before[i]!) * 1.03, `face ${i}: mouth wider (${MEASURES.mouthWidth!(before[i]!).toFixed(1)} → ${MEASURES.mouthWidth!(after[i]!).toFixed(1)})`);
      }
      for (let y = 0; y < pair.height; y++) {
        for (let x = GAP_LEFT; x < GAP_RIGHT; x++) {
          const p = y * pair.width + x;
          assert.equal(result.region[p], 0, `gap pixel ${x}, ${y} in the region`);
          for (let c = 0; c < 3; c++) assert.equal(result.image.data[p * 3 + c], pair.data[p * 3 + c]);
        }
      }
    });

    it('edits only the face it is asked to', async () => {
      const result = await run({ eyeSize: 80, hairHue: 60, allFaces: false, face: 1 }, pair, pairAnalysis);
      let right = 0;
      for (let p = 0; p < result.region.length; p++) {
        if (result.region[p] === 0) continue;
        assert.ok(p % pair.width >= GAP_RIGHT, 'only the right face changes');
        right++;
      }
      assert.ok(right > 1000);
      await assert.rejects(run({ smile: 10, allFaces: false, face: 2 }, pair, pairAnalysis), { code: 'BAD_INPUT', message: /2 faces/ });
    });
  });

  it('says NOT_FOUND when the photo has no face', async () => {
    const { data, info } = await sharp(media('astronaut.png')).extract({ left: 330, top: 0, width: 182, height: 300 }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const faceless: RasterImage = { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
    await assert.rejects(run({ smile: 30 }, faceless, deps.analyzer.analyze(faceless)), { code: 'NOT_FOUND', message: /no face found/ });
  });
});
