/**
 * previewEdit with `crop`: the engine sends only the box around what the edit changed, and that
 * box pasted over the photo is the same picture as the whole-frame preview. Through the real
 * engine protocol (a worker thread, as the web host runs it) on grace_hopper.jpg.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEngineWorker, type EngineWorker } from '../../src/engine/host/start-worker';

interface Preview {
  width: number;
  height: number;
  box?: { x: number; y: number; width: number; height: number };
  pixels: Uint8Array;
  region: Uint8Array;
}

describe('previewEdit cut to the changed box', () => {
  let engine: EngineWorker;
  let imageId = '';
  let photo: Uint8Array;
  before(async () => {
    engine = startEngineWorker();
    await engine.ready;
    const bytes = new Uint8Array(readFileSync(join(process.cwd(), 'test', 'fixtures', 'media', 'grace_hopper.jpg')));
    const opened = (await engine.client.call('openImage', [{ name: 'grace_hopper.jpg', bytes }])) as { imageId: string; pixels: Uint8Array };
    imageId = opened.imageId;
    photo = opened.pixels;
  });
  after(() => engine?.stop());
  const preview = (args: Record<string, unknown>) => engine.client.call('previewEdit', [{ imageId, ...args }]) as Promise<Preview>;

  it('sends the eyes edit as a small box that, pasted over the photo, is the whole-frame preview', async () => {
    const steps = [{ processor: 'attributes', options: { eyeSize: 60 } }];
    const [whole, cut] = await Promise.all([preview({ steps }), preview({ steps, crop: true })]);
    assert.equal(whole.box, undefined, 'callers that do not ask get whole frames, as before');
    const box = cut.box!;
    assert.deepEqual([cut.width, cut.height], [512, 600]);
    assert.ok(box.width > 20 && box.height > 10, `box ${JSON.stringify(box)}`);
    assert.ok(box.width * box.height < 512 * 600 * 0.25, `an eyes edit touches far less than the photo: ${JSON.stringify(box)}`);
    assert.equal(cut.pixels.length, box.width * box.height * 4);
    assert.equal(cut.region.length, box.width * box.height);

    // What the canvas shows: the photo, with the preview's pixels where its region is above 0.
    const shown = (p: Preview) => {
      const out = photo.slice();
      const b = p.box ?? { x: 0, y: 0, width: p.width, height: p.height };
      for (let y = 0; y < b.height; y++) {
        for (let x = 0; x < b.width; x++) {
          if (p.region[y * b.width + x] === 0) continue;
          const from = (y * b.width + x) * 4;
          out.set(p.pixels.subarray(from, from + 4), ((b.y + y) * p.width + b.x + x) * 4);
        }
      }
      return out;
    };
    const fromWhole = shown(whole);
    assert.ok(!fromWhole.every((v, i) => v === photo[i]), 'the edit changed the photo');
    assert.deepEqual(shown(cut), fromWhole);
    // Tight: nothing in the whole-frame region lies outside the box.
    for (let y = 0; y < whole.height; y++) {
      for (let x = 0; x < whole.width; x++) {
        const inside = x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height;
        if (!inside && whole.region[y * whole.width + x]! > 0) assert.fail(`region at ${x},${y} outside the box ${JSON.stringify(box)}`);
      }
    }
  });

  it('sends an empty box when nothing changes', async () => {
    const cut = await preview({ steps: [], crop: true });
    assert.deepEqual(cut.box, { x: 0, y: 0, width: 0, height: 0 });
    assert.equal(cut.pixels.length, 0);
  });
});
