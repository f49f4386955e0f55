/**
 * The undo history and the document's undoable operations: a brush stroke is one step, layer
 * operations undo and redo, slider drags merge into one step, and memory stays bounded (mask
 * diffs per dirty tile, not whole masks).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { History, ValueChange, command } from '../../src/renderer/src/document/history';
import { PhotoDocument, type Photo } from '../../src/renderer/src/document/photo-document';
import { BrushStroke, DEFAULT_BRUSH } from '../../src/renderer/src/masks/brush-stroke';
import { TILE_SIZE } from '../../src/renderer/src/masks/tiled-mask';

function photo(width: number, height: number): Photo {
  return { imageId: 'img-1', name: 'test.png', width, height, pixels: new Uint8Array(width * height * 4) };
}

/** A document whose label map is skin on the left half of a face box and hair on the right. */
function analysedDocument(width = 256, height = 256): PhotoDocument {
  const doc = new PhotoDocument(photo(width, height));
  const labels = new Uint8Array(width * height);
  for (let y = 64; y < 192; y++) for (let x = 64; x < 192; x++) labels[y * width + x] = x < 128 ? 1 : 13;
  doc.applyAnalysis({ faces: [{ x: 64, y: 64, width: 128, height: 128 }], labels, personAlpha: null });
  return doc;
}

function paint(doc: PhotoDocument, points: Array<[number, number]>, settings = {}) {
  const edit = doc.beginMaskEdit();
  const stroke = new BrushStroke(edit.mask, { ...DEFAULT_BRUSH, ...settings }, edit.recorder);
  for (const [x, y] of points) doc.maskChanged(edit, stroke.to({ x, y, pressure: 1 }));
  doc.commitMaskEdit(edit, 'Brush stroke');
}

const layerNamed = (doc: PhotoDocument, name: string) => doc.layers.find((l) => l.name === name)!;

describe('history', () => {
  it('undoes and redoes in order, and a new step clears the redo stack', () => {
    const history = new History();
    let value = 0;
    const set = (to: number) => {
      const from = value;
      value = to;
      history.push(command(`set ${to}`, () => (value = from), () => (value = to)));
    };
    set(1);
    set(2);
    assert.equal(history.undoLabel, 'set 2');
    history.undo();
    assert.equal(value, 1);
    history.redo();
    assert.equal(value, 2);
    history.undo();
    set(3);
    assert.equal(history.canRedo, false);
    history.undo();
    history.undo();
    assert.equal(value, 0);
    assert.equal(history.canUndo, false);
  });

  it('merges a gesture into one step until it is sealed', () => {
    const history = new History();
    let value = 0;
    const apply = (v: number) => (value = v);
    for (const v of [0.1, 0.2, 0.3]) {
      const before = value;
      apply(v);
      history.push(new ValueChange('opacity', before, v, apply), 'opacity:a');
    }
    history.seal();
    const before = value;
    apply(0.9);
    history.push(new ValueChange('opacity', before, 0.9, apply), 'opacity:a');
    assert.equal(history.steps, 2);
    history.undo();
    assert.equal(value, 0.3);
    history.undo();
    assert.equal(value, 0);
    history.redo();
    assert.equal(value, 0.3);
  });

  it('drops the oldest steps past its memory bound', () => {
    const history = new History({ maxBytes: 1000 });
    for (let i = 0; i < 10; i++) history.push(command(`step ${i}`, () => {}, () => {}, 300));
    assert.equal(history.steps, 3);
    assert.ok(history.bytes <= 1000);
    assert.equal(history.undoLabel, 'step 9');
  });
});

