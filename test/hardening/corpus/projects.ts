/**
 * Damaged and future-version `.seam` projects, made from a real project written by
 * writeProject (src/shared/project-format.ts) around the fixture photo: not a zip, cut short,
 * entries missing or corrupted, a project.json that lies, one from a newer Seam.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { PROJECT_FORMAT_VERSION, writeProject, type ProjectHashing } from '../../../src/shared/project-format';
import type { CorpusCase } from './corpus-case';

const PHOTO = new URL('../../fixtures/media/grace_hopper.jpg', import.meta.url).pathname;
export const projectHashing: ProjectHashing = { sha256: async (bytes) => createHash('sha256').update(bytes).digest('hex') };

const DAMAGED = /is damaged: .*Open an earlier copy or the autosave\./;

/** The project's entries, with project.json changed by `edit`, zipped again. */
function rezip(project: Uint8Array, edit: (manifest: Record<string, unknown>, files: Record<string, Uint8Array>) => void): Uint8Array {
  const files = unzipSync(project);
  const manifest = JSON.parse(strFromU8(files['project.json']!)) as Record<string, unknown>;
  edit(manifest, files);
  files['project.json'] = strToU8(JSON.stringify(manifest));
  return zipSync(files);
}

export async function projectCases(): Promise<CorpusCase[]> {
  const photo = new Uint8Array(readFileSync(PHOTO));
  const mask = new Uint8Array(512 * 600).fill(255);
  const good = await writeProject(
    {
      appVersion: '0.1.0',
      source: { name: 'grace_hopper.jpg', width: 512, height: 600, bytes: photo },
      photos: [],
      layers: [{ id: 'layer-1', kind: 'mask', name: 'Mask', group: 'Masks', visible: true, opacity: 1, locked: false, color: [255, 0, 0], label: null, face: null, mask }],
      faces: [],
      semanticEdited: false,
      settings: { activeLayerId: 'layer-1', soloLayerId: null },
    },
    projectHashing,
  );
  const project = (id: string, file: string, bytes: () => Uint8Array, message: RegExp): CorpusCase => ({ kind: 'project', id, file, bytes, code: 'BAD_INPUT', message });
  const photoAt = Buffer.from(good).indexOf(Buffer.from(photo.subarray(0, 64)));
  return [
    project('a zero-byte .seam', 'empty.seam', () => new Uint8Array(), /is not a Seam project: it is not a zip file/),
    project('a JPEG called .seam', 'photo.seam', () => photo, /is not a Seam project: it is not a zip file/),
    project('a project cut in half', 'half.seam', () => good.slice(0, Math.floor(good.length / 2)), DAMAGED),
    project('a project missing its last byte', 'last-byte.seam', () => good.slice(0, good.length - 1), DAMAGED),
    project('a zip with no project.json', 'plain.seam', () => zipSync({ 'notes.txt': strToU8('hello') }), /is not a Seam project: it holds no project.json/),
    project('a project whose project.json is not JSON', 'bad-json.seam', () => {
      const files = unzipSync(good);
      files['project.json'] = strToU8('{ "format": "seam-project", ');
      return zipSync(files);
    }, /is damaged: project\.json is not valid JSON/),
    project('a project of another format', 'other.seam', () => rezip(good, (m) => (m.format = 'photoshop')), /names another format/),
    project(`a project from a newer Seam (format ${PROJECT_FORMAT_VERSION + 1})`, 'future.seam', () => rezip(good, (m) => ((m.formatVersion = PROJECT_FORMAT_VERSION + 1), (m.hologram = { layers: 3 }))), new RegExp(`was made by a newer Seam \\(format ${PROJECT_FORMAT_VERSION + 1}\\); this Seam reads up to ${PROJECT_FORMAT_VERSION}\\. Update Seam to open it\\.`)),
    project('a project from a far newer Seam (format 999) with fields this one does not know', 'far-future.seam', () => rezip(good, (m) => ((m.formatVersion = 999), (m.layers = 'compressed-v9'))), /was made by a newer Seam \(format 999\)/),
    project('a project whose embedded photo is overwritten (CRC mismatch)', 'bad-crc.seam', () => {
      const out = Uint8Array.from(good);
      for (let i = photoAt + 1000; i < photoAt + 1100; i++) out[i] = out[i]! ^ 0x5a;
      return out;
    }, DAMAGED),
    project('a project whose mask has the wrong size', 'small-mask.seam', () => rezip(good, (_m, files) => (files['masks/layer-1.u8'] = new Uint8Array(100))), /is damaged: the mask of “Mask” holds 100 values; the photo is 512×600/),
    project('a project whose photo is another photo', 'swapped-photo.seam', () => rezip(good, (m, files) => (files[(m.source as { entry: string }).entry] = Uint8Array.from(photo).reverse())), /is damaged: the embedded photo grace_hopper\.jpg is not the one the project was saved with/),
    project('a project claiming a 100000×100000 photo', 'huge.seam', () => rezip(good, (m) => Object.assign(m.source as object, { width: 100_000, height: 100_000 })), /is damaged: project\.json is not valid/),
  ];
}
