/**
 * Before/after and split view, as a user checks an edit: the real renderer in Debian's Chromium
 * on a HiDPI screen (devicePixelRatio 2), served by the web host, against the real engine. Open
 * astronaut.png, enlarge her eyes with the attribute sliders, toggle Before (button and P) and see
 * the photo as opened then the edit again, hold P to peek at the photo until it is let go; turn on the split view, drag the divider across her
 * eyes and move it with the arrow keys, and check that left of it the canvas shows the photo's
 * pixels and right of it the edited ones — at fit and zoomed in. Screenshots go to test-results/e2e/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { canvasDiff, imageToPage, snapshotCanvas } from '../test/renderer/support/editor-page';
import { openEditorInChromium, type EditorInChromium } from '../test/support/web-host';

const artefacts = join(process.cwd(), 'test-results', 'e2e');
const media = (name: string) => join(process.cwd(), 'test', 'fixtures', 'media', name);
const shot = (page: Page, name: string) => page.screenshot({ path: join(artefacts, `before-after-${name}.png`) });

/** Canvas pixels (backing store) that differ between two snapshots, counted apart left and right of device column `x`. */
async function diffBySide(page: Page, a: string, b: string, x: number, margin = 2): Promise<{ left: number; right: number }> {
  return (await page.evaluate(`(() => {
    const c = document.querySelector('[data-testid="photo-canvas"]');
    const A = window.__seamSnapshots[${JSON.stringify(a)}], B = window.__seamSnapshots[${JSON.stringify(b)}];
    let left = 0, right = 0;
    for (let i = 0; i < A.length; i += 4) {
      if (A[i] === B[i] && A[i + 1] === B[i + 1] && A[i + 2] === B[i + 2] && A[i + 3] === B[i + 3]) continue;
      const px = (i / 4) % c.width;
      if (px < ${x} - ${margin}) left++;
      else if (px >= ${x} + ${margin}) right++;
    }
    return { left, right };
  })()`)) as { left: number; right: number };
}

/** The divider's device column, from where its element stands over the canvas. */
async function dividerColumn(page: Page): Promise<number> {
  return (await page.evaluate(`(() => {
    const c = document.querySelector('[data-testid="photo-canvas"]').getBoundingClientRect();
    const d = document.querySelector('[data-testid="split-divider"]').getBoundingClientRect();
    return Math.round((d.left + d.width / 2 - c.left) * devicePixelRatio);
  })()`)) as number;
}

async function previewSettled(page: Page): Promise<void> {
  await page.getByText('Updating preview…').waitFor({ state: 'detached', timeout: 120_000 });
  await page.waitForTimeout(150);
}

