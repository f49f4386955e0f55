/**
 * The tools as state machines, driven the way a user drives them (press, drag, release, keys),
 * checking the document afterwards; plus the keyboard shortcuts and the viewport maths.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PhotoDocument } from '../../src/renderer/src/document/photo-document';
import { BrushTool, DEFAULT_BRUSH_OPTIONS } from '../../src/renderer/src/tools/brush-tool';
import { DEFAULT_FILL_OPTIONS, FillTool, type FillOptions } from '../../src/renderer/src/tools/fill-tool';
import { DEFAULT_SHAPE_OPTIONS, LassoTool, PolygonTool } from '../../src/renderer/src/tools/shape-tools';
import { actionForKey, nextBrushSize } from '../../src/renderer/src/tools/shortcuts';
import type { Tool, ToolHost, ToolPointer } from '../../src/renderer/src/tools/tool';
import { fitViewport, screenToImage, steppedZoom, zoomAt, imageRectToDevice } from '../../src/renderer/src/view/viewport';
import { LatestRequest } from '../../src/renderer/src/lib/latest-request';

function setup() {
  const width = 100;
  const height = 100;
  const pixels = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) pixels.set(i % width < 50 ? [200, 30, 30, 255] : [20, 20, 220, 255], i * 4);
  const doc = new PhotoDocument({ imageId: '1', name: 'p.png', width, height, pixels });
  const labels = new Uint8Array(width * height);
  for (let y = 20; y < 80; y++) for (let x = 20; x < 80; x++) labels[y * width + x] = y < 40 ? 13 : 1;
  doc.applyAnalysis({ faces: [{ x: 20, y: 20, width: 60, height: 60 }], labels, personAlpha: null });
  const mask = doc.addMaskLayer('Test mask');
  const reports: string[] = [];
  const host: ToolHost = { document: doc, report: (e) => reports.push(e instanceof Error ? e.message : String(e)) };
  return { doc, mask, host, reports };
}

const at = (x: number, y: number, extra: Partial<ToolPointer> = {}): ToolPointer => ({ x, y, pressure: 1, alt: false, shift: false, pixelsPerScreenPixel: 1, ...extra });

describe('brush and eraser tools', () => {
  it('Ready → Painting → Ready, one undo step per stroke', () => {
    const { doc, mask, host } = setup();
    const brush = new BrushTool('brush', () => ({ ...DEFAULT_BRUSH_OPTIONS, size: 10, hardness: 1 }));
    const steps = doc.history.steps;
    brush.pointerDown(at(10, 10), host);
    assert.equal(brush.state, 'painting');
    brush.pointerMove(at(30, 10), host);
    brush.pointerUp(at(50, 10), host);
    assert.equal(brush.state, 'ready');
    assert.equal(mask.mask.get(40, 10), 255);
    assert.equal(doc.history.steps, steps + 1);
    const eraser = new BrushTool('eraser', () => ({ ...DEFAULT_BRUSH_OPTIONS, size: 6, hardness: 1 }));
    eraser.pointerDown(at(40, 10), host);
    eraser.pointerUp(at(40, 10), host);
    assert.equal(mask.mask.get(40, 10), 0);
    doc.undo();
    assert.equal(mask.mask.get(40, 10), 255);
    doc.undo();
    assert.equal(mask.mask.get(40, 10), 0);
  });

  it('Escape during a stroke takes it back; a locked layer is refused with a readable message', () => {
    const { doc, mask, host, reports } = setup();
    const brush = new BrushTool('brush', () => DEFAULT_BRUSH_OPTIONS);
    brush.pointerDown(at(50, 50), host);
    assert.equal(brush.key('Escape', host), true);
    assert.equal(mask.mask.allocatedBytes, 0);
    doc.setLocked(mask.id, true);
    brush.pointerDown(at(50, 50), host);
    assert.equal(brush.state, 'ready');
    assert.deepEqual(reports, ['Test mask is locked: unlock it to change it.']);
  });
});

describe('fill tool', () => {
  it('fills by region (label) and by colour within a tolerance; Alt subtracts', () => {
    const { mask, host } = setup();
    let options: FillOptions = { ...DEFAULT_FILL_OPTIONS, by: 'region' };
    const fill = new FillTool(() => options);
    fill.pointerDown(at(50, 30), host);
    assert.equal(mask.mask.get(50, 25), 255);
    assert.equal(mask.mask.get(50, 45), 0);
    options = { ...options, by: 'colour', tolerance: 10 };
    fill.pointerDown(at(10, 90), host);
    assert.equal(mask.mask.get(49, 99), 255);
    assert.equal(mask.mask.get(50, 99), 0);
    fill.pointerDown(at(10, 90, { alt: true }), host);
    assert.equal(mask.mask.get(10, 10), 0);
  });
});

describe('lasso and polygon tools', () => {
  it('a lasso drag fills its shape on release', () => {
    const { mask, host } = setup();
    const lasso: Tool = new LassoTool(() => DEFAULT_SHAPE_OPTIONS);
    lasso.pointerDown(at(10, 10), host);
    assert.equal(lasso.state, 'drawing');
    lasso.pointerMove(at(40, 10), host);
    lasso.pointerMove(at(40, 40), host);
    lasso.pointerUp(at(10, 40), host);
    assert.equal(lasso.state, 'ready');
    assert.equal(mask.mask.get(25, 25), 255);
    assert.equal(mask.mask.get(45, 25), 0);
  });

  it('polygon corners by click, Backspace drops one, double-click closes; Escape abandons', () => {
    const { mask, host } = setup();
    const polygon = new PolygonTool(() => DEFAULT_SHAPE_OPTIONS);
    for (const [x, y] of [[60, 60], [90, 60], [5, 5]] as const) polygon.pointerDown(at(x, y), host);
    assert.equal(polygon.key('Backspace', host), true);
    assert.equal(polygon.corners, 2);
    polygon.pointerDown(at(90, 90), host);
    polygon.pointerDown(at(90, 90), host);
    polygon.doubleClick(at(90, 90), host);
    assert.equal(polygon.state, 'ready');
    assert.equal(mask.mask.get(85, 70), 255);
    assert.equal(mask.mask.get(10, 10), 0);
    polygon.pointerDown(at(1, 1), host);
    polygon.key('Escape', host);
    assert.equal(polygon.state, 'ready');
  });

  it('a click on the first corner closes the polygon', () => {
    const { mask, host } = setup();
    const polygon = new PolygonTool(() => DEFAULT_SHAPE_OPTIONS);
    for (const [x, y] of [[10, 60], [40, 60], [40, 90], [12, 61]] as const) polygon.pointerDown(at(x, y), host);
    assert.equal(polygon.state, 'ready');
    assert.equal(mask.mask.get(30, 70), 255);
  });
});

describe('keyboard shortcuts', () => {
  const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean; code: string }> = {}) =>
    ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

  it('maps the keys Photoshop users know', () => {
    assert.deepEqual(actionForKey(key('b'), false), { kind: 'tool', tool: 'brush' });
    assert.deepEqual(actionForKey(key('E'), false), { kind: 'tool', tool: 'eraser' });
    assert.deepEqual(actionForKey(key('g'), false), { kind: 'tool', tool: 'fill' });
    assert.deepEqual(actionForKey(key('L', { shiftKey: true }), false), { kind: 'tool', tool: 'polygon' });
    assert.deepEqual(actionForKey(key(']'), false), { kind: 'brush-size', direction: 1 });
    assert.deepEqual(actionForKey(key('{', { shiftKey: true, code: 'BracketLeft' }), false), { kind: 'brush-hardness', direction: -1 });
    assert.deepEqual(actionForKey(key('z', { ctrlKey: true }), false), { kind: 'undo' });
    assert.deepEqual(actionForKey(key('Z', { ctrlKey: true, shiftKey: true }), false), { kind: 'redo' });
    assert.deepEqual(actionForKey(key('z', { metaKey: true }), true), { kind: 'undo' });
    assert.equal(actionForKey(key('z', { ctrlKey: true }), true), null, 'Ctrl+Z is not undo on a Mac');
    assert.deepEqual(actionForKey(key('0', { ctrlKey: true }), false), { kind: 'zoom', to: 'fit' });
    assert.equal(actionForKey(key('b', { altKey: true }), false), null);
  });

  it('steps brush sizes like Photoshop', () => {
    assert.equal(nextBrushSize(5, 1), 6);
    assert.equal(nextBrushSize(40, 1), 50);
    assert.equal(nextBrushSize(10, -1), 9);
    assert.equal(nextBrushSize(100, -1), 90);
    assert.equal(nextBrushSize(1, -1), 1);
  });
});

describe('viewport', () => {
  it('fits the image centred and zooms about the cursor', () => {
    const v = fitViewport(4000, 2000, 1048, 548, 24);
    assert.equal(v.zoom, 0.25);
    assert.deepEqual([v.panX, v.panY], [24, 24]);
    const under = screenToImage(v, 300, 200);
    const zoomed = zoomAt(v, 3, 300, 200);
    const after = screenToImage(zoomed, 300, 200);
    assert.ok(Math.abs(after.x - under.x) < 1e-9 && Math.abs(after.y - under.y) < 1e-9);
  });

  it('steps through preset zooms and maps dirty rectangles to device pixels', () => {
    assert.equal(steppedZoom(1, 1), 2);
    assert.equal(steppedZoom(1, -1), 2 / 3);
    assert.equal(steppedZoom(0.3, 1), 1 / 3);
    assert.deepEqual(imageRectToDevice({ zoom: 2, panX: 10.5, panY: 0 }, { x: 1, y: 1, width: 2, height: 2 }, 2), { x: 25, y: 4, width: 8, height: 8 });
  });
});

describe('latest-request previews', () => {
  it('runs one at a time, skips superseded requests and never shows an older result', async () => {
    const started: number[] = [];
    const shown: number[] = [];
    const resolvers: Array<() => void> = [];
    const latest = new LatestRequest<number, number>(
      (n) => {
        started.push(n);
        return new Promise((resolve) => resolvers.push(() => resolve(n)));
      },
      (n) => shown.push(n),
      () => {},
    );
    latest.request(1);
    latest.request(2);
    latest.request(3);
    latest.request(4);
    assert.deepEqual(started, [1]);
    resolvers.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    assert.deepEqual(started, [1, 4]);
    resolvers.shift()!();
    await latest.settled();
    assert.deepEqual(shown, [1, 4]);
  });
});
