import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/engine/context';
import { createEditDeps } from '../../src/engine/edit/edit-deps';
import type { FrameAnalysis } from '../../src/engine/edit/frame-analysis';
import { gaussianBlur } from '../../src/engine/edit/pixel/blend/gaussian-blur';
import { rgbToLab } from '../../src/engine/edit/pixel/color/color-space';
import type { ProcessContext } from '../../src/engine/edit/processor';
import { attributesProcessor } from '../../src/engine/edit/processors/attributes/attributes';
import { decodeImage } from '../../src/engine/image/decode';
import type { RasterImage } from '../../src/engine/image/image';
import { SessionPool } from '../../src/engine/inference/session-pool';
import { resolvePaths } from '../../src/engine/paths';
import { labelMask, type LabelMap } from '../../src/engine/vision/label-map/label-map';
import type { LabelName } from '../../src/shared/labels';

const media = (name: string) => join(process.cwd(), 'test', 'fixtures', 'media', name);

/** Grows (radius > 0) or shrinks (radius < 0) a 0/255 mask by a square of |radius| pixels. */
function morph(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const grow = radius > 0;
  const r = Math.abs(radius);
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let hit = !grow;
      for (let dy = -r; dy <= r && hit !== grow; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const yy = Math.min(height - 1, Math.max(0, y + dy));
          const xx = Math.min(width - 1, Math.max(0, x + dx));
          if ((mask[yy * width + xx]! > 0) === grow) {
            hit = grow;
            break;
          }
        }
      }
      out[y * width + x] = hit ? 255 : 0;
    }
  }
  return out;
}

function luminance(image: RasterImage): Float32Array {
  const out = new Float32Array(image.width * image.height);
  for (let i = 0; i < out.length; i++) out[i] = 0.299 * image.data[i * 3]! + 0.587 * image.data[i * 3 + 1]! + 0.114 * image.data[i * 3 + 2]!;
  return out;
}

/** Mean L, a, b over a mask, and the hue angle of the mean chroma in degrees. */
function meanLab(image: RasterImage, mask: Uint8Array): { L: number; a: number; b: number; hue: number } {
  const lab = [0, 0, 0];
  let sum = { L: 0, a: 0, b: 0, n: 0 };
  for (let p = 0; p < mask.length; p++) {
    if (!mask[p]) continue;
    rgbToLab(image.data[p * 3]!, image.data[p * 3 + 1]!, image.data[p * 3 + 2]!, lab);
    sum = { L: sum.L + lab[0]!, a: sum.a + lab[1]!, b: sum.b + lab[2]!, n: sum.n + 1 };
  }
  const [L, a, b] = [sum.L / sum.n, sum.a / sum.n, sum.b / sum.n];
  return { L, a, b, hue: (Math.atan2(b, a) * 180) / Math.PI };
}

const hueDifference = (to: number, from: number) => ((((to - from) % 360) + 540) % 360) - 180;

function variance(values: Float32Array, mask: Uint8Array): number {
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (let p = 0; p < mask.length; p++) {
    if (!mask[p]) continue;
    sum += values[p]!;
    sq += values[p]! * values[p]!;
    n++;
  }
  return sq / n - (sum / n) ** 2;
}

