/**
 * Finding ffmpeg and ffprobe. The search (`findMediaTool`) is pure over injected env, file check,
 * `which`, package resolution and version reader, so each order-of-preference case is a unit test;
 * `locateFfmpeg`/`locateFfprobe` wire the real ones and cache the answer for the process.
 *
 * Order: the env override; a binary shipped beside the packaged app; the npm package's binary
 * (optional dependency: may be absent, or present without its binary when its install script did
 * not run); the system one on PATH. A candidate only wins if it runs and prints a version.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { SeamError } from '../../shared/errors';

export type MediaToolName = 'ffmpeg' | 'ffprobe';
export type MediaToolSource = 'env' | 'bundled' | 'npm-package' | 'system';

export interface ParsedVersion {
  /** The word after "version": "5.1.9-0+deb12u1", "n6.1.1", "N-112233-gabcdef", "2023-07-21-git-…". */
  version: string;
  /** Numeric release when the version names one; git builds have none. */
  major?: number;
  minor?: number;
}

export interface LocatedMediaTool extends ParsedVersion {
  tool: MediaToolName;
  path: string;
  source: MediaToolSource;
  /** The first line of `-version`, for logs and bug reports. */
  versionLine: string;
}

export type VersionProbe = { ok: true; firstLine: string } | { ok: false; reason: string };

/** Everything the search touches, injected so tests can stage any machine. */
export interface MediaToolSearch {
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  /** SeamPaths.bundledFfmpegDir; absent where there is no packaged app. */
  bundledDir?: string;
  fileExists(path: string): boolean;
  /** The executable's full path on PATH, or undefined. */
  which(command: string): string | undefined;
  /** The path the npm package would use (ffmpeg-static / @ffprobe-installer), or undefined when it is not installed. */
  packageBinaryPath(tool: MediaToolName): string | undefined;
  /** Runs `<path> -version`. */
  readVersion(path: string): Promise<VersionProbe>;
}

const ENV_VARIABLE: Readonly<Record<MediaToolName, string>> = { ffmpeg: 'FFMPEG_PATH', ffprobe: 'FFPROBE_PATH' };
const PACKAGE_NAME: Readonly<Record<MediaToolName, string>> = { ffmpeg: 'ffmpeg-static', ffprobe: '@ffprobe-installer/ffprobe' };

/** "ffmpeg version 5.1.9-0+deb12u1 Copyright …" → { version: '5.1.9-0+deb12u1', major: 5, minor: 1 }. */
export function parseVersionLine(line: string): ParsedVersion | undefined {
  const match = /\bversion\s+(\S+)/.exec(line);
  const version = match?.[1];
  if (version === undefined) return undefined;
  const numbers = /^[nb]?(\d+)\.(\d+)/.exec(version);
  if (!numbers) return { version };
  return { version, major: Number(numbers[1]), minor: Number(numbers[2]) };
}

function executableName(tool: MediaToolName, platform: NodeJS.Platform): string {
  return platform === 'win32' ? `${tool}.exe` : tool;
}

interface Candidate {
  source: MediaToolSource;
  path: string | undefined;
  /** How the candidate is described in the "tried" list when it is missing. */
  label: string;
}

function candidates(tool: MediaToolName, search: MediaToolSearch): Candidate[] {
  const exe = executableName(tool, search.platform);
  const envVariable = ENV_VARIABLE[tool];
  return [
    { source: 'env', path: search.env[envVariable] || undefined, label: `${envVariable} (not set)` },
    {
      source: 'bundled',
      path: search.bundledDir === undefined ? undefined : join(search.bundledDir, exe),
      label: 'bundled copy (no bundled folder)',
    },
    { source: 'npm-package', path: search.packageBinaryPath(tool), label: `${PACKAGE_NAME[tool]} (not installed)` },
    { source: 'system', path: search.which(exe), label: `${exe} on PATH (not found)` },
  ];
}

/** The first candidate that exists and runs. A set but broken env override is an error, not skipped. */
export async function findMediaTool(tool: MediaToolName, search: MediaToolSearch): Promise<LocatedMediaTool> {
  const tried: string[] = [];
  for (const candidate of candidates(tool, search)) {
    if (candidate.path === undefined) {
      tried.push(candidate.label);
      continue;
    }
    const where = `${candidate.source} ${candidate.path}`;
    const found = search.fileExists(candidate.path) ? await search.readVersion(candidate.path) : undefined;
    if (found?.ok) {
      const parsed = parseVersionLine(found.firstLine) ?? { version: 'unknown' };
      return { tool, path: candidate.path, source: candidate.source, versionLine: found.firstLine, ...parsed };
    }
    const why = found === undefined ? 'does not exist' : `does not run: ${found.reason}`;
    // Someone set the variable to choose a build; quietly using another one would hide that it is broken.
    if (candidate.source === 'env') {
      throw new SeamError('MISSING_DEPENDENCY', `${ENV_VARIABLE[tool]} points to ${candidate.path}, which ${why}.`, {
        tool,
        tried: [`${where} (${why})`],
      });
    }
    tried.push(`${where} (${why})`);
  }
  throw new SeamError(
    'MISSING_DEPENDENCY',
    `${tool} was not found. Tried: ${tried.join('; ')}. Install ${tool} (e.g. apt-get install ffmpeg) or set ${ENV_VARIABLE[tool]}.`,
    { tool, tried },
  );
}

