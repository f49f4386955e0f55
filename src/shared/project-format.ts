/**
 * The `.seam` project file: one zip holding `project.json` (what the document is: layers, edit
 * steps, settings), the source photo as it was opened (so a project opens on any machine), each
 * other photo an edit takes as an option (a face swap's source, a style reference: options say
 * "image:<id>", an id that means nothing once that photo is closed), and each mask layer's
 * coverage as raw bytes (one byte per pixel, deflated by the zip). Pure code
 * over bytes, shared by the renderer (save, open, autosave) and the engine; hashing is injected
 * because shared/ has neither WebCrypto's nor Node's types.
 *
 * Parsing trusts nothing: it refuses, with a message naming the file, a file that is not a zip
 * or not a Seam project, a damaged one (unreadable zip, an entry whose CRC-32 does not match, a
 * missing entry, a mask of the wrong size, a photo that is not the one recorded) and one written
 * by a newer Seam in a format this one does not know.
 */
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { z } from 'zod';
import { ImageIdSchema } from './editor-contract';
import { SeamError } from './errors';

export const PROJECT_FORMAT = 'seam-project';
/**
 * Raise when project.json changes shape; older versions stay readable by migrating them here.
 * 2: `photos`, the other photos edits take (version 1 has none).
 */
export const PROJECT_FORMAT_VERSION = 2;
export const PROJECT_EXTENSION = '.seam';
export const PROJECT_MIME = 'application/x-seam-project';

/** 100 megapixels, as the editor contract allows. */
const MAX_PIXELS = 100_000_000;
const MAX_LAYERS = 512;
/** Other photos a project carries: one per photo option of its edits at most. */
const MAX_PHOTOS = 64;
const MANIFEST = 'project.json';

export const LayerIdSchema = z.string().regex(/^layer-[0-9]{1,9}$/, 'not a layer id');
const Rgb = z.tuple([z.number().int().min(0).max(255), z.number().int().min(0).max(255), z.number().int().min(0).max(255)]);

const LayerBase = {
  id: LayerIdSchema,
  name: z.string().min(1).max(200),
  group: z.string().max(200),
  visible: z.boolean(),
  opacity: z.number().min(0).max(1),
  locked: z.boolean(),
};

const MaskLayerManifest = z
  .object({
    ...LayerBase,
    kind: z.enum(['semantic', 'mask']),
    color: Rgb,
    /** The label id a semantic layer stands for; null for a user mask or the person mask. */
    label: z.number().int().min(0).max(255).nullable(),
    face: z.number().int().min(-1).max(1000).nullable(),
    /** The zip entry with width × height coverage bytes. */
    mask: z.string().max(100),
  })
  .strict();

const EditLayerManifest = z
  .object({
    ...LayerBase,
    kind: z.literal('edit'),
    processor: z.string().min(1).max(64),
    // Each processor validates its own options when the edit runs; seeds are options like any other.
    options: z.record(z.string().max(64), z.unknown()),
    /** The mask layer that limits where this edit changes pixels, or null for nowhere in particular. */
    limitTo: LayerIdSchema.nullable(),
  })
  .strict();

const EmbeddedPhotoSchema = z
  .object({
    name: z.string().min(1).max(255),
    size: z.number().int().positive(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'not a SHA-256'),
    entry: z.string().max(300),
  })
  .strict();

const BoxSchema = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }).strict();

const ManifestSchema = z
  .object({
    format: z.literal(PROJECT_FORMAT),
    formatVersion: z.number().int().min(1),
    appVersion: z.string().max(64),
    source: EmbeddedPhotoSchema.extend({ width: z.number().int().positive(), height: z.number().int().positive() })
      .strict()
      .refine((s) => s.width * s.height <= MAX_PIXELS, 'the photo is larger than 100 megapixels'),
    /** The other photos edits take, under the id their options name them by when saved (none before format 2). */
    photos: z.array(EmbeddedPhotoSchema.extend({ ref: ImageIdSchema }).strict()).max(MAX_PHOTOS).optional(),
    /** Bottom to top, as the document keeps them. */
    layers: z.array(z.discriminatedUnion('kind', [MaskLayerManifest, EditLayerManifest])).max(MAX_LAYERS),
    /** The faces found when the project was saved, in the order the layers' `face` numbers use. */
    faces: z.array(BoxSchema).max(1000),
    /** True once a semantic layer was painted: edits then use the painted label map. */
    semanticEdited: z.boolean(),
    settings: z.object({ activeLayerId: LayerIdSchema.nullable(), soloLayerId: LayerIdSchema.nullable() }).strict(),
  })
  .strict();
