/**
 * Before/after geometry: where the split divider falls on the backing store and in the image at
 * any zoom, pan and devicePixelRatio, how the keyboard moves it, which side of a redraw shows
 * which image, what a preview change makes dirty, and the spring-loaded before/after key.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareAfterRelease, compareParts, dividerDeviceX, dividerImageX, fractionAfterKey, fractionAt, PEEK_HOLD_MS, previewsDirtyRect, toggledBefore } from '../../src/renderer/src/view/compare';
import { imageRectToDevice, type Viewport } from '../../src/renderer/src/view/viewport';

describe('split divider ↔ view and image', () => {
  it('sits at its fraction of the view, in device pixels on HiDPI', () => {
    assert.equal(dividerDeviceX(0.5, 1000, 1), 500);
    assert.equal(dividerDeviceX(0.5, 1000, 2), 1000);
    assert.equal(dividerDeviceX(0.25, 999, 1.5), Math.round(0.25 * 999 * 1.5));
    assert.equal(dividerDeviceX(2, 800, 1), 800, 'kept inside the view');
    assert.equal(dividerDeviceX(-1, 800, 1), 0);
  });

  it('falls on the image column under it, whatever the zoom and pan', () => {
    const fit: Viewport = { zoom: 0.5, panX: 100, panY: 20 };
    // Screen x 500 (half of 1000) is image x (500 − 100) / 0.5 = 800.
    assert.equal(dividerImageX(fit, 0.5, 1000), 800);
    const zoomed: Viewport = { zoom: 4, panX: -3000, panY: 0 };
    assert.equal(dividerImageX(zoomed, 0.5, 1000), 875);
    // Panning moves the image under a divider that stays put on screen.
    assert.equal(dividerImageX({ ...zoomed, panX: -2600 }, 0.5, 1000), 775);
  });

  it('follows the pointer and never leaves the view', () => {
    assert.equal(fractionAt(250, 1000), 0.25);
    assert.equal(fractionAt(-40, 1000), 0);
    assert.equal(fractionAt(1200, 1000), 1);
    assert.equal(fractionAt(10, 0), 0.5, 'a view with no width keeps the divider centred');
  });

  it('moves with the keys as a slider does: 1 %, 10 % with Shift, Home and End', () => {
    assert.equal(fractionAfterKey(0.5, 'ArrowLeft', false), 0.49);
    assert.equal(fractionAfterKey(0.5, 'ArrowRight', true), 0.6);
    assert.equal(fractionAfterKey(0.05, 'ArrowLeft', true), 0);
    assert.equal(fractionAfterKey(0.3, 'Home', false), 0);
    assert.equal(fractionAfterKey(0.3, 'End', false), 1);
    assert.equal(fractionAfterKey(0.3, 'a', false), null);
    let f = 0.5;
    for (let i = 0; i < 7; i++) f = fractionAfterKey(f, 'ArrowRight', false)!;
    assert.equal(f, 0.57, 'steps do not drift');
  });
});

describe('what each part of a redraw shows', () => {
  const device = { x: 100, y: 50, width: 400, height: 300 };

  it('shows the edits, or the photo alone, over the whole rectangle outside split view', () => {
    assert.deepEqual(compareParts(device, 'edited', 300), [{ device, side: 'edited' }]);
    assert.deepEqual(compareParts(device, 'before', 300), [{ device, side: 'source' }]);
  });

  it('splits at the divider: the photo as opened on the left, the edits on the right', () => {
    assert.deepEqual(compareParts(device, 'split', 300), [
      { device: { x: 100, y: 50, width: 200, height: 300 }, side: 'source' },
      { device: { x: 300, y: 50, width: 200, height: 300 }, side: 'edited' },
    ]);
    assert.deepEqual(compareParts(device, 'split', 50), [{ device, side: 'edited' }], 'divider left of the rectangle');
    assert.deepEqual(compareParts(device, 'split', 500), [{ device, side: 'source' }], 'divider at its right edge');
    assert.deepEqual(compareParts({ x: 0, y: 0, width: 0, height: 10 }, 'split', 5), []);
  });

  it('splits a redraw at the same device column at any zoom on HiDPI', () => {
    const v: Viewport = { zoom: 2.5, panX: -700, panY: -40 };
    const dpr = 2;
    const rect = imageRectToDevice(v, { x: 300, y: 100, width: 200, height: 50 }, dpr);
    const divider = dividerDeviceX(0.5, 1000, dpr);
    const parts = compareParts(rect, 'split', divider);
    assert.equal(parts[0]!.device.x + parts[0]!.device.width, divider);
    assert.equal(parts[1]!.device.x, divider);
    // The divider's image column is where the parts meet, mapped back through the viewport.
    const meetX = (divider / dpr - v.panX) / v.zoom;
    assert.equal(meetX, dividerImageX(v, 0.5, 1000));
  });
});

describe('what a preview change makes dirty', () => {
  it('covers the old and the new preview boxes, and nothing when there are none', () => {
    const face = { x: 300, y: 120, width: 200, height: 240 };
    const moved = { x: 320, y: 100, width: 220, height: 240 };
    assert.deepEqual(previewsDirtyRect([face], [moved]), { x: 300, y: 100, width: 240, height: 260 });
    assert.deepEqual(previewsDirtyRect([face], []), face, 'a removed preview gives its pixels back to the photo');
    assert.deepEqual(previewsDirtyRect([], [moved]), moved);
    const dirty = previewsDirtyRect([], []);
    assert.ok(dirty.width <= 0 || dirty.height <= 0);
  });
});

describe('the before/after key: a tap toggles, a hold peeks', () => {
  it('toggles on the press, from the edit or from the split view, and back from before', () => {
    assert.equal(toggledBefore('edited'), 'before');
    assert.equal(toggledBefore('split'), 'before');
    assert.equal(toggledBefore('before'), 'edited');
  });

  it('keeps the toggle after a tap, and goes back to what was shown after a hold', () => {
    const pressed = { since: 1000, restore: 'edited' as const };
    assert.equal(compareAfterRelease(pressed, 1000 + PEEK_HOLD_MS - 1, 'before'), 'before', 'a tap: before stays on');
    assert.equal(compareAfterRelease(pressed, 1000 + PEEK_HOLD_MS, 'before'), 'edited', 'a hold: a peek, the edit comes back');
    assert.equal(compareAfterRelease({ since: 0, restore: 'split' }, 2000, 'before'), 'split', 'a peek from the split view returns to it');
    assert.equal(compareAfterRelease({ since: 0, restore: 'before' }, 2000, 'edited'), 'before', 'holding while before was on peeks at the edit');
  });
});
