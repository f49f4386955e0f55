/**
 * The editor's contract methods through the real engine protocol (engine in a worker thread, as
 * the web host runs it): open a photo from its bytes, analyse it, preview and export, close.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { startEngineWorker, type EngineWorker } from '../../src/engine/host/start-worker';
import { rejectsWithSeamError } from '../support/seam-error';

const fixtures = join(process.cwd(), 'test', 'fixtures', 'media');


describe('editor methods over the engine protocol', () => {
  let engine: EngineWorker;
  let imageId = '';
  before(async () => {
    engine = startEngineWorker();
    await engine.ready;
  });
  after(() => engine?.stop());
  const call = (method: string, arg?: unknown) => engine.client.call(method, arg === undefined ? [] : [arg]);

  it('opens a photo from its bytes and returns RGBA pixels', async () => {
    const bytes = new Uint8Array(readFileSync(join(fixtures, 'grace_hopper.jpg')));
    const opened = (await call('openImage', { name: '/some/where/grace_hopper.jpg', bytes })) as {
      imageId: string; name: string; width: number; height: number; format: string; pixels: Uint8Array;
    };
    assert.match(opened.imageId, /^img-/);
    assert.deepEqual([opened.name, opened.width, opened.height, opened.format], ['grace_hopper.jpg', 512, 600, 'jpeg']);
    assert.equal(opened.pixels.length, 512 * 600 * 4);
    assert.equal(opened.pixels[3], 255);
    imageId = opened.imageId;
  });

  it('analyses it: one face with 468 landmarks, a label map and a person alpha at image size', async () => {
    const result = (await call('analyzeImage', { imageId })) as {
      faces: Array<{ landmarks: Float32Array | null; score: number }>;
      labels: { width: number; height: number; data: Uint8Array };
      person: Uint8Array;
    };
    assert.equal(result.faces.length, 1);
    assert.equal(result.faces[0]!.landmarks?.length, 468 * 2);
    assert.deepEqual([result.labels.width, result.labels.height], [512, 600]);
    assert.ok(result.labels.data.includes(1), 'skin is labelled');
    assert.equal(result.person.length, 512 * 600);
    assert.ok(result.person[300 * 512 + 256]! > 200, 'the middle of the photo is the person');
  });

  it('exports with Seam provenance, and a preview of no steps is the photo itself', async () => {
    const preview = (await call('previewEdit', { imageId, steps: [] })) as { pixels: Uint8Array; region: Uint8Array };
    const opened = (await call('openImage', { name: 'again.jpg', bytes: new Uint8Array(readFileSync(join(fixtures, 'grace_hopper.jpg'))) })) as { pixels: Uint8Array };
    assert.deepEqual(preview.pixels, opened.pixels);
    assert.ok(preview.region.every((v) => v === 0));
    const exported = (await call('exportImage', { imageId, steps: [], format: 'png' })) as { name: string; bytes: Uint8Array };
    assert.equal(exported.name, 'grace_hopper-seam.png');
    const meta = await sharp(exported.bytes).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 512, 600]);
    assert.match(meta.xmp?.toString() ?? '', /Seam/);
  });

  it('refuses bad input with clear messages', async () => {
    await rejectsWithSeamError(call('openImage', { name: 'notes.jpg', bytes: new TextEncoder().encode('not a photo') }), 'BAD_INPUT', /notes\.jpg is not an image/);
    await rejectsWithSeamError(call('openImage', { name: 'empty.png', bytes: new Uint8Array(0) }), 'BAD_INPUT', /empty\.png is empty/);
    await rejectsWithSeamError(call('previewEdit', { imageId, steps: [{ processor: 'no-such', options: {} }] }), 'NOT_FOUND', /No processor "no-such"/);
    await rejectsWithSeamError(
      call('previewEdit', { imageId, steps: [], labels: { width: 2, height: 2, data: new Uint8Array(4) } }),
      'BAD_INPUT',
      /2×2, but grace_hopper\.jpg is 512×600/,
    );
    await rejectsWithSeamError(call('analyzeImage', { imageId: 'not-an-id' }), 'VALIDATION', /imageId/);
    await rejectsWithSeamError(call('openImage', { name: 'x.png', bytes: 'a string' }), 'VALIDATION', /bytes/);
  });

  it('forgets a closed photo', async () => {
    assert.equal(await call('closeImage', { imageId }), true);
    await rejectsWithSeamError(call('analyzeImage', { imageId }), 'NOT_FOUND', /no longer open/);
  });
});

describe('engine keeps what it caches when replies are transferred', () => {
  it('analysing twice gives the same label map (the first reply did not detach the cache)', async () => {
    const engine = startEngineWorker();
    await engine.ready;
    try {
      const bytes = new Uint8Array(readFileSync(join(fixtures, 'astronaut.png')));
      const { imageId } = (await engine.client.call('openImage', [{ name: 'astronaut.png', bytes }])) as { imageId: string };
      const first = (await engine.client.call('analyzeImage', [{ imageId }])) as { labels: { data: Uint8Array } };
      const second = (await engine.client.call('analyzeImage', [{ imageId }])) as { labels: { data: Uint8Array } };
      assert.equal(second.labels.data.length, 512 * 512);
      assert.deepEqual(second.labels.data, first.labels.data);
    } finally {
      await engine.stop();
    }
  });
});