type Manifest = z.infer<typeof ManifestSchema>;

// ——— what callers read and write ———

export type Rgb = readonly [number, number, number];
export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface ProjectLayerBase {
  id: string;
  name: string;
  group: string;
  visible: boolean;
  opacity: number;
  locked: boolean;
}
export interface ProjectMaskLayer extends ProjectLayerBase {
  kind: 'semantic' | 'mask';
  color: Rgb;
  label: number | null;
  face: number | null;
  /** width × height coverage, 0..255. */
  mask: Uint8Array;
}
export interface ProjectEditLayer extends ProjectLayerBase {
  kind: 'edit';
  processor: string;
  options: Record<string, unknown>;
  limitTo: string | null;
}
export type ProjectLayer = ProjectMaskLayer | ProjectEditLayer;

/** A photo an edit takes as an option, carried by the project. */
export interface ProjectPhoto {
  /** The image id the options name it by ("image:<ref>"), as it was when the project was saved. */
  ref: string;
  name: string;
  bytes: Uint8Array;
}

export interface SeamProject {
  appVersion: string;
  source: { name: string; width: number; height: number; bytes: Uint8Array };
  /** The other photos the edits' options name; an option naming none of them names a photo that was not open. */
  photos: ProjectPhoto[];
  /** Bottom to top. */
  layers: ProjectLayer[];
  faces: FaceBox[];
  semanticEdited: boolean;
  settings: { activeLayerId: string | null; soloLayerId: string | null };
}

export interface ProjectHashing {
  /** Lower-case hex SHA-256 of the bytes. */
  sha256(bytes: Uint8Array): Promise<string>;
}

/** "portrait.jpg" → "portrait.seam". */
export function projectFileName(photoName: string): string {
  const stem = photoName.replace(/\.[^./\\]*$/, '') || 'project';
  return `${stem}${PROJECT_EXTENSION}`;
}

/** Zip magic: enough for the open dialog to tell a project from a photo by its bytes. */
export function looksLikeProject(name: string, bytes: Uint8Array): boolean {
  return name.toLowerCase().endsWith(PROJECT_EXTENSION) || (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04);
}

// ——— writing ———

export async function writeProject(project: SeamProject, hashing: ProjectHashing): Promise<Uint8Array> {
  const { source } = project;
  const pixels = source.width * source.height;
  const sourceEntry = `source/${safeEntryName(source.name)}`;
  // The photo is already compressed (JPEG, PNG…): storing it saves time and gains nothing.
  const files: Zippable = { [sourceEntry]: [source.bytes, { level: 0 }] };
  const photos = await Promise.all(
    project.photos.map(async (photo, i) => {
      const entry = `photos/${i + 1}-${safeEntryName(photo.name)}`;
      files[entry] = [photo.bytes, { level: 0 }];
      return { ref: photo.ref, name: photo.name, size: photo.bytes.length, sha256: await hashing.sha256(photo.bytes), entry };
    }),
  );
  const layers: Manifest['layers'] = project.layers.map((layer) => {
    if (layer.kind === 'edit') {
      return { id: layer.id, kind: 'edit', name: layer.name, group: layer.group, visible: layer.visible, opacity: layer.opacity, locked: layer.locked, processor: layer.processor, options: layer.options, limitTo: layer.limitTo };
    }
    if (layer.mask.length !== pixels) {
      throw new SeamError('INTERNAL', `Saving ${source.name}: the mask of ${layer.name} holds ${layer.mask.length} values, not ${source.width}×${source.height}.`);
    }
    const entry = `masks/${layer.id}.u8`;
    files[entry] = [layer.mask, { level: 6 }];
    return { id: layer.id, kind: layer.kind, name: layer.name, group: layer.group, visible: layer.visible, opacity: layer.opacity, locked: layer.locked, color: [...layer.color] as [number, number, number], label: layer.label, face: layer.face, mask: entry };
  });
  const manifest: Manifest = {
    format: PROJECT_FORMAT,
    formatVersion: PROJECT_FORMAT_VERSION,
    appVersion: project.appVersion,
    source: { name: source.name, size: source.bytes.length, sha256: await hashing.sha256(source.bytes), width: source.width, height: source.height, entry: sourceEntry },
    photos,
    layers,
    faces: project.faces.map((f) => ({ x: f.x, y: f.y, width: f.width, height: f.height })),
    semanticEdited: project.semanticEdited,
    settings: { ...project.settings },
  };
  // Validating what we write catches a document that could not be read back (a NaN opacity…).
  const checked = ManifestSchema.safeParse(manifest);
  if (!checked.success) throw new SeamError('INTERNAL', `Saving ${source.name}: the project would not read back (${describeIssues(checked.error)}).`);
  files[MANIFEST] = [strToU8(JSON.stringify(manifest, null, 1)), { level: 6 }];
  return zipSync(files);
}

