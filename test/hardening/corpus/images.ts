/**
 * Bad and awkward photos, made at run time from the fixture photo (or from nothing) so no damaged
 * file is committed: truncations of every format Seam reads at several points, empty and random
 * files, wrong names, decompression bombs, absurd header sizes, broken chunks. Each case says
 * what a user must see: a refusal naming the file and the problem, or the photo opened properly.
 */
import { readFile } from 'node:fs/promises';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { SeededRandom } from '../support/seeded-random';
import type { CorpusCase } from './corpus-case';

const PHOTO = new URL('../../fixtures/media/astronaut.png', import.meta.url).pathname;
/** Small enough that every case is made in milliseconds, large enough for real entropy-coded data. */
const SIDE = 96;

/** What the decoder says about a file it cannot decode, or a declared size above the budget. */
const UNREADABLE = /is not an image Seam can read|could not be decoded \(damaged or truncated\?\)|has no readable image size/;
const TOO_LARGE = /declares \d+×\d+ pixels \(\d+ MP\), more than the 100 MP Seam opens/;

async function photoPixels(): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(await readFile(PHOTO)).resize(SIDE, SIDE).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

type Encoded = Record<'jpg' | 'png' | 'webp' | 'tiff' | 'avif', Uint8Array>;

async function encodeAll(): Promise<Encoded> {
  const { data, width, height } = await photoPixels();
  const raw = () => sharp(data, { raw: { width, height, channels: 3 } });
  return {
    jpg: await raw().jpeg({ quality: 90 }).toBuffer(),
    png: await raw().png().toBuffer(),
    webp: await raw().webp({ quality: 90 }).toBuffer(),
    tiff: await raw().tiff({ compression: 'lzw' }).toBuffer(),
    avif: await raw().avif({ quality: 60, effort: 0 }).toBuffer(),
  };
}

// ---- PNG by hand: the only way to write a header that lies --------------------------------------

function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG whose IHDR says width × height (8-bit, colour type `colour`) over the given IDAT bytes. */
function craftPng(width: number, height: number, idat: Uint8Array, colour = 2): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, colour, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', new Uint8Array())]);
}

/** Offset of the first chunk of this type in a PNG. */
function chunkOffset(png: Uint8Array, type: string): number {
  const buffer = Buffer.from(png);
  for (let offset = 8; offset + 8 <= buffer.length; offset += 12 + buffer.readUInt32BE(offset)) {
    if (buffer.toString('latin1', offset + 4, offset + 8) === type) return offset;
  }
  throw new Error(`no ${type} chunk`);
}

/** A grey 8-bit PNG of a huge size whose every row is zeros: deflate shrinks it ~1000×. */
function deflateBombPng(width: number, height: number): Buffer {
  const rows = Buffer.alloc((width + 1) * height);
  return craftPng(width, height, deflateSync(rows, { level: 9 }), 0);
}

/** The JPEG with its SOF0/SOF2 frame header claiming another size. */
function jpegWithSize(jpeg: Uint8Array, width: number, height: number): Buffer {
  const out = Buffer.from(jpeg);
  for (let i = 2; i + 9 < out.length; ) {
    if (out[i] !== 0xff) throw new Error('not a marker');
    const marker = out[i + 1]!;
    if (marker === 0xc0 || marker === 0xc2) {
      out.writeUInt16BE(height, i + 5);
      out.writeUInt16BE(width, i + 7);
      return out;
    }
    i += 2 + out.readUInt16BE(i + 2);
  }
  throw new Error('no SOF marker');
}

/** Start of the entropy-coded data (just after the SOS header). */
function jpegScanStart(jpeg: Uint8Array): number {
  const b = Buffer.from(jpeg);
  for (let i = 2; i + 4 < b.length; ) {
    if (b[i + 1] === 0xda) return i + 2 + b.readUInt16BE(i + 2);
    i += 2 + b.readUInt16BE(i + 2);
  }
  throw new Error('no SOS marker');
}

function gifHeader(width: number, height: number): Buffer {
  const b = Buffer.alloc(13);
  b.write('GIF89a', 0, 'latin1');
  b.writeUInt16LE(width, 6);
  b.writeUInt16LE(height, 8);
  return Buffer.concat([b, Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0, 0x3b])]);
}

/** A lossless-extended WebP (VP8X) whose canvas claims width × height, with no image after it. */
function webpCanvas(width: number, height: number): Buffer {
  const vp8x = Buffer.alloc(10);
  vp8x.writeUIntLE(width - 1, 4, 3);
  vp8x.writeUIntLE(height - 1, 7, 3);
  const chunk = Buffer.concat([Buffer.from('VP8X', 'latin1'), Buffer.from([10, 0, 0, 0]), vp8x]);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(4 + chunk.length, 4);
  riff.write('WEBP', 8, 'latin1');
  return Buffer.concat([riff, chunk]);
}

function cut(bytes: Uint8Array, fraction: number): Uint8Array {
  return bytes.slice(0, Math.max(1, Math.floor(bytes.length * fraction)));
}

function flip(bytes: Uint8Array, from: number, count: number, seed: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const random = new SeededRandom(seed);
  for (let i = from; i < Math.min(out.length, from + count); i++) out[i] = random.int(0, 255);
  return out;
}

