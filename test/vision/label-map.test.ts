// The semantic label map on the real photos, from the real face pipeline and person segmentation:
// each region where a person would look for it (eyes inside the eye contour, lips around the
// mouth, hair above the astronaut's forehead, skin on the cheeks, background in the corners),
// exactly one label in 0..18 per pixel, the same map every time, every face painted when there are
// two, a person-only map when there is no face, and `seam parse` writing ids, colours and overlays.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import sharp from 'sharp';
import { parseCommand } from '../../src/cli/commands/parse';
import { silentLogger } from '../../src/engine/context';
import { decodeImage } from '../../src/engine/image/decode';
import type { RasterImage } from '../../src/engine/image/image';
import { SessionPool } from '../../src/engine/inference/session-pool';
import { resolvePaths } from '../../src/engine/paths';
import { CHEEK_LEFT, CHEEK_RIGHT, FOREHEAD_TOP, LEFT_EYE, LIPS_OUTER_LOWER, LIPS_OUTER_UPPER, RIGHT_EYE } from '../../src/engine/vision/face-mesh-regions';
import { FacePipeline } from '../../src/engine/vision/faces/face-pipeline';
import { assertValidLabelMap, labelPixelCounts, type LabelMap } from '../../src/engine/vision/label-map/label-map';
import { LandmarkSemanticParser } from '../../src/engine/vision/label-map/landmark-parser';
import { labelPicture, parserFaces } from '../../src/engine/vision/label-map/parse-photo';
import { forEachPolygonSpan } from '../../src/engine/vision/label-map/rasterize';
import type { ParserFace } from '../../src/engine/vision/label-map/semantic-parser';
import { createPersonSegmenter } from '../../src/engine/vision/segmentation/segment-photo';
import type { PersonSegmentation } from '../../src/engine/vision/segmentation/person-segmenter';
import { labelId } from '../../src/shared/labels';

const mediaPath = (name: string) => new URL(`../fixtures/media/${name}`, import.meta.url).pathname;
// The CLI commands build their own pool: keep them on the CPU, as the tests' own pool is.
process.env.SEAM_PROVIDERS = 'cpu';
const pool = new SessionPool({ providers: ['cpu'], logger: silentLogger });
const deps = { paths: resolvePaths(), pool, logger: silentLogger };
const facePipeline = FacePipeline.create(deps);
const segmenter = createPersonSegmenter(deps);
const parser = new LandmarkSemanticParser();
const tempDir = await mkdtemp(join(tmpdir(), 'seam-label-map-'));
after(async () => {
  await pool.releaseAll();
  await rm(tempDir, { recursive: true, force: true });
});

interface Parsed {
  image: RasterImage;
  faces: ParserFace[];
  person: PersonSegmentation;
  map: LabelMap;
}

async function parseImage(image: RasterImage): Promise<Parsed> {
  const faces = parserFaces(await facePipeline.analyze(image));
  const person = await segmenter.segment(image);
  return { image, faces, person, map: await parser.parse(image, faces, person) };
}

const PHOTOS = ['astronaut.png', 'grace_hopper.jpg'] as const;
const parsed = new Map<string, Parsed>();
for (const name of PHOTOS) parsed.set(name, await parseImage(await decodeImage(mediaPath(name))));

const ID = { background: 0, skin: labelId('skin'), lEye: labelId('l_eye'), rEye: labelId('r_eye'), uLip: labelId('u_lip'), lLip: labelId('l_lip'), hair: labelId('hair') };

/** The pixels holding `id`, as [x, y] centres. */
function pixelsOf(map: LabelMap, id: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < map.data.length; i++) if (map.data[i] === id) out.push([(i % map.width) + 0.5, Math.floor(i / map.width) + 0.5]);
  return out;
}

/** Inside the convex hull of `points`, grown by `margin` pixels. */
function insideHull(points: readonly { x: number; y: number }[], margin: number): (x: number, y: number) => boolean {
  const sorted = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  const cross = (o: { x: number; y: number }, a: { x: number; y: number }, b: { x: number; y: number }) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  const half = (list: typeof sorted) => {
    const h: typeof sorted = [];
    for (const p of list) {
      while (h.length >= 2 && cross(h[h.length - 2]!, h[h.length - 1]!, p) <= 0) h.pop();
      h.push(p);
    }
    return h.slice(0, -1);
  };
  const hull = [...half(sorted), ...half([...sorted].reverse())];
  return (x, y) =>
    hull.every((a, k) => {
      const b = hull[(k + 1) % hull.length]!;
      const length = Math.hypot(b.x - a.x, b.y - a.y);
      // Counter-clockwise hull: inside is to the left of every edge (within the margin).
      return ((b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x)) / length >= -margin;
    });
}

