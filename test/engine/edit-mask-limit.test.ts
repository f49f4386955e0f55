/**
 * A user mask limits an edit: through the real engine protocol, an attribute edit on
 * grace_hopper.jpg with a mask over the left half of the photo changes pixels only there. Outside
 * the mask every byte is the source's; where the mask is full the result is the unlimited edit's;
 * a half-painted mask gives a result between the two. A mask of the wrong size is refused.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEngineWorker, type EngineWorker } from '../../src/engine/host/start-worker';
import { SeamError } from '../../src/shared/errors';

const fixtures = join(process.cwd(), 'test', 'fixtures', 'media');

interface Preview {
  width: number;
  height: number;
  pixels: Uint8Array;
  region: Uint8Array;
}

describe('an edit limited to a mask', () => {
  let engine: EngineWorker;
  let imageId = '';
  let source: Uint8Array;
  let width = 0;
  let height = 0;
  const edit = { processor: 'attributes', options: { faceWidth: 80, skinSmoothing: 70, eyeSize: 60, lipSaturation: 50 } };
  const call = <T>(method: string, arg: unknown) => engine.client.call(method, [arg]) as Promise<T>;

  before(async () => {
    engine = startEngineWorker();
    await engine.ready;
    const opened = await call<{ imageId: string; width: number; height: number; pixels: Uint8Array }>('openImage', {
      name: 'grace_hopper.jpg',
      bytes: new Uint8Array(readFileSync(join(fixtures, 'grace_hopper.jpg'))),
    });
    ({ imageId, width, height } = opened);
    source = opened.pixels;
  });
  after(() => engine?.stop());

  it('changes pixels only where the mask is painted, blending by its value', async () => {
    // Left third fully painted, middle third at half strength, right third unpainted: the face
    // spans all three, so the edit has something to change in each.
    const third = Math.floor(width / 3);
    const data = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = x < third ? 255 : x < 2 * third ? 128 : 0;
    const [free, limited] = await Promise.all([
      call<Preview>('previewEdit', { imageId, steps: [edit] }),
      call<Preview>('previewEdit', { imageId, steps: [{ ...edit, mask: { width, height, data } }] }),
    ]);
    const changed = { full: 0, half: 0 };
    let between = 0;
    for (let p = 0; p < width * height; p++) {
      const m = data[p]!;
      for (let c = 0; c < 4; c++) {
        const i = p * 4 + c;
        if (m === 0) {
          assert.equal(limited.pixels[i], source[i], `pixel ${p % width},${Math.floor(p / width)} changed outside the mask`);
        } else if (m === 255) {
          assert.equal(limited.pixels[i], free.pixels[i], `pixel ${p % width},${Math.floor(p / width)} differs from the unlimited edit under a full mask`);
          if (c === 0 && limited.pixels[i] !== source[i]) changed.full++;
        } else if (c < 3 && free.pixels[i] !== source[i]) {
          const lo = Math.min(source[i]!, free.pixels[i]!);
          const hi = Math.max(source[i]!, free.pixels[i]!);
          assert.ok(limited.pixels[i]! >= lo && limited.pixels[i]! <= hi, `half-masked pixel ${p} is not between the source and the edit`);
          if (Math.abs(free.pixels[i]! - source[i]!) >= 4 && limited.pixels[i] !== free.pixels[i] && limited.pixels[i] !== source[i]) between++;
          if (c === 0 && limited.pixels[i] !== source[i]) changed.half++;
        }
      }
      if (m === 0) assert.equal(limited.region[p], 0, 'the region stays inside the mask');
      else assert.ok(limited.region[p]! <= free.region[p]!, 'a mask never grows the region');
    }
    assert.ok(changed.full > 500, `${changed.full} pixels changed under the full mask`);
    assert.ok(changed.half > 500, `${changed.half} pixels changed under the half mask`);
    assert.ok(between > 100, `${between} half-masked values lie strictly between the source and the edit`);
  });

  it('refuses a mask that is not the photo’s size, naming both sizes', async () => {
    await assert.rejects(
      call('previewEdit', { imageId, steps: [{ ...edit, mask: { width: 4, height: 4, data: new Uint8Array(16) } }] }),
      (error: unknown) => error instanceof SeamError && error.code === 'BAD_INPUT' && /4×4, but the photo is 512×600/.test(error.message),
    );
    await assert.rejects(
      call('previewEdit', { imageId, steps: [{ ...edit, mask: { width: 4, height: 4, data: new Uint8Array(3) } }] }),
      (error: unknown) => error instanceof SeamError && error.code === 'VALIDATION' && /mask data must hold/.test(error.message),
    );
  });
});
