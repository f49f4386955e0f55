// Person segmentation: the model chosen by aspect, the O(N) box filter, the guided upsampling
// snapping a misplaced low-resolution edge onto the image's edge, and on the real photos: alpha
// high on the person and low in the background, an edge that follows the photo better than a
// bilinear resize (against outlines drawn by hand, test/fixtures/vision/person-outlines.json),
// determinism, and `seam segment` writing the alpha picture.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import sharp from 'sharp';
import { segmentCommand } from '../../src/cli/commands/segment';
import { silentLogger } from '../../src/engine/context';
import { decodeImage } from '../../src/engine/image/decode';
import type { RasterImage } from '../../src/engine/image/image';
import { SessionPool } from '../../src/engine/inference/session-pool';
import { resolvePaths } from '../../src/engine/paths';
import { fillPolygon } from '../../src/engine/vision/label-map/rasterize';
import { boxMean } from '../../src/engine/vision/segmentation/box-filter';
import { bilinearUpsample, guidedUpsample, type FloatMap } from '../../src/engine/vision/segmentation/guided-upsample';
import { chooseSegmentationModel } from '../../src/engine/vision/segmentation/model-choice';
import type { PersonSegmentation } from '../../src/engine/vision/segmentation/person-segmenter';
import { createPersonSegmenter } from '../../src/engine/vision/segmentation/segment-photo';

const mediaPath = (name: string) => new URL(`../fixtures/media/${name}`, import.meta.url).pathname;
// The CLI commands build their own pool: keep them on the CPU, as the tests' own pool is.
process.env.SEAM_PROVIDERS = 'cpu';
const pool = new SessionPool({ providers: ['cpu'], logger: silentLogger });
const segmenter = createPersonSegmenter({ paths: resolvePaths(), pool, logger: silentLogger });
const tempDir = await mkdtemp(join(tmpdir(), 'seam-segmentation-'));
after(async () => {
  await pool.releaseAll();
  await rm(tempDir, { recursive: true, force: true });
});

const PHOTOS = ['astronaut.png', 'grace_hopper.jpg'] as const;
const photos = new Map<string, { image: RasterImage; person: PersonSegmentation }>();
for (const name of PHOTOS) {
  const image = await decodeImage(mediaPath(name));
  photos.set(name, { image, person: await segmenter.segment(image) });
}

interface Outline {
  width: number;
  height: number;
  evaluate: { top: number; bottom: number };
  outline: Array<[number, number]>;
}
const outlines = (JSON.parse(readFileSync(new URL('../fixtures/vision/person-outlines.json', import.meta.url), 'utf8')) as { photos: Record<string, Outline> }).photos;

/** Mean of `values` over a size×size window centred on (x, y). */
function windowMean(values: Float32Array, width: number, x: number, y: number, size = 16): number {
  let sum = 0;
  for (let j = y - size / 2; j < y + size / 2; j++) for (let i = x - size / 2; i < x + size / 2; i++) sum += values[j * width + i]!;
  return sum / (size * size);
}

function luminance(image: RasterImage): Float32Array {
  const out = new Float32Array(image.width * image.height);
  for (let i = 0; i < out.length; i++) {
    const s = i * image.channels;
    out[i] = (0.299 * image.data[s]! + 0.587 * image.data[s + 1]! + 0.114 * image.data[s + 2]!) / 255;
  }
  return out;
}

/** Central-difference gradient magnitude (0 on the border). */
function gradientMagnitude(values: Float32Array, width: number, height: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      out[i] = Math.hypot(values[i + 1]! - values[i - 1]!, values[i + width]! - values[i - width]!);
    }
  }
  return out;
}

function correlation(a: Float32Array, b: Float32Array, where: Uint8Array): number {
  let n = 0;
  let sa = 0;
  let sb = 0;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  for (let i = 0; i < a.length; i++) {
    if (!where[i]) continue;
    n++;
    sa += a[i]!;
    sb += b[i]!;
    saa += a[i]! * a[i]!;
    sbb += b[i]! * b[i]!;
    sab += a[i]! * b[i]!;
  }
  const ma = sa / n;
  const mb = sb / n;
  return (sab / n - ma * mb) / Math.sqrt((saa / n - ma * ma) * (sbb / n - mb * mb));
}

/** The hand-drawn outline's mask, and the band of ±4 px around its edge inside the evaluated rows. */
function outlineBand(name: string): { mask: Float32Array; band: Uint8Array } {
  const o = outlines[name]!;
  const hard = new Uint8Array(o.width * o.height);
  fillPolygon(hard, o.width, o.height, o.outline.flat(), 1);
  const mask = Float32Array.from(hard);
  const near = boxMean(mask, o.width, o.height, 4);
  const band = new Uint8Array(mask.length);
  for (let y = o.evaluate.top; y < Math.min(o.height, o.evaluate.bottom); y++) {
    for (let x = 0; x < o.width; x++) {
      const v = near[y * o.width + x]!;
      if (v > 0.001 && v < 0.999) band[y * o.width + x] = 1;
    }
  }
  return { mask, band };
}

