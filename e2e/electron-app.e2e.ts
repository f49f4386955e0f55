/**
 * The real Electron app, started by Playwright, where an Electron binary exists. This machine
 * cannot download one, so here the test skips and says why; on a developer machine with the
 * binary it opens the window and reads the engine's facts through preload → main → utility process.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { _electron as electron } from 'playwright-core';
import { electronBinaryPath } from '../src/engine/app-info';

const binary = electronBinaryPath();
const mainBundle = join(process.cwd(), 'out', 'main', 'index.js');
const skipReason = !binary
  ? 'no Electron binary: node_modules/electron has no downloaded dist/ (run `npm run electron:fetch` with internet)'
  : !existsSync(mainBundle)
    ? 'the app is not built: run `npm run build`'
    : false;

if (skipReason) console.log(`# skipping the Electron app test: ${skipReason}`);

describe('Electron app e2e', () => {
  it('opens the editor window and shows the engine’s facts', { skip: skipReason }, async () => {
    const app = await electron.launch({ executablePath: binary!, args: [mainBundle] });
    try {
      const window = await app.firstWindow();
      await window.getByRole('button', { name: 'About Seam' }).click();
      await window.getByTestId('doctor-facts').waitFor({ timeout: 60_000 });
      const electronFact = (await window.locator('[data-fact="electron"]').textContent()) ?? '';
      assert.match(electronFact, /running/);
      // The sandboxed page sees the contract, not Node.
      assert.equal(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require), 'undefined');
    } finally {
      await app.close();
    }
  });
});
