/**
 * The .seam project file: what is written reads back the same (the photo byte for byte, every
 * mask, the layers' properties and order, edit options with their seed, the mask an edit is
 * limited to), and every kind of bad file is refused with a message naming the file and the
 * problem: not a zip, a zip that is no Seam project, a damaged one, one from a newer Seam.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { SeamError } from '../../src/shared/errors';
import {
  PROJECT_FORMAT_VERSION,
  crc32,
  looksLikeProject,
  parseProject,
  projectFileName,
  writeProject,
  type SeamProject,
} from '../../src/shared/project-format';

const hashing = { sha256: async (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex') };
const photoBytes = new Uint8Array(readFileSync(join(process.cwd(), 'test', 'fixtures', 'media', 'astronaut.png')));
const [W, H] = [512, 512];

function project(): SeamProject {
  const hair = new Uint8Array(W * H);
  for (let y = 40; y < 200; y++) hair.fill(255, y * W + 150, y * W + 380);
  const painted = new Uint8Array(W * H);
  for (let y = 300; y < 340; y++) for (let x = 20; x < 90; x++) painted[y * W + x] = (x * 7 + y) % 256;
  return {
    appVersion: '0.1.0',
    source: { name: 'astronaut.png', width: W, height: H, bytes: photoBytes },
    photos: [],
    layers: [
      { id: 'layer-1', kind: 'semantic', name: 'Hair', group: 'Face 1', visible: true, opacity: 0.4, locked: true, color: [255, 0, 0], label: 13, face: 0, mask: hair },
      { id: 'layer-2', kind: 'mask', name: 'My mask', group: 'Masks', visible: false, opacity: 0.6, locked: false, color: [64, 200, 255], label: null, face: null, mask: painted },
      { id: 'layer-7', kind: 'edit', name: 'Attributes', group: 'Edits', visible: true, opacity: 0.75, locked: false, processor: 'attributes', options: { smile: 40, hairHue: -20, seed: 1234 }, limitTo: 'layer-2' },
    ],
    faces: [{ x: 160, y: 60, width: 200, height: 240 }],
    semanticEdited: true,
    settings: { activeLayerId: 'layer-2', soloLayerId: null },
  };
}

async function refused(bytes: Uint8Array, pattern: RegExp): Promise<void> {
  await assert.rejects(parseProject('work.seam', bytes, hashing), (error: unknown) => {
    assert.ok(error instanceof SeamError, String(error));
    assert.equal(error.code, 'BAD_INPUT');
    assert.match(error.message, /^work\.seam /);
    assert.match(error.message, pattern);
    return true;
  });
}

/** Rewrites one entry of a written project (for damage that passes the zip's own checks). */
function withEntry(bytes: Uint8Array, name: string, data: Uint8Array | null): Uint8Array {
  const entries: Record<string, Uint8Array> = unzipSync(bytes);
  if (data) entries[name] = data;
  else delete entries[name];
  return zipSync(entries);
}

function manifestOf(bytes: Uint8Array): Record<string, unknown> {
  return JSON.parse(strFromU8(unzipSync(bytes)['project.json']!)) as Record<string, unknown>;
}

