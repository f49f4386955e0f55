/** Starts the built web host (out/node/host-web.js) and Debian's Chromium for e2e tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface RunningWebHost {
  url: string;
  origin: string;
  child: ChildProcess;
  /** The engine's writable data folder (autosaves, uploads, user models): a fresh one per host. */
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Each host gets its own empty data folder (SEAM_HOME), removed when it stops, so a test never sees
 * another run's autosaves or models and never writes into the user's own Seam folder.
 */
export async function startBuiltWebHost(): Promise<RunningWebHost> {
  const entry = join(process.cwd(), 'out', 'node', 'host-web.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
  const dataDir = mkdtempSync(join(tmpdir(), 'seam-web-host-'));
  const child = spawn(process.execPath, [entry], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SEAM_HOME: dataDir } });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`web host did not start in 30 s:\n${stderr}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /Seam web host: (\S+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}:\n${stderr}`)));
  });
  return {
    url,
    origin: new URL(url).origin,
    child,
    dataDir,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface EditorInChromium {
  host: RunningWebHost;
  page: Page;
  /** The page's uncaught errors, collected from the first load on: a test expects none. */
  pageErrors: string[];
  /** Closes Chromium, then stops the host (which removes its data folder). */
  close(): Promise<void>;
}

/**
 * The editor as a user meets it: a fresh web host (its own data folder), Chromium, and one page
 * with these options loaded on the editor. What every editor e2e test starts from.
 */
export async function openEditorInChromium(pageOptions: Parameters<Browser['newPage']>[0] = {}): Promise<EditorInChromium> {
  const host = await startBuiltWebHost();
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage(pageOptions);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(host.url);
    const opened = browser;
    return {
      host,
      page,
      pageErrors,
      close: async () => {
        await opened.close();
        await host.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await host.stop();
    throw error;
  }
}
