/**
 * A document ↔ a .seam project, without a browser: astronaut.png with its regions, a painted
 * user mask, a painted hair region and an attribute edit limited to the mask is written, read
 * back and restored into a new document that has the same layers (order, names, visibility,
 * opacity, lock), the same mask pixels, the same edit options and limit, and sends the engine
 * the same steps and label map. Also: what makes a document dirty, and what a limit does to
 * previews when its mask is painted or deleted.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { parseProject } from '../../src/shared/project-format';
import { PhotoDocument, type DocumentChange, type Photo } from '../../src/renderer/src/document/photo-document';
import { documentToProject, restoredState, webHashing, writeDocumentProject } from '../../src/renderer/src/document/project-file';
import { isMaskLayer } from '../../src/renderer/src/document/layers';
import { BrushStroke, DEFAULT_BRUSH } from '../../src/renderer/src/masks/brush-stroke';

const photoPath = join(process.cwd(), 'test', 'fixtures', 'media', 'astronaut.png');
const sourceBytes = new Uint8Array(readFileSync(photoPath));

async function astronaut(): Promise<Photo> {
  const { data, info } = await sharp(photoPath).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { imageId: 'img-1', name: 'astronaut.png', width: info.width, height: info.height, pixels: new Uint8Array(data) };
}

/** A label map shaped like a head: skin in the middle, hair above, background elsewhere. */
function analysed(photo: Photo): PhotoDocument {
  const doc = new PhotoDocument(photo);
  const { width, height } = photo;
  const labels = new Uint8Array(width * height);
  for (let y = 60; y < 330; y++) for (let x = 150; x < 380; x++) labels[y * width + x] = y < 120 ? 13 : 1;
  doc.applyAnalysis({ faces: [{ x: 150, y: 60, width: 230, height: 270 }], labels, personAlpha: null });
  return doc;
}

function paint(doc: PhotoDocument, points: Array<[number, number]>): void {
  const edit = doc.beginMaskEdit();
  const stroke = new BrushStroke(edit.mask, { ...DEFAULT_BRUSH, size: 30 }, edit.recorder);
  for (const [x, y] of points) doc.maskChanged(edit, stroke.to({ x, y, pressure: 1 }));
  doc.commitMaskEdit(edit, 'Brush stroke');
}

const layerNamed = (doc: PhotoDocument, name: string) => doc.layers.find((l) => l.name === name)!;