describe('.seam project format', () => {
  it('reads back what it wrote: photo, masks, layer order and properties, options and seed, mask limit, settings', async () => {
    const original = project();
    const bytes = await writeProject(original, hashing);
    assert.ok(looksLikeProject('anything.bin', bytes), 'a project is recognised by its bytes');
    const back = await parseProject('work.seam', bytes, hashing);
    assert.deepEqual(back.source.bytes, photoBytes);
    assert.deepEqual(back, { ...original, source: { ...original.source, bytes: back.source.bytes } });
    const manifest = manifestOf(bytes);
    assert.equal(manifest.format, 'seam-project');
    assert.equal(manifest.formatVersion, PROJECT_FORMAT_VERSION);
    assert.equal((manifest.source as { sha256: string }).sha256, await hashing.sha256(photoBytes));
    // Masks are mostly empty: the zip keeps them small.
    assert.ok(bytes.length < photoBytes.length + 40_000, `project is ${bytes.length} bytes for a ${photoBytes.length}-byte photo`);
  });

  it("carries the other photos the edits take (a face swap's source), and still reads a format-1 project, which has none", async () => {
    const hopper = new Uint8Array(readFileSync(join(process.cwd(), 'test', 'fixtures', 'media', 'grace_hopper.jpg')));
    const withSource: SeamProject = { ...project(), photos: [{ ref: 'img-7', name: 'grace hopper.jpg', bytes: hopper }] };
    withSource.layers.push({ id: 'layer-8', kind: 'edit', name: 'Face swap', group: 'Edits', visible: true, opacity: 1, locked: false, processor: 'face-swap', options: { source: 'image:img-7' }, limitTo: null });
    const bytes = await writeProject(withSource, hashing);
    const back = await parseProject('work.seam', bytes, hashing);
    assert.deepEqual(back.photos, withSource.photos);
    assert.deepEqual(back.layers.at(-1), withSource.layers.at(-1));
    const entry = (manifestOf(bytes).photos as Array<{ entry: string }>)[0]!.entry;
    assert.equal(entry, 'photos/1-grace_hopper.jpg');

    const another = hopper.slice();
    another[500]! ^= 0xff;
    await refused(withEntry(bytes, entry, another), /the embedded photo grace hopper\.jpg is not the one the project was saved with/);
    await refused(withEntry(bytes, entry, null), /is damaged: photos\/1-grace_hopper\.jpg is missing/);
    const twice = manifestOf(bytes);
    twice.photos = [...(twice.photos as unknown[]), ...(twice.photos as unknown[])];
    await refused(withEntry(bytes, 'project.json', strToU8(JSON.stringify(twice))), /two embedded photos stand for img-7/);

    // A project from before photos were carried: format 1, no `photos`.
    const old = manifestOf(await writeProject(project(), hashing));
    delete old.photos;
    old.formatVersion = 1;
    const oldBytes = withEntry(await writeProject(project(), hashing), 'project.json', strToU8(JSON.stringify(old)));
    assert.deepEqual((await parseProject('old.seam', oldBytes, hashing)).photos, []);
  });

  it('names the project after the photo', () => {
    assert.equal(projectFileName('portrait.final.jpg'), 'portrait.final.seam');
    assert.equal(projectFileName('noext'), 'noext.seam');
  });

  it('refuses a file that is not a zip', async () => {
    await refused(photoBytes, /is not a Seam project: it is not a zip file/);
    await refused(new Uint8Array(0), /not a zip file/);
  });

  it('refuses a zip that is not a Seam project', async () => {
    await refused(zipSync({ 'readme.txt': strToU8('hello') }), /is not a Seam project: it holds no project\.json/);
    await refused(zipSync({ 'project.json': strToU8(JSON.stringify({ format: 'other-app', formatVersion: 1 })) }), /names another format/);
  });

  it('refuses a project from a newer Seam, saying which format it has and which it reads', async () => {
    const bytes = await writeProject(project(), hashing);
    const newer = { ...manifestOf(bytes), formatVersion: PROJECT_FORMAT_VERSION + 1, somethingNew: true };
    await refused(
      withEntry(bytes, 'project.json', strToU8(JSON.stringify(newer))),
      new RegExp(`made by a newer Seam \\(format ${PROJECT_FORMAT_VERSION + 1}\\); this Seam reads up to ${PROJECT_FORMAT_VERSION}`),
    );
  });

  it('refuses a damaged project: bad CRC, truncated, missing entries, a mask of the wrong size, another photo, bad fields', async () => {
    const bytes = await writeProject(project(), hashing);
    // Flip a byte inside the stored (uncompressed) photo: the zip still opens, its CRC-32 does not match.
    const flipped = bytes.slice();
    const at = findBytes(flipped, photoBytes.subarray(1000, 1032));
    assert.ok(at > 0);
    flipped[at + 5]! ^= 0xff;
    await refused(flipped, /is damaged: source\/astronaut\.png fails its CRC check/);
    await refused(bytes.subarray(0, bytes.length - 30), /is damaged: its zip directory cannot be read/);

    await refused(withEntry(bytes, 'masks/layer-2.u8', null), /is damaged: the mask of “My mask” \(masks\/layer-2\.u8\) is missing/);
    await refused(withEntry(bytes, 'source/astronaut.png', null), /is damaged: source\/astronaut\.png is missing/);
    await refused(withEntry(bytes, 'masks/layer-1.u8', new Uint8Array(100 * 100)), /the mask of “Hair” holds 10000 values; the photo is 512×512/);
    const other = new Uint8Array(readFileSync(join(process.cwd(), 'test', 'fixtures', 'media', 'grace_hopper.jpg')));
    await refused(withEntry(bytes, 'source/astronaut.png', other), /the embedded photo astronaut\.png is not the one the project was saved with/);

    const manifest = manifestOf(bytes);
    const layers = manifest.layers as Array<Record<string, unknown>>;
    const broken = (change: (m: Record<string, unknown>) => void) => {
      const copy = structuredClone(manifest);
      change(copy);
      return withEntry(bytes, 'project.json', strToU8(JSON.stringify(copy)));
    };
    await refused(broken((m) => ((m.layers as typeof layers)[0]!.opacity = 3)), /project\.json is not valid \(layers\.0\.opacity/);
    await refused(broken((m) => ((m.layers as typeof layers)[2]!.limitTo = 'layer-9')), /“Attributes” is limited to layer-9, which is not a mask layer/);
    await refused(broken((m) => ((m.layers as typeof layers)[1]!.id = 'layer-1')), /two layers have the id layer-1/);
    await refused(withEntry(bytes, 'project.json', strToU8('{"format": "seam-project", ')), /project\.json is not valid JSON/);
    assert.equal(layers.length, 3);
  });

  it('computes the zip CRC-32', () => {
    assert.equal(crc32(strToU8('123456789')), 0xcbf43926);
  });
});

function findBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