// ——— reading ———

export async function parseProject(fileName: string, bytes: Uint8Array, hashing: ProjectHashing): Promise<SeamProject> {
  const refuse = (problem: string): never => {
    throw new SeamError('BAD_INPUT', `${fileName} ${problem}`);
  };
  const damaged = (problem: string): never => refuse(`is damaged: ${problem}. Open an earlier copy or the autosave.`);
  if (bytes.length < 22 || bytes[0] !== 0x50 || bytes[1] !== 0x4b || bytes[2] !== 0x03 || bytes[3] !== 0x04) {
    refuse('is not a Seam project: it is not a zip file.');
  }
  const directory = readCentralDirectory(bytes) ?? damaged('its zip directory cannot be read');
  if (!directory.has(MANIFEST)) refuse('is not a Seam project: it holds no project.json.');

  const manifestBytes = extract(bytes, directory, MANIFEST, 4 * 1024 * 1024, damaged);
  let json: unknown;
  try {
    json = JSON.parse(strFromU8(manifestBytes));
  } catch {
    damaged('project.json is not valid JSON');
  }
  const head = z.object({ format: z.unknown(), formatVersion: z.unknown() }).passthrough().safeParse(json);
  if (!head.success || head.data.format !== PROJECT_FORMAT) refuse('is not a Seam project: its project.json names another format.');
  const version = head.data!.formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) damaged('project.json has no format version');
  if ((version as number) > PROJECT_FORMAT_VERSION) {
    refuse(`was made by a newer Seam (format ${version as number}); this Seam reads up to ${PROJECT_FORMAT_VERSION}. Update Seam to open it.`);
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) damaged(`project.json is not valid (${describeIssues(parsed.error)})`);
  const manifest = parsed.data!;
  const { source } = manifest;
  const pixels = source.width * source.height;

  checkReferences(manifest, damaged);
  const photo = extract(bytes, directory, source.entry, source.size, damaged);
  if (photo.length !== source.size || (await hashing.sha256(photo)) !== source.sha256) {
    damaged(`the embedded photo ${source.name} is not the one the project was saved with`);
  }
  const photos: ProjectPhoto[] = [];
  for (const embedded of manifest.photos ?? []) {
    const photoBytes = extract(bytes, directory, embedded.entry, embedded.size, damaged);
    if (photoBytes.length !== embedded.size || (await hashing.sha256(photoBytes)) !== embedded.sha256) {
      damaged(`the embedded photo ${embedded.name} is not the one the project was saved with`);
    }
    photos.push({ ref: embedded.ref, name: embedded.name, bytes: photoBytes });
  }
  const layers: ProjectLayer[] = manifest.layers.map((layer) => {
    if (layer.kind === 'edit') return { ...layer, options: layer.options };
    const entry = directory.get(layer.mask);
    if (!entry) return damaged(`the mask of “${layer.name}” (${layer.mask}) is missing`);
    if (entry.size !== pixels) return damaged(`the mask of “${layer.name}” holds ${entry.size} values; the photo is ${source.width}×${source.height}`);
    const mask = extract(bytes, directory, layer.mask, pixels, damaged);
    return { id: layer.id, kind: layer.kind, name: layer.name, group: layer.group, visible: layer.visible, opacity: layer.opacity, locked: layer.locked, color: layer.color, label: layer.label, face: layer.face, mask };
  });
  return {
    appVersion: manifest.appVersion,
    source: { name: source.name, width: source.width, height: source.height, bytes: photo },
    photos,
    layers,
    faces: manifest.faces,
    semanticEdited: manifest.semanticEdited,
    settings: manifest.settings,
  };
}