// ---- the real machine -------------------------------------------------------------------------

// The optional packages are CommonJS and may be missing, so they are required at run time, not imported.
const requireOptional = createRequire(import.meta.url);

/**
 * In a packaged app the package sits inside app.asar, which cannot be executed from; electron-builder
 * unpacks binaries to app.asar.unpacked.
 */
export function unpackedAsarPath(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

/** Resolves the optional packages' binary paths without letting their absence throw. */
export function npmPackageBinaryPath(tool: MediaToolName): string | undefined {
  try {
    if (tool === 'ffmpeg') {
      const path: unknown = requireOptional('ffmpeg-static');
      return typeof path === 'string' ? unpackedAsarPath(path) : undefined;
    }
    // @ffprobe-installer/ffprobe throws when its platform package or binary is missing.
    const installer: unknown = requireOptional('@ffprobe-installer/ffprobe');
    const path = typeof installer === 'object' && installer !== null ? (installer as { path?: unknown }).path : undefined;
    return typeof path === 'string' ? unpackedAsarPath(path) : undefined;
  } catch {
    return undefined;
  }
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** PATH lookup without a shell; on Windows only the .exe name is looked for. */
export function whichOnPath(command: string, env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const pathVariable = env.PATH ?? env.Path ?? '';
  for (const dir of pathVariable.split(delimiter)) {
    if (dir.length === 0) continue;
    const path = join(dir, command);
    try {
      if (!statSync(path).isFile()) continue;
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here, or not executable: keep looking
    }
  }
  return undefined;
}

function describeRunFailure(error: Error & { code?: unknown; killed?: boolean }): string {
  if (error.killed) return 'timed out';
  if (typeof error.code === 'number') return `exited with code ${error.code}`;
  // EACCES: an npm binary whose install script (which would chmod it) did not run.
  if (error.code === 'EACCES') return 'EACCES, not executable';
  if (typeof error.code === 'string') return error.code;
  return error.message;
}

export function readToolVersion(path: string): Promise<VersionProbe> {
  return new Promise((resolve) => {
    execFile(path, ['-version'], { timeout: 10_000, windowsHide: true }, (error, stdout) => {
      const firstLine = String(stdout).split(/\r?\n/)[0]?.trim() ?? '';
      if (error) resolve({ ok: false, reason: describeRunFailure(error) });
      else if (firstLine.length === 0) resolve({ ok: false, reason: 'printed no version' });
      else resolve({ ok: true, firstLine });
    });
  });
}

export interface LocateOptions {
  /** SeamPaths.bundledFfmpegDir. */
  bundledFfmpegDir?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

export function realMediaToolSearch(options: LocateOptions = {}): MediaToolSearch {
  const env = options.env ?? process.env;
  const search: MediaToolSearch = {
    env,
    platform: process.platform,
    fileExists: isFile,
    which: (command) => whichOnPath(command, env),
    packageBinaryPath: npmPackageBinaryPath,
    readVersion: readToolVersion,
  };
  if (options.bundledFfmpegDir !== undefined) search.bundledDir = options.bundledFfmpegDir;
  return search;
}

// Promises, so concurrent first calls share one search. Keyed by what changes the answer's first choices.
const located = new Map<string, Promise<LocatedMediaTool>>();

function locateCached(tool: MediaToolName, options: LocateOptions): Promise<LocatedMediaTool> {
  const override = (options.env ?? process.env)[ENV_VARIABLE[tool]] ?? '';
  const key = [tool, options.bundledFfmpegDir ?? '', override].join('\0');
  let promise = located.get(key);
  if (!promise) {
    promise = findMediaTool(tool, realMediaToolSearch(options));
    // A failure is not cached: the user may install ffmpeg and try again without restarting.
    promise.catch(() => located.delete(key));
    located.set(key, promise);
  }
  return promise;
}

export function locateFfmpeg(options: LocateOptions = {}): Promise<LocatedMediaTool> {
  return locateCached('ffmpeg', options);
}

export function locateFfprobe(options: LocateOptions = {}): Promise<LocatedMediaTool> {
  return locateCached('ffprobe', options);
}

export async function locateMediaTools(options: LocateOptions = {}): Promise<{ ffmpeg: LocatedMediaTool; ffprobe: LocatedMediaTool }> {
  const [ffmpeg, ffprobe] = await Promise.all([locateFfmpeg(options), locateFfprobe(options)]);
  return { ffmpeg, ffprobe };
}

/** Forget what was found; for tests, and after the user changes settings. */
export function resetMediaToolCache(): void {
  located.clear();
}
