/**
 * `seam doctor` and the About panel: what this machine and install really have. Every fact is
 * measured here (versions read, tools run, models loaded and timed), nothing is assumed.
 */
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { DoctorReport, ModelReport, ToolReport } from '../shared/doctor';
import { appVersion, electronInfo, readPackageVersion } from './app-info';
import type { Logger } from './context';
import { availableProviders } from './inference/providers';
import { probeModels } from './inference/probe';
import { locateFfmpeg, locateFfprobe, type LocatedMediaTool } from './media/locate-ffmpeg';
import { MANIFEST_FILE, type ModelManifestEntry } from './models/manifest';
import { readManifestFile } from './models/manifest-io';
import type { SeamPaths } from './paths';

export interface DoctorOptions {
  paths: SeamPaths;
  logger: Logger;
  /** Load and time every model; otherwise only the smallest is loaded, to learn the provider. */
  probeModels: boolean;
  signal?: AbortSignal;
}

export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const { paths } = options;
  const problems: string[] = [];

  const tools = await Promise.all([
    toolReport('ffmpeg', () => locateFfmpeg({ bundledFfmpegDir: paths.bundledFfmpegDir })),
    toolReport('ffprobe', () => locateFfprobe({ bundledFfmpegDir: paths.bundledFfmpegDir })),
  ]);
  for (const tool of tools) if (!tool.found) problems.push(`${tool.name} is missing: ${tool.error}`);

  const ortVersion = readPackageVersion('onnxruntime-node');
  if (!ortVersion) problems.push('onnxruntime-node is not installed: run `npm ci` in the Seam folder.');
  const providers = ortVersion ? availableProviders().map(({ name, bundled }) => ({ name, bundled })) : [];

  const entries = await manifestEntries(paths, problems);
  const toProbe = options.probeModels ? entries : smallestFirst(entries).slice(0, 1);
  const probes = toProbe.length > 0 && ortVersion
    ? await probeModels(
        toProbe.map((e) => e.entry),
        [paths.builtInModelsDir, paths.userModelsDir],
        { runs: 5, logger: options.logger, ...(options.signal ? { signal: options.signal } : {}) },
      )
    : [];
  const probeById = new Map(probes.map((p) => [p.id, p]));

  const models: ModelReport[] = entries.map(({ entry, dir }) => {
    const probe = probeById.get(entry.id);
    const report: ModelReport = {
      id: entry.id,
      task: entry.task,
      builtIn: entry.builtIn,
      present: probe ? probe.path !== null : true,
      provider: probe?.provider ?? null,
      latencyMs: probe?.latencyMs ?? null,
    };
    const error = probe?.error ?? (probe && probe.contractProblems.length > 0 ? probe.contractProblems.join('; ') : undefined);
    if (probe && probe.path === null) report.present = false;
    if (error) report.error = error;
    if (!report.present) {
      problems.push(
        entry.builtIn
          ? `Built-in model ${entry.id} is missing from ${dir}: run \`npm run models\`.`
          : `Model ${entry.id} is listed but its file is missing from ${dir}.`,
      );
    } else if (error) problems.push(`Model ${entry.id} does not load: ${error}`);
    return report;
  });

  const working = probes.find((p) => p.provider !== null);
  const failures = (working ?? probes[0])?.failures ?? [];
  if (probes.length > 0 && !working) problems.push('onnxruntime could not create a session with any provider.');

  return {
    app: { name: 'Seam', version: appVersion() },
    platform: {
      os: process.platform,
      arch: process.arch,
      cpus: cpus().length,
      memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    },
    runtime: { node: process.version, electron: electronInfo() },
    onnxruntime: {
      version: ortVersion,
      providers,
      sessionProvider: working?.provider ?? null,
      failures: failures.map((f) => ({ provider: f.provider, message: f.message })),
    },
    tools,
    models,
    problems,
  };
}

async function toolReport(name: 'ffmpeg' | 'ffprobe', locate: () => Promise<LocatedMediaTool>): Promise<ToolReport> {
  try {
    const tool = await locate();
    return { name, found: true, path: tool.path, version: tool.version, source: tool.source };
  } catch (error) {
    return { name, found: false, path: null, version: null, source: null, error: (error as Error).message };
  }
}

interface ListedEntry {
  entry: ModelManifestEntry;
  dir: string;
}

async function manifestEntries(paths: SeamPaths, problems: string[]): Promise<ListedEntry[]> {
  const listed: ListedEntry[] = [];
  for (const [dir, builtIn] of [
    [paths.builtInModelsDir, true],
    [paths.userModelsDir, false],
  ] as const) {
    try {
      const manifest = await readManifestFile(join(dir, MANIFEST_FILE));
      if (!manifest) {
        if (builtIn) problems.push(`No built-in models at ${dir}: run \`npm run models\` (part of \`npm ci\`).`);
        continue;
      }
      for (const entry of manifest.models) listed.push({ entry, dir });
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return listed;
}

function smallestFirst(entries: ListedEntry[]): ListedEntry[] {
  return [...entries].sort((a, b) => a.entry.bytes - b.entry.bytes);
}