describe('label map on the photos', () => {
  it('has one face each and every pixel holds exactly one label in 0..18', () => {
    for (const name of PHOTOS) {
      const { image, faces, map } = parsed.get(name)!;
      assert.equal(faces.length, 1, name);
      assert.equal(map.faceCount, 1);
      assert.equal(map.data.length, image.width * image.height);
      assertValidLabelMap(map);
      assert.equal(labelPixelCounts(map).reduce((a, b) => a + b, 0), image.width * image.height);
    }
  });

  it("puts the eye labels inside the eye landmarks' hull, each eye on its own side", () => {
    for (const name of PHOTOS) {
      const { faces, map } = parsed.get(name)!;
      const points = faces[0]!.points;
      for (const [id, contour] of [
        [ID.lEye, LEFT_EYE],
        [ID.rEye, RIGHT_EYE],
      ] as const) {
        const pixels = pixelsOf(map, id);
        assert.ok(pixels.length > 30, `${name}: label ${id} has ${pixels.length} pixels`);
        const inside = insideHull(
          contour.map((i) => points[i]!),
          0.5,
        );
        assert.ok(!inside(points[1]!.x, points[1]!.y), 'the nose tip is not inside an eye');
        const outside = pixels.filter(([x, y]) => !inside(x, y));
        assert.equal(outside.length, 0, `${name}: ${outside.length} of ${pixels.length} label-${id} pixels outside the eye contour`);
      }
      // The subject's left eye (l_eye) is on the image's right in these unmirrored photos.
      const meanX = (id: number) => pixelsOf(map, id).reduce((s, [x]) => s + x, 0) / pixelsOf(map, id).length;
      assert.ok(meanX(ID.lEye) > meanX(ID.rEye), name);
    }
  });

  it('puts the upper and lower lip around the mouth, upper above lower', () => {
    for (const name of PHOTOS) {
      const { faces, map } = parsed.get(name)!;
      const ring = [...LIPS_OUTER_UPPER, ...LIPS_OUTER_LOWER].map((i) => faces[0]!.points[i]!);
      const inside = insideHull(ring, 1);
      const meanY = (id: number) => pixelsOf(map, id).reduce((s, [, y]) => s + y, 0) / pixelsOf(map, id).length;
      for (const id of [ID.uLip, ID.lLip]) {
        const pixels = pixelsOf(map, id);
        assert.ok(pixels.length > 40, `${name}: label ${id} has ${pixels.length} pixels`);
        assert.ok(pixels.every(([x, y]) => inside(x, y)), `${name}: label ${id} outside the outer lip ring`);
      }
      assert.ok(meanY(ID.uLip) < meanY(ID.lLip), name);
    }
  });

  it("finds hair above the astronaut's forehead", () => {
    const { faces, map } = parsed.get('astronaut.png')!;
    const top = faces[0]!.points[FOREHEAD_TOP]!;
    // From the top of the face oval up to the top of her hair (y ≈ 16 in the photo).
    for (let y = Math.round(top.y) - 5; y >= 25; y -= 5) {
      assert.equal(map.data[y * map.width + Math.round(top.x)], ID.hair, `at ${Math.round(top.x)},${y}`);
    }
    // Above the hair, the studio wall.
    assert.equal(map.data[8 * map.width + Math.round(top.x)], ID.background);
  });

  it('covers the cheeks with skin', () => {
    for (const name of PHOTOS) {
      const { faces, map } = parsed.get(name)!;
      for (const cheek of [CHEEK_RIGHT, CHEEK_LEFT]) {
        let skin = 0;
        let total = 0;
        const polygon = cheek.flatMap((i) => [faces[0]!.points[i]!.x, faces[0]!.points[i]!.y]);
        forEachPolygonSpan(polygon, map.width, map.height, (y, x0, x1) => {
          for (let x = x0; x < x1; x++) {
            total++;
            if (map.data[y * map.width + x] === ID.skin) skin++;
          }
        });
        assert.ok(total > 50 && skin / total > 0.95, `${name}: ${skin} of ${total} cheek pixels are skin`);
      }
    }
  });

  it('leaves the corners where there is no person as background', () => {
    for (const name of PHOTOS) {
      const { map } = parsed.get(name)!;
      for (const [x, y] of [
        [4, 4],
        [map.width - 5, 4],
      ] as const) {
        assert.equal(map.data[y * map.width + x], ID.background, `${name} at ${x},${y}`);
      }
    }
  });

  it('labels every person pixel and nothing outside the person mask, face interiors aside', () => {
    for (const name of PHOTOS) {
      const { person, map } = parsed.get(name)!;
      for (let i = 0; i < map.data.length; i++) {
        if (person.alpha[i]! >= 0.5) assert.notEqual(map.data[i], ID.background, `${name}: person pixel ${i} unlabelled`);
      }
    }
  });

  it('is deterministic', async () => {
    const { image, faces, person, map } = parsed.get('grace_hopper.jpg')!;
    assert.deepEqual((await parser.parse(image, faces, person)).data, map.data);
  });
});