/** Ids unique, and every id the manifest refers to names a layer of the right kind. */
function checkReferences(manifest: Manifest, damaged: (problem: string) => never): void {
  const byId = new Map<string, Manifest['layers'][number]>();
  for (const layer of manifest.layers) {
    if (byId.has(layer.id)) damaged(`two layers have the id ${layer.id}`);
    byId.set(layer.id, layer);
    if (layer.kind !== 'edit' && layer.face !== null && layer.face >= manifest.faces.length) damaged(`“${layer.name}” belongs to face ${layer.face + 1}, which is not listed`);
  }
  for (const layer of manifest.layers) {
    if (layer.kind !== 'edit' || layer.limitTo === null) continue;
    const target = byId.get(layer.limitTo);
    if (!target || target.kind === 'edit') damaged(`“${layer.name}” is limited to ${layer.limitTo}, which is not a mask layer`);
  }
  for (const id of [manifest.settings.activeLayerId, manifest.settings.soloLayerId]) {
    if (id !== null && !byId.has(id)) damaged(`the settings name ${id}, which is not a layer`);
  }
  const refs = new Set<string>();
  for (const photo of manifest.photos ?? []) {
    if (refs.has(photo.ref)) damaged(`two embedded photos stand for ${photo.ref}`);
    refs.add(photo.ref);
  }
}

interface DirectoryEntry {
  crc: number;
  /** Uncompressed size as the directory records it. */
  size: number;
}

/** The zip's central directory: entry name → CRC-32 and size (fflate reads entries but checks no CRC). */
function readCentralDirectory(bytes: Uint8Array): Map<string, DirectoryEntry> | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-directory record is in the last 22 + 65535 (comment) bytes.
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  const entries = new Map<string, DirectoryEntry>();
  for (let n = 0; n < count; n++) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== 0x02014b50) return null;
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    if (offset + 46 + nameLength > bytes.length) return null;
    const name = strFromU8(bytes.subarray(offset + 46, offset + 46 + nameLength));
    entries.set(name, { crc: view.getUint32(offset + 16, true), size: view.getUint32(offset + 24, true) });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** One entry, inflated, size-bounded before inflating, and checked against its CRC-32. */
function extract(bytes: Uint8Array, directory: Map<string, DirectoryEntry>, name: string, maxSize: number, damaged: (problem: string) => never): Uint8Array {
  const entry = directory.get(name) ?? damaged(`${name} is missing`);
  if (entry.size > maxSize) damaged(`${name} is larger than it can be (${entry.size} bytes)`);
  let data: Uint8Array | undefined;
  try {
    data = unzipSync(bytes, { filter: (file) => file.name === name })[name];
  } catch (error) {
    damaged(`${name} cannot be decompressed (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!data) return damaged(`${name} is missing`);
  if (data.length !== entry.size || crc32(data) !== entry.crc) damaged(`${name} fails its CRC check`);
  return data;
}

let crcTable: Uint32Array | null = null;

/** CRC-32 (the zip polynomial); fflate computes it when writing but exports no function for it. */
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A photo's name as a zip entry: no folders, no characters an unzip tool would trip on. */
function safeEntryName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'photo';
  return base.replace(/[^A-Za-z0-9._-]/g, '_').slice(-100) || 'photo';
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
