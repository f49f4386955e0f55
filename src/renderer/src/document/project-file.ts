/**
 * A document ↔ a .seam project (shared/project-format.ts). Plain TypeScript, so the round trip
 * is tested in Node. A processor option naming another open photo ("image:<id>", a face swap's
 * source) means nothing once that photo is closed, so the project carries that photo's bytes,
 * and on opening the option is pointed at the photo as it is open then (the workspace opens it
 * beside the project when it is not). An option naming a photo that was already closed when the
 * project was saved is dropped on opening: the edit waits for the photo to be chosen again.
 */
import { writeProject, type ProjectHashing, type ProjectLayer, type ProjectPhoto, type SeamProject } from '../../../shared/project-format';
import { TiledMask } from '../masks/tiled-mask';
import { isMaskLayer, type Layer } from './layers';
import type { PhotoDocument, RestoredState } from './photo-document';

/** SHA-256 through WebCrypto, which both Chromium and Node provide. */
export const webHashing: ProjectHashing = {
  async sha256(bytes) {
    const digest = await crypto.subtle.digest('SHA-256', bytes.slice().buffer);
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  },
};

/** A photo open in the editor, by image id: its name and the bytes it was opened from (undefined: not open). */
export type OpenPhotoBytes = (imageId: string) => { name: string; bytes: Uint8Array } | undefined;

const PHOTO_OPTION = 'image:';

/** The image id a photo option names, or null for any other value. */
function photoRef(value: unknown): string | null {
  return typeof value === 'string' && value.startsWith(PHOTO_OPTION) ? value.slice(PHOTO_OPTION.length) : null;
}

export function documentToProject(doc: PhotoDocument, sourceBytes: Uint8Array, appVersion: string, openPhoto: OpenPhotoBytes = () => undefined): SeamProject {
  const { photo } = doc;
  const layers: ProjectLayer[] = doc.layers.map((layer) => {
    const base = { id: layer.id, name: layer.name, group: layer.group, visible: layer.visible, opacity: layer.opacity, locked: layer.locked };
    if (isMaskLayer(layer)) {
      return { ...base, kind: layer.kind, color: layer.rgb, label: layer.label, face: layer.face, mask: layer.mask.toDense() };
    }
    // A limit whose mask layer was deleted limits nothing: saved as none, as the editor runs it.
    const limit = layer.limitTo ? doc.layer(layer.limitTo) : undefined;
    return { ...base, kind: 'edit', processor: layer.processor, options: structuredClone(layer.options), limitTo: limit && isMaskLayer(limit) ? limit.id : null };
  });
  // Each photo the edits name, once, while it is still open to be read.
  const photos: ProjectPhoto[] = [];
  for (const layer of layers) {
    if (layer.kind !== 'edit') continue;
    for (const value of Object.values(layer.options)) {
      const ref = photoRef(value);
      const open = ref === null || photos.some((p) => p.ref === ref) ? undefined : openPhoto(ref);
      if (open) photos.push({ ref: ref!, name: open.name, bytes: open.bytes });
    }
  }
  return {
    appVersion,
    source: { name: photo.name, width: photo.width, height: photo.height, bytes: sourceBytes },
    photos,
    layers,
    faces: doc.faces.map((f) => ({ x: f.x, y: f.y, width: f.width, height: f.height })),
    semanticEdited: doc.editedLabelMap() !== null,
    settings: { activeLayerId: doc.activeLayer?.id ?? null, soloLayerId: doc.soloLayerId },
  };
}

export function writeDocumentProject(doc: PhotoDocument, sourceBytes: Uint8Array, appVersion: string, hashing: ProjectHashing = webHashing, openPhoto?: OpenPhotoBytes): Promise<Uint8Array> {
  return writeProject(documentToProject(doc, sourceBytes, appVersion, openPhoto), hashing);
}

/**
 * The state a document restores from a parsed project. `photoNow` gives, for the image id a photo
 * option was saved with, the id of that photo open now (null: not open): the option is pointed
 * at it, or dropped (see the header).
 */
export function restoredState(project: SeamProject, photoNow: (savedId: string) => string | null = () => null): RestoredState {
  const { width, height } = project.source;
  const layers: Layer[] = project.layers.map((layer) => {
    const base = { id: layer.id, name: layer.name, group: layer.group, visible: layer.visible, opacity: layer.opacity, locked: layer.locked };
    if (layer.kind === 'edit') {
      const options: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(layer.options)) {
        const ref = photoRef(value);
        const now = ref === null ? null : photoNow(ref);
        if (ref === null) options[key] = value;
        else if (now !== null) options[key] = `${PHOTO_OPTION}${now}`;
      }
      return { ...base, kind: 'edit', processor: layer.processor, options, limitTo: layer.limitTo };
    }
    return { ...base, kind: layer.kind, rgb: layer.color, label: layer.label, face: layer.face, mask: TiledMask.fromDense(width, height, layer.mask) };
  });
  return {
    layers,
    faces: project.faces,
    semanticEdited: project.semanticEdited,
    activeLayerId: project.settings.activeLayerId,
    soloLayerId: project.settings.soloLayerId,
  };
}