describe('model choice', () => {
  it('uses the square model up to 4:3 and the landscape model from 4:3 on', () => {
    assert.equal(chooseSegmentationModel(512, 512).variant, 'square');
    assert.equal(chooseSegmentationModel(512, 600).variant, 'square', 'portrait');
    assert.equal(chooseSegmentationModel(1080, 1920).variant, 'square', 'tall video frame');
    assert.equal(chooseSegmentationModel(1279, 960).variant, 'square', 'just under 4:3');
    assert.equal(chooseSegmentationModel(1280, 960).variant, 'landscape', '4:3');
    assert.equal(chooseSegmentationModel(1280, 720).variant, 'landscape', '16:9');
    assert.equal(chooseSegmentationModel(2560, 1080).variant, 'landscape', '21:9');
  });
});

describe('box filter', () => {
  it('equals the brute-force mean over border-clipped windows', () => {
    const width = 23;
    const height = 17;
    const src = Float32Array.from({ length: width * height }, (_, i) => Math.sin(i * 12.9898) * 0.5 + 0.5);
    for (const r of [0, 1, 3, 12, 30]) {
      const fast = boxMean(src, width, height, r);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          let sum = 0;
          let n = 0;
          for (let j = Math.max(0, y - r); j <= Math.min(height - 1, y + r); j++) {
            for (let i = Math.max(0, x - r); i <= Math.min(width - 1, x + r); i++) {
              sum += src[j * width + i]!;
              n++;
            }
          }
          assert.ok(Math.abs(fast[y * width + x]! - sum / n) < 1e-5, `r ${r} at ${x},${y}`);
        }
      }
    }
  });
});

describe('guided upsampling', () => {
  // A 480×270 image, dark left of x = 200 and bright right of it, and a low-resolution "model
  // output" (60×34, 8 image pixels per value) whose soft edge is up to one of its pixels off.
  const width = 480;
  const height = 270;
  const image: RasterImage = { width, height, channels: 3, data: new Uint8Array(width * height * 3) };
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) image.data.fill(x < 200 ? 40 : 210, (y * width + x) * 3, (y * width + x) * 3 + 3);
  const lowWithEdgeAt = (edge: number): FloatMap => {
    const low: FloatMap = { width: 60, height: 34, data: new Float32Array(60 * 34) };
    for (let y = 0; y < low.height; y++) {
      for (let x = 0; x < low.width; x++) low.data[y * low.width + x] = 1 / (1 + Math.exp(((x + 0.5) * 8 - edge) / 6));
    }
    return low;
  };
  const row = (alpha: Float32Array, y: number) => alpha.subarray(y * width, (y + 1) * width);
  /** x of the largest drop between neighbours (the edge is between x − 1 and x), and its size. */
  const steepest = (values: Float32Array) => {
    let at = 0;
    let drop = -Infinity;
    for (let x = 1; x < values.length; x++) {
      if (values[x - 1]! - values[x]! > drop) {
        drop = values[x - 1]! - values[x]!;
        at = x;
      }
    }
    return { at, drop };
  };
  const halfway = (values: Float32Array) => values.findIndex((v) => v < 0.5);

  it("puts the alpha's edge on the image's edge when the model's is off by up to one of its pixels", () => {
    for (const offset of [-8, -6, -4, 4, 6, 8]) {
      const low = lowWithEdgeAt(200 + offset);
      const guided = guidedUpsample(image, low).alpha;
      const bilinear = bilinearUpsample(low, width, height);
      assert.ok(guided.every((v) => v >= 0 && v <= 1));
      for (const y of [0, 135, 269]) {
        const g = steepest(row(guided, y));
        assert.equal(g.at, 200, `offset ${offset}, row ${y}: the guided alpha's steepest step is at ${g.at}`);
        assert.ok(g.drop > 0.25, `offset ${offset}: the step at the image edge is only ${g.drop.toFixed(2)}`);
        assert.ok(Math.abs(halfway(row(bilinear, y)) - (200 + offset)) <= 2, 'bilinear keeps the model edge');
        // The half-way point moves toward the image edge too.
        assert.ok(Math.abs(halfway(row(guided, y)) - 200) < Math.abs(halfway(row(bilinear, y)) - 200), `offset ${offset}: half-way point`);
      }
    }
  });

  it('refuses nonsense options', () => {
    const low = lowWithEdgeAt(200);
    const badInput = { name: 'SeamError', code: 'BAD_INPUT' };
    assert.throws(() => guidedUpsample(image, low, { clip: 0.5 }), badInput);
    assert.throws(() => guidedUpsample(image, low, { epsilon: 0 }), badInput);
    assert.throws(() => guidedUpsample(image, { width: 4, height: 4, data: new Float32Array(3) }), badInput);
  });
});