export async function imageCases(): Promise<CorpusCase[]> {
  const encoded = await encodeAll();
  const cases: CorpusCase[] = [];
  const refused = (id: string, file: string, bytes: Uint8Array, message: RegExp, code: CorpusCase['code'] = 'BAD_INPUT') =>
    cases.push({ kind: 'image', id, file, bytes: () => bytes, code, message });

  for (const [ext, bytes] of Object.entries(encoded) as Array<[keyof Encoded, Uint8Array]>) {
    refused(`${ext} cut after its first 12 bytes`, `cut-12.${ext}`, bytes.slice(0, 12), UNREADABLE);
    for (const fraction of [0.25, 0.5, 0.9]) refused(`${ext} truncated at ${fraction * 100} %`, `cut-${fraction * 100}.${ext}`, cut(bytes, fraction), UNREADABLE);
  }

  refused('a zero-byte .jpg', 'empty.jpg', new Uint8Array(), /is empty \(0 bytes\)/);
  refused('4 KB of random bytes called .png', 'noise.png', new SeededRandom(7).bytes(4096), UNREADABLE);
  refused('a text file called .png', 'notes.png', new TextEncoder().encode('shopping list: eggs, milk\n'.repeat(20)), UNREADABLE);
  refused('an HTML page called .jpg', 'page.jpg', new TextEncoder().encode('<!doctype html><html><body><img src=x onerror=alert(1)></body></html>'), UNREADABLE);
  refused('a PNG declaring 50000×50000 over 40 bytes of data', 'bomb-header.png', craftPng(50_000, 50_000, deflateSync(Buffer.alloc(64))), TOO_LARGE);
  refused('a 110 MP grey PNG deflated to ~100 KB (decompression bomb)', 'bomb-deflate.png', deflateBombPng(11_000, 10_000), TOO_LARGE);
  refused('a JPEG whose frame header claims 65500×65500', 'bomb.jpg', jpegWithSize(encoded.jpg, 65_500, 65_500), TOO_LARGE);
  refused('a WebP whose VP8X canvas claims 16384×16384', 'bomb.webp', webpCanvas(16_384, 16_384), /declares|is not an image Seam can read/);
  refused('an SVG declaring 200000×200000 px', 'bomb.svg', new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="200000" height="200000"><rect width="10" height="10"/></svg>'), TOO_LARGE);
  refused('a PNG whose IHDR says width 0', 'zero-width.png', craftPng(0, 10, deflateSync(Buffer.alloc(10))), UNREADABLE);
  refused('a PNG whose IHDR says 2^31−1 × 1', 'huge-width.png', craftPng(2 ** 31 - 1, 1, deflateSync(Buffer.alloc(64))), /declares|is not an image Seam can read/);
  {
    const png = Uint8Array.from(encoded.png);
    const idat = chunkOffset(png, 'IDAT');
    const length = Buffer.from(png).readUInt32BE(idat);
    const crcAt = idat + 8 + length;
    png[crcAt] = png[crcAt]! ^ 0xff;
    refused('a PNG with a wrong IDAT CRC', 'bad-crc.png', png, UNREADABLE);
    refused('a PNG whose compressed pixel data is overwritten mid-stream', 'bad-idat.png', flip(encoded.png, idat + 8 + Math.floor(length / 2), 64, 11), UNREADABLE);
  }
  refused('a PNG with a header and no pixel data (no IDAT)', 'no-idat.png', (() => {
    const png = Buffer.from(encoded.png);
    const idat = chunkOffset(png, 'IDAT');
    return Buffer.concat([png.subarray(0, idat), pngChunk('IEND', new Uint8Array())]);
  })(), UNREADABLE);
  refused('a WebP whose VP8 data is overwritten with noise', 'bad-vp8.webp', flip(encoded.webp, 40, encoded.webp.length - 60, 13), UNREADABLE);
  refused('a TIFF whose first IFD offset points past the end', 'bad-ifd.tiff', (() => {
    const tiff = Buffer.from(encoded.tiff);
    tiff.writeUInt32LE(0x7fff_fff0, 4);
    return tiff;
  })(), UNREADABLE);

  // Awkward but valid: each opens, upright, with its real size, as 8-bit sRGB.
  const accepted = (id: string, file: string, bytes: Uint8Array, width: number, height: number) =>
    cases.push({ kind: 'image', id, file, bytes: () => bytes, accept: { width, height } });
  accepted('a PNG called .jpg opens by its content', 'really-png.jpg', encoded.png, SIDE, SIDE);
  // libvips reads the frame, not the screen size the header claims: a 1×1 photo, no bomb.
  accepted('a GIF whose screen claims 65535×65535 over a 1×1 frame', 'screen.gif', gifHeader(65_535, 65_535), 1, 1);
  // libjpeg conceals damaged entropy-coded data (as every viewer does) rather than failing; the
  // photo opens with visible blocks where the noise was, which the user sees on the canvas.
  accepted('a JPEG whose entropy-coded scan is overwritten with noise opens, damaged', 'bad-scan.jpg', flip(encoded.jpg, jpegScanStart(encoded.jpg) + 50, 400, 12), SIDE, SIDE);
  const { data } = await photoPixels();
  const raw = () => sharp(data, { raw: { width: SIDE, height: SIDE, channels: 3 } });
  accepted('a CMYK JPEG opens as sRGB', 'cmyk.jpg', await raw().toColourspace('cmyk').jpeg().toBuffer(), SIDE, SIDE);
  accepted('a 16-bit PNG opens as 8-bit', 'deep.png', await raw().toColourspace('rgb16').png().toBuffer(), SIDE, SIDE);
  accepted('an animated GIF opens on its first frame', 'animated.gif', await sharp(Buffer.concat([data, Buffer.from(data).reverse()]), { raw: { width: SIDE, height: SIDE * 2, channels: 3, pageHeight: SIDE } }).gif().toBuffer(), SIDE, SIDE);
  return cases;
}
