import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp, { type Sharp } from 'sharp';
import { silentLogger } from '../../src/engine/context';
import { createEditDeps } from '../../src/engine/edit/edit-deps';
import { createProcessContext } from '../../src/engine/edit/edit-photo';
import type { ProcessResult } from '../../src/engine/edit/processor';
import { flatPoints, type MeshedFace } from '../../src/engine/edit/processors/face-swap/choose-faces';
import { FACE_SWAP_TRIANGLES, MOUTH_GAP_TRIANGLES } from '../../src/engine/edit/processors/face-swap/mesh-triangles';
import { closedMouthMesh, closeMouth } from '../../src/engine/edit/processors/face-swap/closed-mouth';
import { fillMouthOpening } from '../../src/engine/edit/processors/face-swap/mouth-fill';
import { unfillableOpenings } from '../../src/engine/edit/processors/face-swap/openings';
import { gaussianBlur } from '../../src/engine/edit/pixel/blend/gaussian-blur';
import { meshWarp } from '../../src/engine/edit/pixel/warp/mesh-warp';
import { getProcessor } from '../../src/engine/edit/registry';
import { decodeImage } from '../../src/engine/image/decode';
import type { RasterImage } from '../../src/engine/image/image';
import { SessionPool } from '../../src/engine/inference/session-pool';
import { resolvePaths } from '../../src/engine/paths';
import {
  FACE_OVAL,
  LEFT_EYE,
  LIPS_INNER_LOWER,
  LIPS_INNER_UPPER,
  LIPS_OUTER,
  LIPS_OUTER_LOWER,
  LIPS_OUTER_UPPER,
  MOUTH_INTERIOR,
  RIGHT_EYE,
} from '../../src/engine/vision/face-mesh-regions';
import { forEachOutlineSpan, forEachPolygonSpan } from '../../src/engine/vision/label-map/rasterize';
import { SeamError } from '../../src/shared/errors';
import { descriptorProblems } from '../../src/shared/processor-options';
import { fixturePath } from '../support/images';

const astronaut = fixturePath('astronaut.png');
const hopper = fixturePath('grace_hopper.jpg');

const pool = new SessionPool({ logger: silentLogger, providers: ['cpu'] });
const deps = createEditDeps(resolvePaths(), silentLogger, pool);
// One context for the whole file: each source photo is decoded and analysed once.
const ctx = createProcessContext(deps, { logger: silentLogger });