describe('attributes processor: appearance', () => {
  const pool = new SessionPool({ logger: silentLogger, providers: ['cpu'] });
  const deps = createEditDeps(resolvePaths(), silentLogger, pool);
  const ctx: ProcessContext = { logger: silentLogger, loadPhoto: () => Promise.reject(new Error('no photos here')) };
  const photos = new Map<string, { image: RasterImage; analysis: FrameAnalysis; labels: LabelMap }>();
  after(() => pool.releaseAll());
  before(async () => {
    for (const name of ['astronaut.png', 'grace_hopper.jpg']) {
      const image = await decodeImage(media(name));
      const analysis = deps.analyzer.analyze(image);
      photos.set(name, { image, analysis, labels: await analysis.labels() });
    }
  });
  const instance = attributesProcessor.create(deps);
  const run = (name: string, raw: Record<string, unknown>, on = instance) => {
    const { image, analysis } = photos.get(name)!;
    return on.process({ image, analysis, index: 0 }, attributesProcessor.parseOptions(raw), ctx);
  };
  const mask = (name: string, labels: LabelName[], grow = 0) => {
    const { labels: map } = photos.get(name)!;
    const hard = labelMask(map, labels);
    return grow === 0 ? hard : morph(hard, map.width, map.height, grow);
  };

  it('hair hue turns the hair colour round the wheel and leaves the skin as it is', async () => {
    const { image } = photos.get('astronaut.png')!;
    const hair = mask('astronaut.png', ['hair'], -2);
    const before = meanLab(image, hair);
    for (const shift of [60, -90]) {
      const result = await run('astronaut.png', { hairHue: shift });
      const turned = hueDifference(meanLab(result.image, hair).hue, before.hue);
      assert.ok(Math.abs(turned - shift) < 10, `hair hue turned ${turned.toFixed(1)}° for ${shift}°`);
      const nearHair = mask('astronaut.png', ['hair'], 8);
      const skin = mask('astronaut.png', ['skin', 'nose']);
      let kept = 0;
      let total = 0;
      for (let p = 0; p < skin.length; p++) {
        if (!skin[p]) continue;
        total++;
        if (nearHair[p]) continue;
        kept++;
        for (let c = 0; c < 3; c++) assert.equal(result.image.data[p * 3 + c], image.data[p * 3 + c], 'skin away from the hairline changed');
      }
      assert.ok(kept > 0.7 * total, `${kept} of ${total} skin pixels checked`);
    }
  });

  it('skin smoothing lowers mid-frequency variation in the skin and keeps the eye and lip edges', async () => {
    const { image, labels } = photos.get('grace_hopper.jpg')!;
    const result = await run('grace_hopper.jpg', { skinSmoothing: 100 });
    const skin = mask('grace_hopper.jpg', ['skin'], -3);
    const band = (img: RasterImage) => {
      const y = { width: img.width, height: img.height, data: luminance(img) };
      const fine = gaussianBlur(y, 1).data;
      const wide = gaussianBlur(y, 5).data;
      const mid = new Float32Array(fine.length);
      const pores = new Float32Array(fine.length);
      for (let i = 0; i < mid.length; i++) {
        mid[i] = fine[i]! - wide[i]!;
        pores[i] = y.data[i]! - fine[i]!;
      }
      return { mid, pores };
    };
    const was = band(image);
    const now = band(result.image);
    const midRatio = variance(now.mid, skin) / variance(was.mid, skin);
    const poreRatio = variance(now.pores, skin) / variance(was.pores, skin);
    assert.ok(midRatio < 0.75, `mid-frequency variance in the skin kept at ${(midRatio * 100).toFixed(0)} %`);
    assert.ok(poreRatio > 0.3, `pore-scale variance kept at ${(poreRatio * 100).toFixed(0)} %`);
    // Edges: pixels on the boundary of the eyes and lips.
    const features = labelMask(labels, ['l_eye', 'r_eye', 'u_lip', 'l_lip']);
    const boundary = new Uint8Array(features.length);
    const grown = morph(features, labels.width, labels.height, 1);
    const shrunk = morph(features, labels.width, labels.height, -1);
    for (let p = 0; p < boundary.length; p++) boundary[p] = grown[p] && !shrunk[p] ? 255 : 0;
    const gradient = (img: RasterImage) => {
      const y = luminance(img);
      let sum = 0;
      for (let p = 0; p < boundary.length; p++) {
        if (!boundary[p]) continue;
        const w = img.width;
        sum += Math.hypot(y[p + 1]! - y[p - 1]!, y[p + w]! - y[p - w]!);
      }
      return sum;
    };
    const edgeRatio = gradient(result.image) / gradient(image);
    assert.ok(edgeRatio >= 0.8, `eye and lip edges keep ${(edgeRatio * 100).toFixed(0)} % of their gradient`);
  });

  it('lips, brows, skin tone and teeth move their colour the way their sliders say', async () => {
    const { image } = photos.get('astronaut.png')!;
    const lips = mask('astronaut.png', ['u_lip', 'l_lip'], -1);
    const lipHue = meanLab((await run('astronaut.png', { lipHue: 40 })).image, lips).hue - meanLab(image, lips).hue;
    assert.ok(Math.abs(lipHue - 40) < 10, `lip hue turned ${lipHue.toFixed(1)}°`);
    const brows = mask('astronaut.png', ['l_brow', 'r_brow']);
    assert.ok(meanLab((await run('astronaut.png', { browDarkness: 100 })).image, brows).L < meanLab(image, brows).L - 2);
    assert.ok(meanLab((await run('astronaut.png', { browDarkness: -100 })).image, brows).L > meanLab(image, brows).L + 2);
    const skin = mask('astronaut.png', ['skin'], -2);
    assert.ok(meanLab((await run('astronaut.png', { skinTone: 100 })).image, skin).b > meanLab(image, skin).b + 4, 'warmer: more yellow');
    assert.ok(meanLab((await run('astronaut.png', { skinTone: -100 })).image, skin).b < meanLab(image, skin).b - 4, 'cooler: less yellow');
    // The smile shows teeth: the mouth's bright pixels get less yellow and lighter.
    const mouth = mask('astronaut.png', ['mouth']);
    const teeth = new Uint8Array(mouth.length);
    const lab = [0, 0, 0];
    for (let p = 0; p < mouth.length; p++) {
      rgbToLab(image.data[p * 3]!, image.data[p * 3 + 1]!, image.data[p * 3 + 2]!, lab);
      teeth[p] = mouth[p] && lab[0]! > 65 ? 255 : 0;
    }
    const whiter = meanLab((await run('astronaut.png', { teethWhitening: 100 })).image, teeth);
    const was = meanLab(image, teeth);
    assert.ok(whiter.b < was.b * 0.6 && whiter.L > was.L, `teeth b* ${was.b.toFixed(1)} → ${whiter.b.toFixed(1)}, L ${was.L.toFixed(1)} → ${whiter.L.toFixed(1)}`);
  });

  it('gives the same pixels after a drag (incremental repaint) as a fresh instance', async () => {
    const dragged = attributesProcessor.create(deps);
    const steps = [
      { hairHue: 30, skinSmoothing: 50, smile: 20 },
      { hairHue: 80, skinSmoothing: 50, smile: 20 },
      { hairHue: 0, skinSmoothing: 50, lipHue: 20, smile: 40 },
      { hairHue: 0, skinSmoothing: 0, lipHue: 20, teethWhitening: 70 },
    ];
    for (const step of steps) {
      const incremental = await run('astronaut.png', step, dragged);
      const fresh = await run('astronaut.png', step, attributesProcessor.create(deps));
      assert.deepEqual(incremental.image.data, fresh.image.data, JSON.stringify(step));
      assert.deepEqual(incremental.region, fresh.region, JSON.stringify(step));
    }
  });
});