describe('label map edge cases', () => {
  it('paints both faces of a side-by-side pair over one shared person mask', async () => {
    const [a, b] = [await sharp(mediaPath('astronaut.png')).toBuffer(), await sharp(mediaPath('grace_hopper.jpg')).toBuffer()];
    const { data, info } = await sharp({ create: { width: 1024, height: 600, channels: 3, background: { r: 128, g: 128, b: 128 } } })
      .composite([
        { input: a, left: 0, top: 0 },
        { input: b, left: 512, top: 0 },
      ])
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const pair = await parseImage({ width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) });
    assert.equal(pair.faces.length, 2);
    assert.equal(pair.map.faceCount, 2);
    for (const id of [ID.lEye, ID.rEye, ID.uLip, ID.lLip]) {
      const xs = pixelsOf(pair.map, id).map(([x]) => x);
      assert.ok(xs.some((x) => x < 512) && xs.some((x) => x >= 512), `label ${id} on both faces`);
    }
  });

  it('gives a faceless image background and person labels only', async () => {
    const { data, info } = await sharp(mediaPath('astronaut.png')).extract({ left: 330, top: 0, width: 182, height: 300 }).raw().toBuffer({ resolveWithObject: true });
    const image: RasterImage = { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
    const person = await segmenter.segment(image);
    const map = await parser.parse(image, [], person);
    assert.equal(map.faceCount, 0);
    const present = new Set(map.data);
    for (const id of present) assert.ok(id === 0 || id === labelId('cloth'), `label ${id} without a face`);
  });

  it('refuses a person mask of another size and a mesh that is not 468 points', async () => {
    const { image, faces, person } = parsed.get('astronaut.png')!;
    await assert.rejects(parser.parse(image, faces, { ...person, width: 10 }), { name: 'SeamError', code: 'BAD_INPUT' });
    await assert.rejects(parser.parse(image, [{ points: faces[0]!.points.slice(0, 100) }], person), /468 landmarks/);
  });
});

describe('seam parse', () => {
  const run = async (args: string[]) => {
    let out = '';
    let err = '';
    const command = parseCommand({ ...deps, stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } });
    await command.parseAsync(args, { from: 'user' });
    return { out, err };
  };

  it('writes label ids as grey levels, or colours, or an overlay', async () => {
    const ids = join(tempDir, 'labels.png');
    const { out } = await run([mediaPath('astronaut.png'), '-o', ids]);
    assert.match(out, /13 {2}hair/);
    const written = await sharp(ids).raw().toBuffer({ resolveWithObject: true });
    const { map, image } = parsed.get('astronaut.png')!;
    // The file's ids are the map's (the CLI ran the same pipeline).
    for (let i = 0; i < map.data.length; i += 97) assert.equal(written.data[i * written.info.channels], map.data[i]);

    const colour = join(tempDir, 'labels-colour.png');
    await run([mediaPath('astronaut.png'), '-o', colour, '--color']);
    const expected = labelPicture({ image, labels: map }, 'color');
    const colourData = (await sharp(colour).raw().toBuffer()).subarray(0, 3000);
    assert.deepEqual(colourData, Buffer.from(expected.data.subarray(0, 3000)));

    const overlay = join(tempDir, 'overlay.jpg');
    await run([mediaPath('astronaut.png'), '-o', overlay, '--overlay']);
    assert.equal((await sharp(overlay).metadata()).width, 512);
  });

  it('warns when there is no face, and refuses lossy ids', async () => {
    const faceless = join(tempDir, 'faceless.png');
    await sharp(mediaPath('astronaut.png')).extract({ left: 330, top: 0, width: 182, height: 300 }).toFile(faceless);
    const { err } = await run([faceless, '-o', join(tempDir, 'faceless-labels.png')]);
    assert.match(err, /no face found/);
    await assert.rejects(run([mediaPath('astronaut.png'), '-o', join(tempDir, 'labels.jpg')]), /losslessly/);
  });
});
