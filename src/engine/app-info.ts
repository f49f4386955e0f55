/** Facts about this install that need no engine: versions read from package.json files on disk. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { appRootFromHere } from './paths';

const require = createRequire(import.meta.url);

export function readPackageVersion(name: string): string | null {
  try {
    const file = require.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

export function appVersion(appRoot = appRootFromHere()): string {
  try {
    return (JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * The Electron this process runs in, or else the installed `electron` package and whether its
 * binary was downloaded (its path.txt names the executable inside dist/ once it is).
 */
export function electronInfo(): { version: string | null; running: boolean; binaryPresent: boolean } {
  const running = process.versions.electron;
  if (running) return { version: running, running: true, binaryPresent: true };
  const version = readPackageVersion('electron');
  if (!version) return { version: null, running: false, binaryPresent: false };
  return { version, running: false, binaryPresent: electronBinaryPath() !== null };
}

export function electronBinaryPath(): string | null {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}