describe('person segmentation on the photos', () => {
  it('is at image size, from the square model, with alpha in [0, 1]', () => {
    for (const name of PHOTOS) {
      const { image, person } = photos.get(name)!;
      assert.equal(person.width, image.width);
      assert.equal(person.height, image.height);
      assert.equal(person.alpha.length, image.width * image.height);
      assert.equal(person.modelId, 'selfie_segmentation', `${name} is not wider than 4:3`);
      assert.ok(person.alpha.every((v) => v >= 0 && v <= 1), name);
    }
  });

  it('is high on the face and body and low in the background corners', () => {
    const places: Record<string, { person: Array<[number, number]>; background: Array<[number, number]> }> = {
      // Face, suit, shoulder, hair; the top corners (flag, studio wall). The bottom corners hold
      // the flag and the helmet, which the model partly takes for the person.
      'astronaut.png': { person: [[225, 125], [200, 400], [120, 300], [230, 40]], background: [[8, 8], [504, 8]] },
      // Face, uniform, shoulder, cap; the top corners (flag, sky). The uniform fills the bottom.
      'grace_hopper.jpg': { person: [[265, 240], [250, 500], [100, 480], [260, 60]], background: [[8, 8], [504, 8]] },
    };
    for (const name of PHOTOS) {
      const { image, person } = photos.get(name)!;
      for (const [x, y] of places[name]!.person) assert.ok(windowMean(person.alpha, image.width, x, y) > 0.9, `${name}: person at ${x},${y}`);
      for (const [x, y] of places[name]!.background) assert.ok(windowMean(person.alpha, image.width, x, y) < 0.05, `${name}: background at ${x},${y}`);
    }
  });

  it("puts the edge on the photo's edges better than a bilinear resize", () => {
    for (const name of PHOTOS) {
      const { image, person } = photos.get(name)!;
      const { width, height } = image;
      const bilinear = bilinearUpsample(person.low, width, height);
      const { mask, band } = outlineBand(name);
      // 1. Where the photo has edges near the outline, the alpha's edges should be there too.
      const imageGradient = gradientMagnitude(luminance(image), width, height);
      const guidedCorrelation = correlation(gradientMagnitude(person.alpha, width, height), imageGradient, band);
      const bilinearCorrelation = correlation(gradientMagnitude(bilinear, width, height), imageGradient, band);
      assert.ok(guidedCorrelation > bilinearCorrelation + 0.15, `${name}: gradient correlation ${guidedCorrelation.toFixed(3)} vs bilinear ${bilinearCorrelation.toFixed(3)}`);
      // 2. Against the outline drawn by hand, the error in the band around it is smaller.
      const error = (alpha: Float32Array) => {
        let sum = 0;
        let n = 0;
        for (let i = 0; i < alpha.length; i++) {
          if (!band[i]) continue;
          sum += Math.abs(alpha[i]! - mask[i]!);
          n++;
        }
        return sum / n;
      };
      assert.ok(error(person.alpha) < error(bilinear), `${name}: outline error ${error(person.alpha).toFixed(4)} vs bilinear ${error(bilinear).toFixed(4)}`);
    }
  });

  it('is deterministic', async () => {
    const { image, person } = photos.get('astronaut.png')!;
    const again = await segmenter.segment(image);
    assert.deepEqual(again.alpha, person.alpha);
  });

  it('uses the landscape model on a 16:9 frame and still finds the person', async () => {
    const { data, info } = await sharp(mediaPath('astronaut.png'))
      .resize(405, 405)
      .extend({ left: 158, right: 157, background: { r: 128, g: 128, b: 128 } })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const frame: RasterImage = { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
    assert.deepEqual([frame.width, frame.height], [720, 405]);
    const person = await segmenter.segment(frame);
    assert.equal(person.modelId, 'selfie_segmentation_landscape');
    assert.ok(windowMean(person.alpha, frame.width, 158 + 178, 99) > 0.9, 'face');
    assert.ok(windowMean(person.alpha, frame.width, 40, 200) < 0.05, 'grey border');
  });
});

describe('seam segment', () => {
  it('writes the alpha as a grey PNG at the photo size, with provenance', async () => {
    const output = join(tempDir, 'alpha.png');
    let printed = '';
    const command = segmentCommand({ paths: resolvePaths(), logger: silentLogger, stdout: { write: (text: string) => (printed += text) } });
    await command.parseAsync([mediaPath('grace_hopper.jpg'), '-o', output], { from: 'user' });
    const { data, info } = await sharp(output).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height], [512, 600]);
    // Grey: every channel equal; white on the face, black in the sky.
    for (let i = 0; i < data.length; i += info.channels) assert.ok(data[i] === data[i + 1] && data[i] === data[i + 2]);
    assert.equal(data[(240 * 512 + 265) * info.channels], 255);
    assert.equal(data[(8 * 512 + 504) * info.channels], 0);
    const metadata = await sharp(output).metadata();
    assert.match(metadata.xmp?.toString() ?? '', /person alpha of grace_hopper\.jpg/);
    assert.match(printed, /selfie_segmentation/);
  });

  it('refuses a bad output name before doing any work', async () => {
    const command = segmentCommand({ paths: resolvePaths(), logger: silentLogger, stdout: { write: () => true } });
    await assert.rejects(command.parseAsync([mediaPath('astronaut.png'), '-o', join(tempDir, 'alpha.gif')], { from: 'user' }), /\.png, \.jpg or \.webp/);
  });
});