describe('before/after and split view in Chromium, against the real engine', () => {
  let editor: EditorInChromium | undefined;
  let page: Page;
  let pageErrors: string[] = [];
  /** The changed area of the eyes edit, in image pixels. */
  let edit: { x0: number; y0: number; x1: number; y1: number };

  before(async () => {
    mkdirSync(artefacts, { recursive: true });
    editor = await openEditorInChromium({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 2 });
    ({ page, pageErrors } = editor);
    await page.getByTestId('open-input').setInputFiles(media('astronaut.png'));
    await page.locator('[data-layer-name="Hair"]').waitFor({ timeout: 120_000 });
    await page.keyboard.press('\\'); // masks hidden: only the photo and its edits show
    await page.getByLabel('Edit to add').selectOption('attributes');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByTestId('processor-options').waitFor();
    await page.getByLabel('Eye size', { exact: true }).focus();
    await page.keyboard.press('End');
    await previewSettled(page);
    await snapshotCanvas(page, 'edited');
    // The photo as opened, in the same layout: the edit layer hidden for a moment.
    const editLayer = (await page.locator('[data-testid="layers"] [data-layer-name]').first().getAttribute('data-layer-name'))!;
    await page.getByRole('button', { name: `Hide ${editLayer}` }).click();
    await previewSettled(page);
    await snapshotCanvas(page, 'photo');
    await page.getByRole('button', { name: `Show ${editLayer}` }).click();
    await previewSettled(page);
    await snapshotCanvas(page, 'edited-again');
    assert.equal((await canvasDiff(page, 'edited', 'edited-again', 0)).changed, 0, 'showing the layer again shows the same edit');
    const changed = await canvasDiff(page, 'photo', 'edited');
    assert.ok(changed.changed > 500 && changed.box, `the eyes edit changed ${changed.changed} canvas pixels`);
    edit = changed.box;
    await shot(page, '01-edited');
  });

  after(async () => {
    await editor?.close();
  });

  it('shows the photo as opened while Before is on, and the edit again when it is off', async () => {
    const button = page.getByRole('button', { name: 'Before', exact: true });
    assert.equal(await button.getAttribute('aria-pressed'), 'false');
    assert.equal(await button.getAttribute('aria-keyshortcuts'), 'P');
    await button.click();
    assert.equal(await button.getAttribute('aria-pressed'), 'true');
    await page.getByRole('status').filter({ hasText: 'Before: the photo without its edits' }).waitFor();
    await snapshotCanvas(page, 'before-on');
    assert.equal((await canvasDiff(page, 'photo', 'before-on', 0)).changed, 0, 'every canvas pixel is the photo as opened');
    await shot(page, '02-before');

    await page.getByTestId('photo-canvas').focus();
    await page.keyboard.press('p');
    assert.equal(await button.getAttribute('aria-pressed'), 'false');
    await snapshotCanvas(page, 'before-off');
    assert.equal((await canvasDiff(page, 'edited', 'before-off', 0)).changed, 0, 'the edit is back, pixel for pixel');

    await page.keyboard.press('p');
    await snapshotCanvas(page, 'before-key');
    assert.equal((await canvasDiff(page, 'photo', 'before-key', 0)).changed, 0, 'P shows the photo as opened too');
    await page.keyboard.press('p');
    assert.equal(await button.getAttribute('aria-pressed'), 'false');

    // Held, P peeks: the photo as opened while it is down (its auto-repeats change nothing), the edit when let go.
    await page.keyboard.down('p');
    await page.keyboard.down('p'); // a second keydown while down: an auto-repeat, which must not toggle back
    assert.equal(await button.getAttribute('aria-pressed'), 'true', 'before while P is held');
    await snapshotCanvas(page, 'peek');
    assert.equal((await canvasDiff(page, 'photo', 'peek', 0)).changed, 0, 'the photo as opened while P is held');
    await page.waitForTimeout(500);
    await page.keyboard.up('p');
    assert.equal(await button.getAttribute('aria-pressed'), 'false', 'the edit again once P is let go');
    await snapshotCanvas(page, 'after-peek');
    assert.equal((await canvasDiff(page, 'edited', 'after-peek', 0)).changed, 0, 'the edit is back, pixel for pixel');
    assert.deepEqual(pageErrors, []);
  });

  it('splits the canvas at the divider: the photo on the left, the edit on the right', async () => {
    await page.getByRole('button', { name: 'Split view' }).click();
    const divider = page.getByRole('slider', { name: /Before and after divider/ });
    await divider.waitFor();
    assert.equal(await divider.getAttribute('aria-valuenow'), '50');

    // Drag the divider to the middle of the eyes edit.
    const from = (await divider.boundingBox())!;
    const target = await imageToPage(page, (edit.x0 + edit.x1) / 2, (edit.y0 + edit.y1) / 2);
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(target.x, from.y + from.height / 2, { steps: 8 });
    await page.mouse.up();
    await snapshotCanvas(page, 'split');
    const x = await dividerColumn(page);
    const vsPhoto = await diffBySide(page, 'photo', 'split', x);
    const vsEdit = await diffBySide(page, 'edited', 'split', x);
    assert.equal(vsPhoto.left, 0, 'left of the divider: the photo as opened');
    assert.equal(vsEdit.right, 0, 'right of the divider: the edited photo');
    assert.ok(vsEdit.left > 100 && vsPhoto.right > 100, `the edit lies on both sides: ${JSON.stringify({ vsPhoto, vsEdit })}`);
    await shot(page, '03-split');

    // The keyboard moves it as a slider: five steps right puts more of the photo on the left.
    const before = Number(await divider.getAttribute('aria-valuenow'));
    await divider.focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    assert.equal(Number(await divider.getAttribute('aria-valuenow')), before + 5);
    await snapshotCanvas(page, 'split-moved');
    const moved = await dividerColumn(page);
    assert.ok(moved > x, `the divider moved right: ${x} → ${moved}`);
    const afterKeys = await diffBySide(page, 'photo', 'split-moved', moved);
    assert.equal(afterKeys.left, 0);
    assert.equal((await diffBySide(page, 'edited', 'split-moved', moved)).right, 0);
    assert.deepEqual(pageErrors, []);
  });

  it('keeps the split honest zoomed in and panned', async () => {
    await page.getByTestId('photo-canvas').focus();
    await page.keyboard.press('Control+1');
    await page.keyboard.press('Control+=');
    await page.keyboard.press('ArrowLeft'); // pans the canvas
    // Reference pictures at this zoom and pan: the photo alone (Before), then the edit.
    await page.getByRole('button', { name: 'Split view' }).click();
    await page.keyboard.press('p');
    await snapshotCanvas(page, 'zoomed-photo');
    await page.keyboard.press('p');
    await snapshotCanvas(page, 'zoomed-edited');
    assert.ok((await canvasDiff(page, 'zoomed-photo', 'zoomed-edited')).changed > 500, 'the edit is in view when zoomed');
    await page.getByRole('button', { name: 'Split view' }).click();
    await snapshotCanvas(page, 'zoomed-split');
    const x = await dividerColumn(page);
    assert.equal((await diffBySide(page, 'zoomed-photo', 'zoomed-split', x)).left, 0);
    assert.equal((await diffBySide(page, 'zoomed-edited', 'zoomed-split', x)).right, 0);
    await shot(page, '04-split-zoomed');
    assert.deepEqual(pageErrors, []);
  });
});