async function rawImage(input: Sharp): Promise<RasterImage> {
  const { data, info } = await input.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

async function swap(image: RasterImage, options: Record<string, unknown>): Promise<ProcessResult> {
  const module = getProcessor('face-swap');
  return module.create(deps).process({ image, analysis: deps.analyzer.analyze(image), index: 0 }, module.parseOptions(options), ctx);
}

async function facesOf(image: RasterImage): Promise<MeshedFace[]> {
  return deps.analyzer.analyze(image).meshedFaces();
}

/** Pixels where the output differs from the input outside the region (must be none). */
function changedOutsideRegion(before: RasterImage, result: ProcessResult): number {
  let count = 0;
  for (let p = 0; p < result.region.length; p++) {
    if (result.region[p] !== 0) continue;
    for (let c = 0; c < before.channels; c++) if (result.image.data[p * before.channels + c] !== before.data[p * before.channels + c]) count++;
  }
  return count;
}

function centroid(points: ArrayLike<number>, indices: readonly number[]): { x: number; y: number } {
  let x = 0;
  let y = 0;
  for (const i of indices) {
    x += points[i * 2]!;
    y += points[i * 2 + 1]!;
  }
  return { x: x / indices.length, y: y / indices.length };
}

/** Luma of an interleaved RGB array as a plane, minus its local mean (a 2σ-wide high-pass): the face's structure, not its light. */
function lumaDetail(data: ArrayLike<number>, width: number, height: number, sigma: number): Float32Array {
  const luma = { width, height, data: new Float32Array(width * height) };
  for (let p = 0; p < luma.data.length; p++) luma.data[p] = 0.299 * data[p * 3]! + 0.587 * data[p * 3 + 1]! + 0.114 * data[p * 3 + 2]!;
  const mean = gaussianBlur(luma, sigma);
  for (let p = 0; p < luma.data.length; p++) luma.data[p] = luma.data[p]! - mean.data[p]!;
  return luma.data;
}

function correlation(a: Float32Array, b: Float32Array, pixels: readonly number[]): number {
  let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (const p of pixels) {
    const x = a[p]!;
    const y = b[p]!;
    sa += x; sb += y; saa += x * x; sbb += y * y; sab += x * y;
  }
  const n = pixels.length;
  return (sab / n - (sa / n) * (sb / n)) / Math.sqrt((saa / n - (sa / n) ** 2) * (sbb / n - (sb / n) ** 2));
}

describe('face swap mesh and options', () => {
  it('has a well-formed descriptor and names the source by file name only in its provenance', () => {
    const module = getProcessor('face-swap');
    assert.deepEqual(descriptorProblems(module.descriptor), []);
    assert.equal(module.describe(module.parseOptions({ source: '/home/me/private/a.jpg', keep: ['eyes'] })), 'face-swap source=a.jpg sourceFace=-1 targetFace=-1 allFaces=false keep=eyes strength=1 colorMatch=true blendFeather=10');
  });

  it('covers the whole face: the only boundary left is the face oval (eye and mouth holes filled)', () => {
    const uses = new Map<string, number>();
    for (let t = 0; t < FACE_SWAP_TRIANGLES.length; t += 3) {
      for (let k = 0; k < 3; k++) {
        const a = FACE_SWAP_TRIANGLES[t + k]!;
        const b = FACE_SWAP_TRIANGLES[t + ((k + 1) % 3)]!;
        const key = `${Math.min(a, b)}-${Math.max(a, b)}`;
        uses.set(key, (uses.get(key) ?? 0) + 1);
      }
    }
    assert.ok([...uses.values()].every((n) => n <= 2), 'no edge shared by more than two triangles');
    const boundary = [...uses].filter(([, n]) => n === 1).map(([key]) => key.split('-').map(Number));
    const ovalEdges = new Set(FACE_OVAL.map((v, i) => { const w = FACE_OVAL[(i + 1) % FACE_OVAL.length]!; return `${Math.min(v, w)}-${Math.max(v, w)}`; }));
    assert.equal(boundary.length, FACE_OVAL.length);
    for (const [a, b] of boundary) assert.ok(ovalEdges.has(`${a}-${b}`), `boundary edge ${a}-${b} is on the oval`);
  });
});

describe('openings', () => {
  it('closing a mouth moves the inner lip edge a third of the way into the lips, corners fixed', () => {
    const points = new Float64Array(468 * 2);
    for (const i of [...LIPS_OUTER_UPPER, ...LIPS_OUTER_LOWER]) points.set([100, 0], i * 2);
    for (const i of [...LIPS_INNER_UPPER, ...LIPS_INNER_LOWER]) points.set([100, 50], i * 2);
    const closed = closeMouth(points);
    assert.deepEqual([closed[LIPS_INNER_UPPER[0]! * 2 + 1], closed[LIPS_INNER_UPPER.at(-1)! * 2 + 1]], [50, 50], 'corners stay');
    assert.ok(Math.abs(closed[LIPS_INNER_UPPER[5]! * 2 + 1]! - 50 * 0.65) < 1e-9, 'upper inner point pulled toward the outer edge');
  });

  it('a closing mouth warps the gap between the lips from a line inside the upper lip', () => {
    const points = Float64Array.from({ length: 468 * 2 }, (_, i) => i);
    const mesh = closedMouthMesh(points, points);
    const extra = LIPS_INNER_LOWER.length - 2;
    assert.equal(mesh.sourcePoints.length, (468 + extra) * 2);
    assert.equal(mesh.triangles.length, FACE_SWAP_TRIANGLES.length, 'same triangles, the gap re-pointed');
    const gap = Array.from(mesh.triangles).slice(-MOUTH_GAP_TRIANGLES.length);
    for (let t = 0; t < gap.length; t += 3) {
      const [a, b, c] = gap.slice(t, t + 3).map((v) => [mesh.sourcePoints[v * 2]!, mesh.sourcePoints[v * 2 + 1]!]) as [number[], number[], number[]];
      const area = (b[0]! - a[0]!) * (c[1]! - a[1]!) - (c[0]! - a[0]!) * (b[1]! - a[1]!);
      assert.ok(Math.abs(area) < 1e-6, `gap triangle ${t / 3} samples a line in the source`);
    }
  });
});

/** Luma of the pixels inside a landmark outline, sorted. */
function lumas(image: RasterImage, points: ArrayLike<number>, indices: readonly number[]): number[] {
  const out: number[] = [];
  forEachPolygonSpan(indices.flatMap((i) => [points[i * 2]!, points[i * 2 + 1]!]), image.width, image.height, (y, x0, x1) => {
    for (let x = x0; x < x1; x++) {
      const i = (y * image.width + x) * 3;
      out.push(Math.round(0.299 * image.data[i]! + 0.587 * image.data[i + 1]! + 0.114 * image.data[i + 2]!));
    }
  });
  return out.sort((a, b) => a - b);
}

function median(sorted: readonly number[]): number {
  return sorted[sorted.length >> 1]!;
}

describe('face-swap processor', () => {
  let target: RasterImage;
  let targetFace: MeshedFace;
  let sourceImage: RasterImage;
  let sourceFace: MeshedFace;
  let swapped: ProcessResult;

  before(async () => {
    target = await decodeImage(hopper);
    [targetFace] = (await facesOf(target)) as [MeshedFace];
    sourceImage = await decodeImage(astronaut);
    [sourceFace] = (await facesOf(sourceImage)) as [MeshedFace];
    swapped = await swap(target, { source: astronaut });
  });
  after(() => pool.releaseAll());

  it('changes pixels only inside the region it reports, and the region is the face', () => {
    assert.equal(changedOutsideRegion(target, swapped), 0, 'every pixel outside the region is byte-identical');
    const covered = swapped.region.filter((v) => v > 0).length;
    const box = targetFace.detection.box;
    assert.ok(covered > 0.3 * box.width * box.height && covered < 1.5 * box.width * box.height, `region of ${covered} px for a ${box.width.toFixed(0)}² face box`);
    let changed = 0;
    for (let i = 0; i < target.data.length; i++) if (target.data[i] !== swapped.image.data[i]) changed++;
    assert.ok(changed > 0.5 * covered, `${changed} values changed`);
  });

  it('fades in: no step in the blend weight between neighbouring pixels (no visible seam)', () => {
    // Kept openings (here the closed lips' crease, kept exactly) are meant to be hard-edged: skip
    // the mouth and the eyes' boxes; everywhere else, and at the face's outline above all, the
    // weight changes gradually.
    const tp = flatPoints(targetFace.landmarks);
    const boxes = [MOUTH_INTERIOR, RIGHT_EYE, LEFT_EYE].map((indices) => {
      const xs = indices.map((i) => tp[i * 2]!);
      const ys = indices.map((i) => tp[i * 2 + 1]!);
      return [Math.min(...xs) - 3, Math.min(...ys) - 3, Math.max(...xs) + 3, Math.max(...ys) + 3] as const;
    });
    const { width } = target;
    let worst = 0;
    for (let p = 0; p + width + 1 < swapped.region.length; p++) {
      const x = p % width;
      const y = Math.floor(p / width);
      if (boxes.some(([x0, y0, x1, y1]) => x >= x0 && x <= x1 && y >= y0 && y <= y1)) continue;
      worst = Math.max(worst, Math.abs(swapped.region[p]! - swapped.region[p + 1]!), Math.abs(swapped.region[p]! - swapped.region[p + width]!));
    }
    // The fade is 10 % of a ~190 px face: about 13 levels a pixel on average; a seam would be a jump of 100+.
    assert.ok(worst <= 48, `largest step ${worst} / 255`);
  });

  it('puts the source face there: the inner face now follows the warped source, not the original', () => {
    const tp = flatPoints(targetFace.landmarks);
    const window = { left: 0, top: 0, width: target.width, height: target.height };
    const warp = meshWarp({ source: sourceImage, sourcePoints: flatPoints(sourceFace.landmarks), targetPoints: tp, triangles: FACE_SWAP_TRIANGLES, window, channels: 3 });
    const inner: number[] = [];
    for (let p = 0; p < swapped.region.length; p++) if (swapped.region[p] === 255) inner.push(p);
    assert.ok(inner.length > 5000, `${inner.length} fully swapped pixels`);
    // Structure (eyes, brows, nose, mouth, skin detail) at the scale of a few pixels: what makes
    // a face that face, and what colour matching (a smooth gain) leaves alone.
    const detail = (data: ArrayLike<number>) => lumaDetail(data, target.width, target.height, 4);
    const source = detail(warp.data);
    const after = correlation(detail(swapped.image.data), source, inner);
    const before = correlation(detail(target.data), source, inner);
    assert.ok(after > 0.9, `output vs warped source: r = ${after.toFixed(3)}`);
    assert.ok(after - before > 0.5, `original vs warped source: r = ${before.toFixed(3)}; the swap must move the face toward the source`);
  });

  it('keeps the target geometry: the output re-detected has its eyes where the target had them', async () => {
    const [face] = await facesOf(swapped.image);
    assert.ok(face, 'a face is found in the output');
    const before = flatPoints(targetFace.landmarks);
    const now = flatPoints(face.landmarks);
    const right = centroid(before, RIGHT_EYE);
    const left = centroid(before, LEFT_EYE);
    const iod = Math.hypot(left.x - right.x, left.y - right.y);
    for (const [name, eye] of [['right', RIGHT_EYE], ['left', LEFT_EYE]] as const) {
      const a = centroid(before, eye);
      const b = centroid(now, eye);
      const off = Math.hypot(a.x - b.x, a.y - b.y) / iod;
      assert.ok(off < 0.1, `${name} eye moved ${off.toFixed(3)} IOD`);
    }
  });

  it('swaps a face cut by the photo edge right up to the edge', async () => {
    const cut = await rawImage(sharp(hopper).extract({ left: 200, top: 60, width: 312, height: 400 }));
    const [face] = await facesOf(cut);
    assert.ok(face, 'the cut face is found');
    const result = await swap(cut, { source: astronaut });
    assert.equal(changedOutsideRegion(cut, result), 0);
    const eyeRow = Math.round(centroid(flatPoints(face.landmarks), RIGHT_EYE).y);
    assert.ok(result.region[eyeRow * cut.width]! > 200, `weight at the left edge, eye level: ${result.region[eyeRow * cut.width]}`);
  });

  it("keeps the target's open mouth when the source's is closed (a warp cannot invent teeth)", async () => {
    const hopperPoints = flatPoints(targetFace.landmarks);
    const astronautPoints = flatPoints(sourceFace.landmarks);
    assert.deepEqual(unfillableOpenings(hopperPoints, astronautPoints).map((o) => [o.name, o.targetOpen]), [['mouth', true]], 'smiling target, closed-mouth source');
    assert.deepEqual(unfillableOpenings(astronautPoints, hopperPoints).map((o) => [o.name, o.targetOpen]), [['mouth', false]], "closed-mouth target: its lips' crease is kept");
    const result = await swap(sourceImage, { source: hopper });
    assert.deepEqual(result.notes, ['the face: kept its own mouth (closed in the source, open here)']);
    let inside = 0;
    let differ = 0;
    forEachPolygonSpan(MOUTH_INTERIOR.flatMap((i) => [astronautPoints[i * 2]!, astronautPoints[i * 2 + 1]!]), sourceImage.width, sourceImage.height, (y, x0, x1) => {
      for (let x = x0; x < x1; x++, inside++) if (result.region[y * sourceImage.width + x] !== 0) differ++;
    });
    assert.ok(inside > 100 && differ === 0, `${differ} of ${inside} teeth pixels changed`);
  });

  it("fills a smiling source's open mouth with its lips' colours, for a closed mouth: no teeth, no dark gap, nothing else touched", () => {
    const points = flatPoints(sourceFace.landmarks);
    const before = sourceImage.data.slice();
    const filled = fillMouthOpening(sourceImage, points);
    assert.deepEqual(sourceImage.data, before, 'the source photo itself is untouched');
    const opening = lumas(sourceImage, points, MOUTH_INTERIOR);
    const lips = lumas(sourceImage, points, LIPS_OUTER);
    const now = lumas(filled, points, MOUTH_INTERIOR);
    assert.ok(opening.at(-1)! > 240 && opening[0]! < 40, `the astronaut smiles: teeth (${opening.at(-1)}) and the dark gap beside them (${opening[0]})`);
    assert.ok(now.at(-1)! < 220 && now[0]! > 0.6 * median(lips), `filled: ${now[0]}..${now.at(-1)}, the lips' median ${median(lips)}`);
    // Only the lips' area (their outline and a pixel beyond) may change.
    const lipArea = new Uint8Array(sourceImage.width * sourceImage.height);
    const mark = (y: number, x0: number, x1: number) => lipArea.fill(1, y * sourceImage.width + x0, y * sourceImage.width + x1);
    const outline = LIPS_OUTER.flatMap((i) => [points[i * 2]!, points[i * 2 + 1]!]);
    forEachPolygonSpan(outline, sourceImage.width, sourceImage.height, mark);
    forEachOutlineSpan(outline, 1.5, sourceImage.width, sourceImage.height, mark);
    let changed = 0;
    let outside = 0;
    for (let p = 0; p < lipArea.length; p++) {
      if ([0, 1, 2].every((c) => filled.data[p * 3 + c] === sourceImage.data[p * 3 + c])) continue;
      changed++;
      if (lipArea[p] === 0) outside++;
    }
    assert.ok(changed > 100 && outside === 0, `${changed} pixels changed, ${outside} outside the lips`);
  });

  it('closes a closed target mouth with lips only: no dark gap from the smiling source between them', () => {
    // Grace Hopper's mouth is closed and the astronaut's open: the closed-mouth warp (openings.ts).
    const hopperLips = lumas(swapped.image, flatPoints(targetFace.landmarks), LIPS_OUTER);
    assert.ok(hopperLips[0]! > 0.5 * median(hopperLips), `darkest lip pixel ${hopperLips[0]}, median ${median(hopperLips)}`);
  });

  it('strength 0 is the identity', async () => {
    const result = await swap(target, { source: astronaut, strength: 0 });
    assert.deepEqual(result.image.data, target.data);
    assert.ok(result.region.every((v) => v === 0));
  });

  it('keep=mouth leaves the mouth exactly as it was', async () => {
    const result = await swap(target, { source: astronaut, keep: ['mouth'] });
    const tp = flatPoints(targetFace.landmarks);
    const lips = LIPS_OUTER.flatMap((i) => [tp[i * 2]!, tp[i * 2 + 1]!]);
    let inside = 0;
    let differ = 0;
    forEachPolygonSpan(lips, target.width, target.height, (y, x0, x1) => {
      for (let x = x0; x < x1; x++) {
        inside++;
        const p = (y * target.width + x) * 3;
        if (result.image.data[p] !== target.data[p] || result.image.data[p + 1] !== target.data[p + 1] || result.image.data[p + 2] !== target.data[p + 2]) differ++;
      }
    });
    assert.ok(inside > 300, `${inside} mouth pixels`);
    assert.equal(differ, 0);
    assert.equal(changedOutsideRegion(target, result), 0);
  });

  it('with two faces, targetFace 0 and 1 each change only their own face', async () => {
    const [left, right] = await Promise.all([sharp(astronaut).resize(400, 400).png().toBuffer(), sharp(hopper).resize(400, 469).png().toBuffer()]);
    const pair = await rawImage(sharp({ create: { width: 820, height: 480, channels: 3, background: '#808080' } }).composite([{ input: left, left: 0, top: 40 }, { input: right, left: 420, top: 0 }]));
    const faces = await facesOf(pair);
    assert.equal(faces.length, 2, 'two faces in the composite');
    for (const index of [0, 1]) {
      const result = await swap(pair, { source: index === 0 ? hopper : astronaut, targetFace: index });
      assert.equal(changedOutsideRegion(pair, result), 0);
      const own = faces[index]!.detection.box;
      let stray = 0;
      let mine = 0;
      for (let p = 0; p < result.region.length; p++) {
        if (result.region[p] === 0) continue;
        const x = p % pair.width;
        const y = Math.floor(p / pair.width);
        if (x >= own.x - own.width * 0.25 && x < own.x + own.width * 1.25 && y >= own.y - own.height * 0.5 && y < own.y + own.height * 1.25) mine++;
        else stray++;
      }
      assert.ok(mine > 2000, `face ${index}: ${mine} pixels swapped`);
      assert.equal(stray, 0, `face ${index}: no pixel changed outside its own face`);
    }
    // "The face most like this photo": a photo of Grace Hopper picks the right-hand face, the astronaut's the left.
    for (const [reference, expected] of [[hopper, 1], [astronaut, 0]] as const) {
      const chosen = await swap(pair, { source: astronaut, targetLike: reference });
      const own = faces[expected]!.detection.box;
      const centre = (Math.round(own.y + own.height / 2) * pair.width) + Math.round(own.x + own.width / 2);
      assert.equal(chosen.region[centre], 255, `targetLike ${reference} replaces face ${expected}`);
      const other = faces[1 - expected]!.detection.box;
      assert.equal(chosen.region[(Math.round(other.y + other.height / 2) * pair.width) + Math.round(other.x + other.width / 2)], 0);
    }
    const both = await swap(pair, { source: astronaut, allFaces: true, colorMatch: false });
    assert.equal(changedOutsideRegion(pair, both), 0);
    for (const face of faces) {
      const eye = centroid(flatPoints(face.landmarks), RIGHT_EYE);
      assert.equal(both.region[Math.round(eye.y) * pair.width + Math.round(eye.x)], 255, 'allFaces swaps every face');
    }
  });

  it('says which photo has no face (NOT_FOUND) and how many faces there are (BAD_INPUT)', async () => {
    const blank = await rawImage(sharp({ create: { width: 320, height: 240, channels: 3, background: '#7a9cc6' } }));
    await assert.rejects(swap(blank, { source: astronaut }), (e: unknown) => e instanceof SeamError && e.code === 'NOT_FOUND' && /no face found in the photo being edited/.test(e.message));
    await assert.rejects(swap(target, { source: astronaut, targetFace: 2 }), (e: unknown) => e instanceof SeamError && e.code === 'BAD_INPUT' && /only 1 face/.test(e.message));
    await assert.rejects(swap(target, { source: astronaut, sourceFace: 1 }), (e: unknown) => e instanceof SeamError && e.code === 'BAD_INPUT' && e.message.includes(astronaut));
    assert.throws(() => getProcessor('face-swap').parseOptions({ source: astronaut, strength: 1.5 }), (e: unknown) => e instanceof SeamError && e.code === 'BAD_INPUT' && /strength/.test(e.message));
  });
});