describe('document: painting', () => {
  it('a brush stroke is one undo step, undone and redone pixel for pixel', () => {
    const doc = analysedDocument();
    doc.setActiveLayer(layerNamed(doc, 'Hair').id);
    const hair = layerNamed(doc, 'Hair');
    assert.equal(hair.kind, 'semantic');
    if (hair.kind !== 'semantic') return;
    const before = hair.mask.toDense();
    const stepsBefore = doc.history.steps;
    paint(doc, [[140, 20], [160, 30], [180, 40], [200, 50]], { size: 16, hardness: 1 });
    const after = hair.mask.toDense();
    assert.equal(doc.history.steps, stepsBefore + 1);
    assert.equal(hair.mask.get(160, 30), 255);
    doc.undo();
    assert.deepEqual(hair.mask.toDense(), before);
    doc.redo();
    assert.deepEqual(hair.mask.toDense(), after);
  });

  it('stores a stroke as the tiles it crossed: bounded memory on a 4K photo with 20 layers', () => {
    const width = 3840;
    const height = 2160;
    const doc = new PhotoDocument(photo(width, height));
    for (let i = 0; i < 20; i++) doc.addMaskLayer();
    // A 60 px brush dragged 1000 px across the photo.
    const points: Array<[number, number]> = [];
    for (let x = 1000; x <= 2000; x += 7) points.push([x, 1000 + (x - 1000) * 0.2]);
    paint(doc, points, { size: 60 });
    const stroke = doc.history.bytes - 20 * 64; // the 20 "new mask" steps are tiny
    const tileBytes = TILE_SIZE * TILE_SIZE;
    // The band the stroke crossed is ~1020 × 260 px: at most ~17 × 6 tiles, each kept once.
    assert.ok(stroke <= 17 * 6 * (tileBytes + 16), `one stroke keeps ${stroke} bytes`);
    assert.ok(stroke < (width * height) / 50, 'a stroke must not cost a whole mask');
    const masks = doc.layers.reduce((sum, l) => sum + (l.kind === 'edit' ? 0 : l.mask.allocatedBytes), 0);
    assert.ok(masks < 2 * 1024 * 1024, `20 mostly empty 4K masks hold ${masks} bytes`);
  });

  it('a cancelled stroke leaves no pixel and no step', () => {
    const doc = analysedDocument();
    const hair = layerNamed(doc, 'Hair');
    doc.setActiveLayer(hair.id);
    if (hair.kind === 'edit') return;
    const before = hair.mask.toDense();
    const steps = doc.history.steps;
    const edit = doc.beginMaskEdit();
    new BrushStroke(edit.mask, DEFAULT_BRUSH, edit.recorder).to({ x: 30, y: 30, pressure: 1 });
    doc.cancelMaskEdit(edit);
    assert.deepEqual(hair.mask.toDense(), before);
    assert.equal(doc.history.steps, steps);
  });

  it('painting a region takes those pixels from the other regions, and the label map follows', () => {
    const doc = analysedDocument();
    const hair = layerNamed(doc, 'Hair');
    const skin = layerNamed(doc, 'Skin');
    doc.setActiveLayer(hair.id);
    assert.equal(doc.editedLabelMap(), null);
    paint(doc, [[100, 100]], { size: 20, hardness: 1 });
    if (skin.kind === 'edit') return;
    assert.equal(skin.mask.get(100, 100), 0);
    assert.equal(doc.editedLabelMap()![100 * 256 + 100], 13);
    assert.equal(doc.editedLabelMap()![80 * 256 + 80], 1);
    doc.undo();
    assert.equal(skin.mask.get(100, 100), 255);
    assert.equal(doc.editedLabelMap()![100 * 256 + 100], 1);
  });

  it('refuses to paint on a locked or hidden layer, with a message that says why', () => {
    const doc = analysedDocument();
    const hair = layerNamed(doc, 'Hair');
    doc.setActiveLayer(hair.id);
    doc.setLocked(hair.id, true);
    assert.throws(() => doc.beginMaskEdit(), /Hair is locked/);
    doc.setLocked(hair.id, false);
    doc.setVisible(hair.id, false);
    assert.throws(() => doc.beginMaskEdit(), /Hair is hidden/);
  });

  it('grow, shrink, feather and fill are one step each', () => {
    const doc = analysedDocument();
    const hair = layerNamed(doc, 'Hair');
    doc.setActiveLayer(hair.id);
    if (hair.kind === 'edit') return;
    const original = hair.mask.toDense();
    doc.growShrinkActive(5);
    assert.equal(hair.mask.get(125, 100), 255);
    doc.featherActive(4);
    doc.growShrinkActive(-3);
    doc.applyCoverageToActive({ x: 0, y: 0, width: 4, height: 4 }, new Uint8Array(16).fill(255), 4, 'add', 1, 'Fill');
    assert.equal(hair.mask.get(1, 1), 255);
    for (let i = 0; i < 4; i++) doc.undo();
    assert.deepEqual(hair.mask.toDense(), original);
  });
});