describe('document ↔ project', () => {
  it('restores layers, masks, edit options and the mask limit exactly as saved', async () => {
    const photo = await astronaut();
    const doc = analysed(photo);
    const mask = doc.addMaskLayer('Cheek');
    paint(doc, [[200, 200], [240, 230], [260, 260]]);
    doc.setActiveLayer(layerNamed(doc, 'Hair').id);
    paint(doc, [[100, 80], [130, 100]]);
    const edit = doc.addEditLayer('attributes', 'Attributes', { smile: 0, skinSmoothing: 0, seed: 7 });
    doc.setEditOption(edit.id, 'skinSmoothing', 60);
    doc.setEditLimit(edit.id, mask.id);
    doc.setOpacity(edit.id, 0.8);
    doc.setVisible(layerNamed(doc, 'Skin').id, false);
    doc.setLocked(layerNamed(doc, 'Hair').id, true);

    const bytes = await writeDocumentProject(doc, sourceBytes, '0.1.0');
    const project = await parseProject('astronaut.seam', bytes, webHashing);
    assert.deepEqual(project.source.bytes, sourceBytes);
    const restored = new PhotoDocument(photo);
    restored.restore(restoredState(project));

    assert.deepEqual(restored.views(), doc.views(), 'the panel lists the same layers, in the same order, with the same properties');
    for (const layer of doc.layers) {
      const back = restored.layer(layer.id)!;
      if (isMaskLayer(layer) && isMaskLayer(back)) assert.deepEqual(back.mask.toDense(), layer.mask.toDense(), `${layer.name}'s pixels`);
    }
    const cheek = restored.layer(mask.id);
    assert.ok(isMaskLayer(cheek) && cheek.mask.toDense().some((v) => v > 0), 'the painted mask has its paint');
    assert.deepEqual(restored.editSteps(), [{ processor: 'attributes', options: { smile: 0, skinSmoothing: 60, seed: 7 }, limitTo: { layerId: mask.id, version: 0 } }]);
    const [sent] = restored.engineSteps(restored.editSteps());
    const [original] = doc.engineSteps(doc.editSteps());
    assert.deepEqual(sent, original, 'the engine gets the same step and mask bytes');
    assert.deepEqual(restored.editedLabelMap(), doc.editedLabelMap(), 'the painted hair reaches the engine after reopening');
    assert.deepEqual(restored.faces, doc.faces);
    // New layers after reopening do not reuse saved ids.
    const added = restored.addMaskLayer();
    assert.ok(!doc.layers.some((l) => l.id === added.id), `new layer ${added.id} collides with a saved one`);
  });

  it('carries the photo a photo option names while it is open, and points the option at that photo as it is open when reopened', async () => {
    const photo = await astronaut();
    const doc = analysed(photo);
    doc.addEditLayer('face-swap', 'Face swap', { source: 'image:img-9', sourceFace: 0 });
    doc.addEditLayer('face-swap', 'Face swap 2', { source: 'image:img-9', targetLike: 'image:img-4' });
    const hopper = new Uint8Array([1, 2, 3]);
    const open = (id: string) => (id === 'img-9' ? { name: 'hopper.jpg', bytes: hopper } : undefined);
    const project = documentToProject(doc, sourceBytes, '0.1.0', open);
    assert.deepEqual(project.photos, [{ ref: 'img-9', name: 'hopper.jpg', bytes: hopper }], 'once, and only the photo still open');
    const optionsOf = (state: ReturnType<typeof restoredState>) => state.layers.slice(-2).map((l) => (l as { options: unknown }).options);
    // Reopened with that photo open as img-12: both options follow it; the one never carried is dropped.
    assert.deepEqual(optionsOf(restoredState(project, (id) => (id === 'img-9' ? 'img-12' : null))), [
      { source: 'image:img-12', sourceFace: 0 },
      { source: 'image:img-12' },
    ]);
    // Nothing open: the edits wait for a photo.
    assert.deepEqual(optionsOf(restoredState(project)), [{ sourceFace: 0 }, {}]);
  });

  it('is dirty after a change or an undo, clean after analysis and after saving', async () => {
    const doc = analysed(await astronaut());
    assert.equal(doc.dirty, false, 'finding the regions is not a change of the user');
    doc.addMaskLayer();
    assert.equal(doc.dirty, true);
    doc.markSaved();
    assert.equal(doc.dirty, false);
    doc.undo();
    assert.equal(doc.dirty, true);
    doc.markSaved();
    doc.setActiveLayer(layerNamed(doc, 'Hair').id);
    doc.toggleSolo(layerNamed(doc, 'Hair').id);
    assert.equal(doc.dirty, false, 'choosing and soloing a layer change the view, not the document');
  });

  it('asks for new previews when the limiting mask is painted, and runs unlimited once it is deleted', async () => {
    const doc = analysed(await astronaut());
    const mask = doc.addMaskLayer();
    const edit = doc.addEditLayer('attributes', 'Attributes', { smile: 20 });
    doc.setEditLimit(edit.id, mask.id);
    const changes: DocumentChange[] = [];
    doc.subscribe((c) => changes.push(c));
    doc.setActiveLayer(mask.id);
    paint(doc, [[50, 50], [60, 60]]);
    assert.ok(changes.some((c) => c.edits), 'painting the limiting mask recomputes the preview');
    assert.equal(doc.editSteps()[0]!.limitTo?.version, 1, 'and changes the preview key');
    doc.deleteLayer(mask.id);
    assert.deepEqual(doc.engineSteps(doc.editSteps()), [{ processor: 'attributes', options: { smile: 20 } }]);
    const saved = documentToProject(doc, sourceBytes, '0.1.0').layers.find((l) => l.kind === 'edit');
    assert.equal(saved?.kind === 'edit' && saved.limitTo, null, 'a limit to a deleted mask is saved as none');
    doc.undo();
    assert.equal(doc.engineSteps(doc.editSteps())[0]!.mask?.data.some((v) => v > 0), true, 'undoing the delete brings the limit back');
  });
});
