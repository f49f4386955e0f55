/**
 * A document ↔ a .seam project (shared/project-format.ts). Plain TypeScript, so the round trip
 * is tested in Node. What a project cannot carry is said here: a processor option naming
 * another open photo ("image:<id>") means nothing once that photo is closed, so on opening it is
 * dropped and the edit waits for the photo to be chosen again.
 */
import { writeProject, type ProjectHashing, type ProjectLayer, type SeamProject } from '../../../shared/project-format';
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

export function documentToProject(doc: PhotoDocument, sourceBytes: Uint8Array, appVersion: string): SeamProject {
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
  return {
    appVersion,
    source: { name: photo.name, width: photo.width, height: photo.height, bytes: sourceBytes },
    layers,
    faces: doc.faces.map((f) => ({ x: f.x, y: f.y, width: f.width, height: f.height })),
    semanticEdited: doc.editedLabelMap() !== null,
    settings: { activeLayerId: doc.activeLayer?.id ?? null, soloLayerId: doc.soloLayerId },
  };
}

export function writeDocumentProject(doc: PhotoDocument, sourceBytes: Uint8Array, appVersion: string, hashing: ProjectHashing = webHashing): Promise<Uint8Array> {
  return writeProject(documentToProject(doc, sourceBytes, appVersion), hashing);
}

/**
 * The state a document restores from a parsed project. `isOpen` tells the photos open now: a
 * photo option naming any other is dropped (see the header).
 */
export function restoredState(project: SeamProject, isOpen: (imageId: string) => boolean = () => false): RestoredState {
  const { width, height } = project.source;
  const layers: Layer[] = project.layers.map((layer) => {
    const base = { id: layer.id, name: layer.name, group: layer.group, visible: layer.visible, opacity: layer.opacity, locked: layer.locked };
    if (layer.kind === 'edit') {
      const options = Object.fromEntries(
        Object.entries(layer.options).filter(([, value]) => !(typeof value === 'string' && value.startsWith('image:') && !isOpen(value.slice('image:'.length)))),
      );
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
