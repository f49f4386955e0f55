/**
 * Where Seam's files live. The engine is told these paths; it never asks Electron. The app, the
 * CLI, the web host and the tests each build a SeamPaths with `resolvePaths` and pass it down.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SeamPaths {
  /** Built-in, read-only models and their manifest (resources/models, or <resources>/models when packaged). */
  builtInModelsDir: string;
  /** Models the user imported or installed, with their own manifest. Writable. */
  userModelsDir: string;
  /** Folder for ffmpeg/ffprobe shipped beside a packaged app (<resources>/ffmpeg); may not exist. */
  bundledFfmpegDir: string;
  /** Writable app data: autosave, caches, logs. */
  dataDir: string;
}

/** The repository (or unpacked app) root: two levels above this file in src/, or out/<env>/ when built. */
export function appRootFromHere(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  // Source runs from src/engine/, bundles run from out/<env>/: both are two levels below the root.
  return resolve(here, '..', '..');
}

export interface ResolvePathsOptions {
  /** Electron's process.resourcesPath when packaged; absent in development, the CLI and tests. */
  packagedResourcesPath?: string;
  /** Override for the app root in development (defaults to the folder above src/ or out/). */
  appRoot?: string;
  /** Override for the writable data folder (Electron passes app.getPath('userData')). */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SEAM_HOME) return resolve(env.SEAM_HOME);
  if (process.platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Seam');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Seam');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'seam');
}

export function resolvePaths(options: ResolvePathsOptions = {}): SeamPaths {
  const env = options.env ?? process.env;
  const dataDir = options.dataDir ?? defaultDataDir(env);
  const resourcesRoot = options.packagedResourcesPath ?? join(options.appRoot ?? appRootFromHere(), 'resources');
  return {
    builtInModelsDir: env.SEAM_MODELS_DIR ? resolve(env.SEAM_MODELS_DIR) : join(resourcesRoot, 'models'),
    userModelsDir: join(dataDir, 'models'),
    bundledFfmpegDir: join(resourcesRoot, 'ffmpeg'),
    dataDir,
  };
}
