import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { decodeImage, readImageInfo } from '../../src/engine/image/decode';
import { encodeImageFile } from '../../src/engine/image/encode';
import { SeamError } from '../../src/shared/errors';

const fixtures = join(process.cwd(), 'test', 'fixtures', 'media');
const scratch = () => mkdtempSync(join(tmpdir(), 'seam-image-'));

/** A PNG whose header claims width × height, with one tiny compressed row: a decompression bomb's shape. */
function pngClaiming(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1 + width * 3))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function rejectsBadInput(promise: Promise<unknown>, pattern: RegExp) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof SeamError, `expected a SeamError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('image decode', () => {
  it('decodes the real photos as upright RGB', async () => {
    const astronaut = await decodeImage(join(fixtures, 'astronaut.png'));
    assert.deepEqual([astronaut.width, astronaut.height, astronaut.channels], [512, 512, 3]);
    assert.equal(astronaut.data.length, 512 * 512 * 3);
    const hopper = await decodeImage(join(fixtures, 'grace_hopper.jpg'));
    assert.deepEqual([hopper.width, hopper.height], [512, 600]);
  });

  it('applies EXIF orientation', async () => {
    const dir = scratch();
    const file = join(dir, 'rotated.jpg');
    // 40×20, left half red, stored with orientation 6 (rotate 90° clockwise to view).
    const pixels = Buffer.alloc(40 * 20 * 3);
    for (let y = 0; y < 20; y++) for (let x = 0; x < 20; x++) pixels[(y * 40 + x) * 3] = 255;
    await sharp(pixels, { raw: { width: 40, height: 20, channels: 3 } }).withMetadata({ orientation: 6 }).jpeg().toFile(file);
    const info = await readImageInfo(file);
    assert.deepEqual([info.width, info.height, info.orientation], [20, 40, 6]);
    const image = await decodeImage(file);
    assert.deepEqual([image.width, image.height], [20, 40]);
    // After a clockwise turn the red half is on top.
    assert.ok(image.data[(2 * 20 + 10) * 3]! > 200, 'top should be red');
    assert.ok(image.data[(37 * 20 + 10) * 3]! < 60, 'bottom should not be red');
  });

  it('refuses missing, empty, non-image and truncated files, naming the file', async () => {
    const dir = scratch();
    await rejectsBadInput(decodeImage(join(dir, 'nope.jpg')), /nope\.jpg does not exist/);
    writeFileSync(join(dir, 'empty.png'), '');
    await rejectsBadInput(decodeImage(join(dir, 'empty.png')), /empty\.png is empty/);
    writeFileSync(join(dir, 'notes.jpg'), 'these are my notes, not a photo');
    await rejectsBadInput(decodeImage(join(dir, 'notes.jpg')), /notes\.jpg is not an image/);
    const jpeg = readFileSync(join(fixtures, 'grace_hopper.jpg'));
    writeFileSync(join(dir, 'cut.jpg'), jpeg.subarray(0, jpeg.length / 2));
    await rejectsBadInput(decodeImage(join(dir, 'cut.jpg')), /cut\.jpg could not be decoded/);
  });

  it('refuses an absurd declared size before allocating pixels', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'bomb.png'), pngClaiming(60_000, 60_000));
    const before = process.memoryUsage().rss;
    await rejectsBadInput(decodeImage(join(dir, 'bomb.png')), /bomb\.png declares 60000×60000 pixels/);
    assert.ok(process.memoryUsage().rss - before < 200 * 2 ** 20, 'no large allocation happened');
  });
});

describe('image encode', () => {
  it('writes PNG, JPEG and WebP with Seam’s provenance, atomically', async () => {
    const dir = scratch();
    const image = await decodeImage(join(fixtures, 'astronaut.png'));
    for (const name of ['out.png', 'out.jpg', 'out.webp']) {
      const path = join(dir, name);
      await encodeImageFile(path, image, { provenance: { software: 'Seam 0.1.0', operations: ['test <op> & more'] } });
      const meta = await sharp(path).metadata();
      assert.equal(meta.width, 512);
      const xmp = meta.xmp?.toString('utf8') ?? '';
      assert.match(xmp, /Seam 0\.1\.0/);
      assert.match(xmp, /test &#60;op&#62; &#38; more/);
    }
    assert.deepEqual(readdirSync(dir).sort(), ['out.jpg', 'out.png', 'out.webp']);
  });

  it('never overwrites its input and refuses unknown formats, leaving nothing behind', async () => {
    const dir = scratch();
    const input = join(dir, 'in.png');
    const image = await decodeImage(join(fixtures, 'astronaut.png'));
    await encodeImageFile(input, image, { provenance: { software: 'Seam', operations: [] } });
    const original = readFileSync(input);
    await rejectsBadInput(
      encodeImageFile(input, image, { provenance: { software: 'Seam', operations: [] }, protect: [input] }),
      /Refusing to overwrite the input/,
    );
    await rejectsBadInput(encodeImageFile(join(dir, 'x.gifx'), image, { provenance: { software: 'Seam', operations: [] } }), /\.png, \.jpg or \.webp/);
    assert.deepEqual(readFileSync(input), original);
    assert.deepEqual(readdirSync(dir), ['in.png']);
  });
});
