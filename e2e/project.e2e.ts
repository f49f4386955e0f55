/**
 * Projects end to end, as a user works: in Chromium against the real engine, open astronaut.png,
 * paint a new mask over the face, add an attribute edit limited to that mask and move a slider.
 * The tab says unsaved and an autosave is written; after a reload the start screen offers to
 * recover it, and the layers, the mask's pixels, the limit and the slider come back. Then Ctrl+S
 * saves a .seam; after another reload, opening that file brings the same document back; a face
 * swap whose source is another open photo, saved and reopened, brings that photo back. Mask
 * export gives a greyscale PNG at the photo's size with the painted pixels. Screenshots of each
 * step go to test-results/e2e/.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { Download, Page } from 'playwright-core';
import { processorDescriptors } from '../src/engine/edit/registry';
import { canvasDiff, dragThrough, layerNames, snapshotCanvas } from '../test/renderer/support/editor-page';
import { openEditorInChromium, type EditorInChromium } from '../test/support/web-host';

const artefacts = join(process.cwd(), 'test-results', 'e2e');
const media = (name: string) => join(process.cwd(), 'test', 'fixtures', 'media', name);
const shot = (page: Page, name: string) => page.screenshot({ path: join(artefacts, `project-${name}.png`) });
/** Image coordinates of the stroke: across her eyes, where the eye-size slider works. */
const STROKE: Array<[number, number]> = [[190, 103], [225, 105], [260, 107]];
const attributes = processorDescriptors().find((d) => d.id === 'attributes');
if (!attributes) throw new Error('the engine registers no attributes processor');

async function download(page: Page, action: () => Promise<unknown>, saveAs: string): Promise<{ name: string; path: string }> {
  const [file] = (await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), action()])) as [Download, unknown];
  const path = join(artefacts, saveAs);
  await file.saveAs(path);
  return { name: file.suggestedFilename(), path };
}

async function maskPixels(path: string): Promise<{ width: number; height: number; channels: number; data: Uint8Array }> {
  const meta = await sharp(path).metadata();
  const data = new Uint8Array(await sharp(path).extractChannel(0).raw().toBuffer());
  return { width: meta.width!, height: meta.height!, channels: meta.channels!, data };
}

/** What a user checks after reopening: the layers, the edit's slider and its limit. */
async function documentState(page: Page): Promise<{ names: string[]; slider: string; field: string; limit: string }> {
  await page.locator(`[data-layer-name="${attributes!.title}"] button.name`).click();
  const options = page.getByTestId('processor-options');
  await options.waitFor();
  const slider = options.locator('input[type="range"]').first();
  const field = (await slider.evaluate((el) => el.closest('[data-field]')?.getAttribute('data-field'))) ?? '';
  const limit = (await page.getByLabel('Limit to mask').locator('option:checked').textContent())?.trim() ?? '';
  return { names: await layerNames(page), slider: await slider.inputValue(), field, limit };
}

/** Analysis done (the previews wait for it, without a badge of their own) and the preview updated. */
async function settled(page: Page): Promise<void> {
  await page.getByText('Finding faces and regions…').waitFor({ state: 'detached', timeout: 120_000 });
  await page.getByText('Updating preview…').waitFor({ state: 'detached', timeout: 120_000 });
  await page.waitForTimeout(150);
  await page.getByText('Updating preview…').waitFor({ state: 'detached', timeout: 120_000 });
}