describe('document: layers', () => {
  it('builds named, coloured semantic layers per face from the analysis', () => {
    const doc = analysedDocument();
    const views = doc.views();
    assert.deepEqual(views.map((v) => `${v.group}/${v.name}`), ['Face 1/Skin', 'Face 1/Hair', 'Scene/Background']);
    assert.equal(views.find((v) => v.name === 'Hair')!.color, '#0000cc');
    assert.equal(views.find((v) => v.name === 'Background')!.visible, false);
  });

  it('undoes and redoes rename, visibility, lock, opacity, reorder, add and delete', () => {
    const doc = analysedDocument();
    const names = () => doc.views().map((v) => v.name).join(',');
    const initial = names();
    const mask = doc.addMaskLayer();
    doc.renameLayer(mask.id, 'Freckles');
    doc.setVisible(mask.id, false);
    doc.setOpacity(mask.id, 0.3);
    doc.moveLayer(mask.id, 0);
    doc.setLocked(mask.id, true);
    assert.equal(names(), 'Skin,Hair,Background,Freckles');
    const hair = layerNamed(doc, 'Hair');
    doc.deleteLayer(hair.id);
    assert.equal(names(), 'Skin,Background,Freckles');
    doc.undo();
    assert.equal(names(), 'Skin,Hair,Background,Freckles');
    for (let i = 0; i < 4; i++) doc.undo();
    assert.equal(mask.name, 'Freckles');
    assert.equal(mask.visible, true);
    doc.undo();
    assert.equal(mask.name, 'Mask 1');
    doc.undo();
    assert.equal(names(), initial);
    for (let i = 0; i < 7; i++) doc.redo();
    assert.equal(names(), 'Skin,Background,Freckles');
    assert.equal(mask.opacity, 0.3);
    assert.equal(mask.locked, true);
  });

  it('an opacity drag is one step; solo shows one layer without touching the history', () => {
    const doc = analysedDocument();
    const hair = layerNamed(doc, 'Hair');
    const steps = doc.history.steps;
    for (const v of [0.45, 0.3, 0.2, 0.1]) doc.setOpacity(hair.id, v, true);
    doc.endGesture();
    assert.equal(doc.history.steps, steps + 1);
    doc.toggleSolo(hair.id);
    assert.deepEqual(doc.views().filter((v) => v.shown).map((v) => v.name), ['Hair']);
    assert.equal(doc.history.steps, steps + 1);
    doc.undo();
    assert.equal(hair.opacity, 0.4);
  });

  it('edit layers become the steps previews and exports run, in order, without hidden ones', () => {
    const doc = analysedDocument();
    const a = doc.addEditLayer('face-swap', 'Face swap', { source: 'image:2', amount: 1 });
    doc.addEditLayer('smile', 'Smile', { amount: 0.5 });
    doc.setEditOption(a.id, 'amount', 0.7, true);
    doc.setEditOption(a.id, 'amount', 0.8, true);
    doc.endGesture();
    assert.deepEqual(doc.editSteps(), [
      { processor: 'face-swap', options: { source: 'image:2', amount: 0.8 } },
      { processor: 'smile', options: { amount: 0.5 } },
    ]);
    doc.setVisible(a.id, false);
    assert.deepEqual(doc.editSteps().map((s) => s.processor), ['smile']);
    doc.undo();
    doc.undo();
    assert.equal(doc.editSteps()[0]!.options.amount, 1);
  });
});
