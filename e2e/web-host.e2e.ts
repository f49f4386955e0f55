/**
 * The real renderer in Debian's Chromium, served by the web host and talking over the contract to
 * the engine in a worker: open the About panel and see the engine's doctor facts on screen.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startBuiltWebHost, type RunningWebHost } from '../test/support/web-host';

const artefacts = join(process.cwd(), 'test-results', 'e2e');

describe('web host e2e (Chromium)', () => {
  let host: RunningWebHost;
  let browser: Browser;
  let page: Page;

  before(async () => {
    mkdirSync(artefacts, { recursive: true });
    host = await startBuiltWebHost();
    browser = await launchChromium();
    page = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('shows the engine’s doctor facts in the About panel', async () => {
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(host.url);
    await page.getByRole('button', { name: 'About Seam' }).click();
    const facts = page.getByTestId('doctor-facts');
    await facts.waitFor({ timeout: 60_000 });
    // The engine's answer, not the page's: Node's version comes from the engine process.
    assert.equal((await page.locator('[data-fact="node"]').textContent())?.trim(), process.version);
    const ort = (await page.locator('[data-fact="onnxruntime"]').textContent())?.trim();
    assert.match(ort ?? '', /^1\.\d+\.\d+$/);
    assert.match((await page.locator('[data-fact="session-provider"]').textContent()) ?? '', /cpu/);
    assert.match((await page.locator('[data-fact="ffmpeg"]').textContent()) ?? '', /\//);
    const rows = await page.getByTestId('doctor-models').locator('tbody tr').allTextContents();
    assert.ok(rows.some((row) => row.includes('face_detection_short_range') && /ms/.test(row)), rows.join('\n'));
    await page.screenshot({ path: join(artefacts, 'about-panel.png'), fullPage: true });
    assert.deepEqual(pageErrors, []);
  });

  it('lists the models and refuses a file that is not SEAN\'s checkpoint with a readable message', async () => {
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Models' }).click();
    const list = page.getByTestId('model-list');
    await list.locator('tr[data-model="face_detection_short_range"]').waitFor({ timeout: 60_000 });
    const before = await list.locator('tbody tr').count();
    // A photo renamed to the checkpoint's name: what a user who picked the wrong file sends.
    await page.getByTestId('sean-file-input').setInputFiles(join(process.cwd(), 'test', 'fixtures', 'media', 'astronaut.png'));
    const error = page.getByTestId('model-error');
    await error.waitFor({ timeout: 60_000 });
    assert.match((await error.textContent()) ?? '', /astronaut\.png.*not a PyTorch checkpoint/i);
    assert.equal(await list.locator('tbody tr').count(), before, 'nothing was installed');
    await page.screenshot({ path: join(artefacts, 'models-refused.png'), fullPage: true });
    assert.deepEqual(pageErrors, []);
  });

  it('imports a user ONNX model checked against its task, lists it, and removes it', async () => {
    const model = join(host.dataDir, 'my-detector.onnx');
    copyFileSync(join(process.cwd(), 'resources', 'models', 'face_detection_short_range.onnx'), model);
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Models' }).click();
    const list = page.getByTestId('model-list');
    await list.locator('tr[data-model="face_detection_short_range"]').waitFor({ timeout: 60_000 });
    await page.getByLabel('Task').selectOption('face-detection');
    await page.getByTestId('onnx-file-input').setInputFiles(model);
    const row = list.locator('tr[data-model="my-detector"]');
    await row.waitFor({ timeout: 60_000 });
    assert.match((await row.textContent()) ?? '', /face-detection.*file my-detector\.onnx/);
    await page.screenshot({ path: join(artefacts, 'models-imported.png'), fullPage: true });
    await page.getByRole('button', { name: 'Remove my-detector' }).click();
    await row.waitFor({ state: 'detached', timeout: 30_000 });
  });

  it('imports a checkpoint dropped on the window: the model manager opens and says what is wrong with it', async () => {
    await page.goto(host.url);
    await page.getByRole('button', { name: 'About Seam' }).waitFor();
    // Text bytes named like SEAN's checkpoint: the drop goes to the model manager, not to the photo opener.
    await page.evaluate(`(() => {
      const data = new DataTransfer();
      data.items.add(new File([new TextEncoder().encode('not a checkpoint')], 'latest_net_G.pth'));
      window.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    })()`);
    const error = page.getByTestId('model-error');
    await error.waitFor({ timeout: 60_000 });
    assert.match((await error.textContent()) ?? '', /latest_net_G\.pth.*not a PyTorch checkpoint/i);
    assert.equal(await page.getByRole('tab').count(), 0, 'no document was opened for it');
    await page.screenshot({ path: join(artefacts, 'models-dropped.png'), fullPage: true });
  });

  it('refuses a socket without the token or from another origin', async () => {
    // A string, not a function: tsx's compiled functions reference helpers the page does not have.
    const refused = await page.evaluate(`(async () => {
      const attempt = (url) => new Promise((resolve) => {
        const ws = new WebSocket(url);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      });
      const base = ${JSON.stringify(host.origin.replace('http', 'ws'))};
      return { noToken: await attempt(base + '/engine'), badToken: await attempt(base + '/engine?token=wrong') };
    })()`);
    assert.deepEqual(refused, { noToken: 'refused', badToken: 'refused' });
  });
});