describe('projects, autosave and mask export in Chromium, against the real engine', () => {
  let editor: EditorInChromium | undefined;
  let page: Page;
  let pageErrors: string[] = [];
  let before_: Awaited<ReturnType<typeof documentState>>;
  let paintedMask: Awaited<ReturnType<typeof maskPixels>>;
  let savedProject = '';

  before(async () => {
    mkdirSync(artefacts, { recursive: true });
    // The host gives the engine a fresh data folder, so no earlier run's autosaves show up.
    editor = await openEditorInChromium({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    ({ page, pageErrors } = editor);
  });

  after(async () => {
    await editor?.close();
  });

  it('paints a new mask over her eyes, limits an attribute edit to it, and marks the tab unsaved', async () => {
    await page.getByTestId('open-input').setInputFiles(media('astronaut.png'));
    await page.locator('[data-layer-name="Hair"]').waitFor({ timeout: 120_000 });
    const tab = page.locator('.document-tab', { has: page.getByRole('tab', { name: /astronaut\.png/ }) });
    assert.equal(await tab.getAttribute('data-dirty'), 'false', 'a photo just opened has nothing to save');

    await page.getByRole('button', { name: 'New mask layer' }).click();
    await page.locator('[data-layer-name="Mask 1"]').waitFor();
    await page.keyboard.press('b');
    await page.getByLabel('Brush size in pixels').fill('24');
    await dragThrough(page, STROKE);

    await page.getByLabel('Edit to add').selectOption('attributes');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByTestId('processor-options').waitFor();
    await page.getByLabel('Limit to mask').selectOption({ label: 'Mask 1' });
    const slider = page.getByTestId('processor-options').locator('input[type="range"]').first();
    await slider.focus();
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
    await page.getByText('Updating preview…').waitFor({ state: 'detached', timeout: 120_000 });
    before_ = await documentState(page);
    assert.notEqual(before_.slider, '0', 'the slider moved');
    assert.equal(before_.limit, 'Mask 1');
    assert.equal(await tab.getAttribute('data-dirty'), 'true');
    await shot(page, '01-edited');
    assert.deepEqual(pageErrors, []);
  });

  it('exports the painted mask as a greyscale PNG at the photo size', async () => {
    const png = await download(page, () => page.getByRole('button', { name: 'Export Mask 1 as PNG' }).click(), 'project-mask-1.png');
    assert.equal(png.name, 'astronaut-masks-mask-1.png');
    paintedMask = await maskPixels(png.path);
    assert.deepEqual([paintedMask.width, paintedMask.height, paintedMask.channels], [512, 512, 1]);
    for (const [x, y] of STROKE) assert.equal(paintedMask.data[y * 512 + x], 255, `the stroke at ${x},${y} is painted`);
    let painted = 0;
    for (let p = 0; p < paintedMask.data.length; p++) {
      if (paintedMask.data[p] === 0) continue;
      painted++;
      const [x, y] = [p % 512, Math.floor(p / 512)];
      assert.ok(x > 170 && x < 280 && y > 85 && y < 125, `painted pixel ${x},${y} far from the stroke`);
    }
    assert.ok(painted > 2000, `${painted} pixels painted`);

    const all = await download(page, () => page.getByRole('button', { name: 'Export all masks' }).click(), 'project-masks.zip');
    assert.equal(all.name, 'astronaut-masks.zip');
  });

  it('autosaves, and after a reload recovers the layers, the mask, the limit and the slider', async () => {
    const tab = page.locator('.document-tab', { has: page.getByRole('tab', { name: /astronaut\.png/ }) });
    await page.locator('.document-tab[data-autosaved="true"]').waitFor({ timeout: 30_000 });
    assert.equal(await tab.getAttribute('data-dirty'), 'true', 'an autosave does not make the document saved');
    await page.reload();
    const recover = page.getByRole('button', { name: 'Recover astronaut.seam' });
    await recover.waitFor({ timeout: 30_000 });
    await shot(page, '02-recover-offered');
    await recover.click();
    await page.locator('[data-layer-name="Mask 1"]').waitFor({ timeout: 60_000 });
    const after_ = await documentState(page);
    assert.deepEqual(after_, before_);
    assert.equal(await tab.getAttribute('data-dirty'), 'true', 'recovered work is still unsaved');
    const png = await download(page, () => page.getByRole('button', { name: 'Export Mask 1 as PNG' }).click(), 'project-mask-1-recovered.png');
    assert.deepEqual((await maskPixels(png.path)).data, paintedMask.data, 'the recovered mask has every painted pixel');
    await shot(page, '03-recovered');
  });

  it('saves a .seam with Ctrl+S, and opening it after a reload brings the same document back', async () => {
    const tab = page.locator('.document-tab', { has: page.getByRole('tab', { name: /astronaut\.png/ }) });
    const saved = await download(page, () => page.keyboard.press('Control+s'), 'project-astronaut.seam');
    assert.equal(saved.name, 'astronaut.seam');
    savedProject = saved.path;
    await page.locator('.document-tab[data-dirty="false"]').waitFor();
    assert.equal(await tab.getAttribute('data-dirty'), 'false');
    const bytes = readFileSync(savedProject);
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'a .seam is a zip');

    await page.reload();
    await page.getByRole('heading', { name: /Open a photo/ }).waitFor();
    assert.equal(await page.getByText('Recover unsaved work').count(), 0, 'saving dropped the autosave');
    await page.getByTestId('open-input').setInputFiles(savedProject);
    await page.locator('[data-layer-name="Mask 1"]').waitFor({ timeout: 60_000 });
    assert.deepEqual(await documentState(page), before_);
    const png = await download(page, () => page.getByRole('button', { name: 'Export Mask 1 as PNG' }).click(), 'project-mask-1-reopened.png');
    assert.deepEqual((await maskPixels(png.path)).data, paintedMask.data);
    await page.getByText('Updating preview…').waitFor({ state: 'detached', timeout: 120_000 });
    await shot(page, '04-reopened');
    assert.deepEqual(pageErrors, []);
  });

  it("carries a face swap's source photo: reopened, the photo opens beside it and the swap runs without asking for it again", async () => {
    await page.getByLabel('Edit to add').selectOption('face-swap');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByTestId('photo-input-source').setInputFiles(media('grace_hopper.jpg'));
    await page.getByRole('tab', { name: /grace_hopper\.jpg/ }).waitFor({ timeout: 60_000 });
    await page.locator('.adjust-panel .attention').waitFor({ state: 'detached', timeout: 60_000 });
    await page.getByText('Updating preview…').waitFor({ state: 'detached', timeout: 120_000 });
    const saved = await download(page, () => page.keyboard.press('Control+s'), 'project-astronaut-swap.seam');

    await page.reload();
    await page.getByRole('heading', { name: /Open a photo/ }).waitFor();
    await page.getByTestId('open-input').setInputFiles(saved.path);
    await page.locator('[data-layer-name="Face swap"]').waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: /grace_hopper\.jpg/ }).waitFor({ timeout: 60_000 });
    assert.equal(await page.getByRole('tab', { name: /astronaut\.png/ }).getAttribute('aria-selected'), 'true', 'the project stays in front of its source photo');
    await page.locator('[data-layer-name="Face swap"] button.name').click();
    assert.equal(await page.locator('.adjust-panel .attention').count(), 0, 'the swap does not wait for a photo');
    assert.equal((await page.getByLabel('Source photo', { exact: true }).locator('option:checked').textContent())?.trim(), 'grace_hopper.jpg');

    // The swap is there: showing and hiding its layer changes her face, and only around it.
    await page.keyboard.press('\\');
    await settled(page);
    await snapshotCanvas(page, 'reopened-swap');
    await page.getByRole('button', { name: 'Hide Face swap' }).click();
    await settled(page);
    await snapshotCanvas(page, 'reopened-no-swap');
    const swap = await canvasDiff(page, 'reopened-no-swap', 'reopened-swap');
    assert.ok(swap.changed > 500, `the reopened swap changes ${swap.changed} canvas pixels`);
    assert.ok(swap.box!.x0 > 120 && swap.box!.x1 < 340 && swap.box!.y0 > 20 && swap.box!.y1 < 260, `the change at ${JSON.stringify(swap.box)} is her face`);
    await page.getByRole('button', { name: 'Show Face swap' }).click();
    await settled(page);
    await shot(page, '05-reopened-swap');
    assert.deepEqual(pageErrors, []);
  });
});
