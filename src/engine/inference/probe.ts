/**
 * Loads each model, runs it a few times on zero inputs and reports which provider ran it and how
 * fast: the facts `seam doctor` prints. Every model is released after its probe.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { checkModelContract } from '../models/contracts';
import type { ModelManifestEntry, ModelTask, TensorSpec } from '../models/manifest';
import type { Logger } from '../context';
import type { ProviderFailure, ProviderName, ProviderOrderOptions } from './providers';
import { SessionPool, type SessionOptions } from './session-pool';
import { toTensorSpec } from './tensor-metadata';
import { zeroFeeds } from './zero-feeds';

export interface ModelProbe {
  id: string;
  task: ModelTask;
  /** The provider that ran the model; null when none could. */
  provider: ProviderName | null;
  /** Median of the timed runs after the warm-up, in ms; null when it did not run. */
  latencyMs: number | null;
  /** Inputs as the loaded model declares them (empty when it did not load). */
  inputs: TensorSpec[];
  /** Providers tried before the one used (or all of them, when none worked). */
  failures: ProviderFailure[];
  /** Where the file was found; null when it is in none of the folders. */
  path: string | null;
  /** Ways the loaded model breaks its task's contract; empty when it honours it. */
  contractProblems: string[];
  error?: string;
}

export interface ProbeOptions extends ProviderOrderOptions {
  /** Timed runs after the warm-up (default 5). */
  runs?: number;
  logger?: Logger;
  sessionOptions?: SessionOptions;
  signal?: AbortSignal;
}

async function findModelFile(file: string, modelsDirs: readonly string[]): Promise<string | null> {
  for (const dir of modelsDirs) {
    const path = join(dir, file);
    try {
      await access(path);
      return path;
    } catch {
      // not in this folder; try the next
    }
  }
  return null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Probes each entry in turn (one model in memory at a time); a failing model never stops the rest. */
export async function probeModels(
  entries: readonly ModelManifestEntry[],
  modelsDirs: readonly string[],
  options: ProbeOptions = {},
): Promise<ModelProbe[]> {
  const runs = Math.max(1, options.runs ?? 5);
  const pool = new SessionPool({ ...options, warmUp: true });
  const results: ModelProbe[] = [];
  try {
    for (const entry of entries) {
      options.signal?.throwIfAborted();
      results.push(await probeOne(pool, entry, modelsDirs, runs, options.signal));
    }
  } finally {
    await pool.releaseAll();
  }
  return results;
}

async function probeOne(
  pool: SessionPool,
  entry: ModelManifestEntry,
  modelsDirs: readonly string[],
  runs: number,
  signal: AbortSignal | undefined,
): Promise<ModelProbe> {
  const result: ModelProbe = {
    id: entry.id,
    task: entry.task,
    provider: null,
    latencyMs: null,
    inputs: [],
    failures: [],
    path: null,
    contractProblems: [],
  };
  result.path = await findModelFile(entry.file, modelsDirs);
  if (!result.path) {
    result.error = `Model file ${entry.file} is missing (looked in ${modelsDirs.join(', ')}).`;
    return result;
  }
  try {
    const session = await pool.acquire({ id: entry.id, path: result.path, inputs: entry.inputs });
    result.provider = session.provider;
    result.failures = [...session.failures];
    result.inputs = session.inputMetadata.map(toTensorSpec);
    result.contractProblems = checkModelContract(entry.task, session);
    const feeds = zeroFeeds(session.inputMetadata, entry.inputs);
    const times: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const started = performance.now();
      await session.run(feeds, { signal });
      times.push(performance.now() - started);
    }
    result.latencyMs = Math.round(median(times) * 100) / 100;
  } catch (error) {
    if (signal?.aborted) throw error;
    result.error = error instanceof Error ? error.message : String(error);
    const details = (error as { details?: { failures?: ProviderFailure[] } }).details;
    if (details?.failures) result.failures = details.failures;
  } finally {
    await pool.release(entry.id);
  }
  return result;
}
