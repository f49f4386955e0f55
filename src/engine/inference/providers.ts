/**
 * Which onnxruntime execution providers to try, in which order, and what this install carries.
 *
 * onnxruntime-node does not fall back on its own: asking for ['cuda', 'cpu'] where CUDA's libraries
 * are missing throws "Failed to load shared library". So the pool tries one provider at a time in
 * the order decided here and records every failure.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { listSupportedBackends } from 'onnxruntime-node';
import { SeamError } from '../../shared/errors';

/** ORT's own names: 'dml' is DirectML. 'webgpu' and 'tensorrt' are only used when asked for. */
export const KNOWN_PROVIDERS = ['cuda', 'tensorrt', 'dml', 'coreml', 'webgpu', 'cpu'] as const;
export type ProviderName = (typeof KNOWN_PROVIDERS)[number];

export interface ProviderFailure {
  provider: string;
  message: string;
}

export interface ProviderAvailability {
  name: string;
  /** Whether onnxruntime-node's npm tarball carries this provider's binaries. */
  bundled: boolean;
  /**
   * For providers that are not bundled (CUDA, TensorRT): whether their libraries were installed
   * beside the binding afterwards (`npm run gpu:cuda`). Null when it cannot be told from files.
   */
  installed: boolean | null;
}

const ALIASES: Record<string, ProviderName> = {
  directml: 'dml',
  dml: 'dml',
  cuda: 'cuda',
  gpu: 'cuda',
  tensorrt: 'tensorrt',
  trt: 'tensorrt',
  coreml: 'coreml',
  webgpu: 'webgpu',
  cpu: 'cpu',
};

/** The default order for a platform: the GPU providers that platform can have, then CPU. */
export function defaultProviderOrder(platform: NodeJS.Platform = process.platform): ProviderName[] {
  if (platform === 'win32') return ['cuda', 'dml', 'cpu'];
  if (platform === 'darwin') return ['coreml', 'cpu'];
  return ['cuda', 'cpu'];
}

/** Parses `cuda,cpu` (SEAM_PROVIDERS or a CLI option); unknown names are a user error, not ignored. */
export function parseProviderList(text: string): ProviderName[] {
  const names = text
    .split(/[\s,]+/)
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name.length > 0);
  if (names.length === 0) throw new SeamError('BAD_INPUT', 'The provider list is empty; give names like "cuda,cpu".');
  const out: ProviderName[] = [];
  for (const name of names) {
    const provider = ALIASES[name];
    if (!provider) {
      throw new SeamError('BAD_INPUT', `Unknown execution provider "${name}"; known: ${KNOWN_PROVIDERS.join(', ')}.`);
    }
    if (!out.includes(provider)) out.push(provider);
  }
  return out;
}

export interface ProviderOrderOptions {
  /** An explicit order (an option or a CLI flag) wins over SEAM_PROVIDERS and the platform default. */
  providers?: readonly ProviderName[];
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

export function requestedProviderOrder(options: ProviderOrderOptions = {}): ProviderName[] {
  if (options.providers && options.providers.length > 0) return [...options.providers];
  const fromEnv = (options.env ?? process.env).SEAM_PROVIDERS;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return parseProviderList(fromEnv);
  return defaultProviderOrder(options.platform);
}

let cachedSupported: Array<{ name: string; bundled: boolean }> | undefined;

function supportedBackends(): Array<{ name: string; bundled: boolean }> {
  cachedSupported ??= listSupportedBackends().map((b) => ({ name: b.name, bundled: b.bundled }));
  return cachedSupported;
}

/**
 * Resolved once: the package cannot move while the process runs, and every session acquire
 * plans its providers; a video acquires its models on every frame, where resolving the package
 * each time cost about half a millisecond a frame at 720p.
 */
let bindingDirCache: { dir: string | null } | undefined;

/** Where the native binding (and any separately installed provider libraries) live. */
function bindingDir(): string | null {
  bindingDirCache ??= { dir: findBindingDir() };
  return bindingDirCache.dir;
}

function findBindingDir(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const packageDir = dirname(require.resolve('onnxruntime-node/package.json'));
    return join(packageDir, 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return null;
  }
}

function providerLibraryName(provider: string): string | null {
  if (provider !== 'cuda' && provider !== 'tensorrt') return null;
  if (process.platform === 'win32') return `onnxruntime_providers_${provider}.dll`;
  if (process.platform === 'linux') return `libonnxruntime_providers_${provider}.so`;
  return null;
}

function isInstalled(provider: string, bundled: boolean): boolean | null {
  if (bundled) return true;
  const dir = bindingDir();
  const library = providerLibraryName(provider);
  if (!dir || !library) return null;
  return existsSync(join(dir, library));
}

/** What onnxruntime-node reports for this install, for `seam doctor` and the About panel. */
export function availableProviders(): ProviderAvailability[] {
  return supportedBackends().map((b) => ({ name: b.name, bundled: b.bundled, installed: isInstalled(b.name, b.bundled) }));
}

export interface ProviderPlan {
  /** The order asked for (option, SEAM_PROVIDERS or platform default). */
  requested: ProviderName[];
  /** Providers to try, in order. */
  candidates: ProviderName[];
  /** Providers that were asked for but this onnxruntime-node build does not know: never tried. */
  skipped: ProviderFailure[];
}

function isExplicitOrder(options: ProviderOrderOptions): boolean {
  if (options.providers && options.providers.length > 0) return true;
  return ((options.env ?? process.env).SEAM_PROVIDERS ?? '').trim() !== '';
}

/**
 * Filters the requested order by what ORT lists and what is installed; whatever is left out is
 * recorded with the reason, never silently dropped. A default-order provider whose libraries are
 * known to be absent (CUDA before `npm run gpu:cuda`) is not tried: trying only makes onnxruntime
 * print a native error on every run. One the user named explicitly is always tried, so they see
 * onnxruntime's own error.
 */
export function planProviders(options: ProviderOrderOptions = {}): ProviderPlan {
  const listed = supportedBackends();
  const requested = requestedProviderOrder(options);
  const explicit = isExplicitOrder(options);
  const candidates: ProviderName[] = [];
  const skipped: ProviderFailure[] = [];
  for (const provider of requested) {
    const backend = listed.find((b) => b.name === provider);
    if (!backend) {
      skipped.push({ provider, message: `not available in this onnxruntime-node build (it lists ${listed.map((b) => b.name).join(', ')})` });
    } else if (!explicit && isInstalled(provider, backend.bundled) === false) {
      skipped.push({ provider, message: explainProviderFailure(provider, 'Failed to load shared library') });
    } else candidates.push(provider);
  }
  return { requested, candidates, skipped };
}

/** Adds what to do about a provider whose libraries are missing to ORT's terse message. */
export function explainProviderFailure(provider: string, message: string): string {
  if (/shared library/i.test(message) && (provider === 'cuda' || provider === 'tensorrt')) {
    const installed = isInstalled(provider, false);
    if (installed === false) {
      return `${message} (the ${provider.toUpperCase()} libraries are not installed; \`npm run gpu:cuda\` fetches them, and CUDA 12 + cuDNN 9 must be on the system)`;
    }
  }
  return message;
}

/** A provider whose libraries failed to load will fail the same way for every model in this process. */
export function isProcessWideFailure(message: string): boolean {
  return /Failed to load shared library|backend not found/i.test(message);
}
