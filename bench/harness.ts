/**
 * The benchmark harness: each `bench/*.bench.ts` exports a BenchmarkDefinition; `npm run bench`
 * runs them (or the ones named on the command line), prints one table per benchmark and writes
 * bench/results/<name>.json with the machine it ran on. Targets are ratios against a baseline
 * measured in the same run, never absolute times.
 */
import { cpus, totalmem } from 'node:os';

export type BenchRow = Record<string, string | number | boolean | null>;

export interface BenchContext {
  /** Repetitions to time after warm-up; benchmarks may scale their work by it. */
  runs: number;
  log(message: string): void;
}

export interface BenchmarkDefinition {
  name: string;
  description?: string;
  run(ctx: BenchContext): Promise<BenchRow[]>;
  /** Checks a target on the rows, e.g. "ratio ≥ 2"; returned lines are printed as PASS/FAIL. */
  targets?(rows: BenchRow[]): Array<{ target: string; met: boolean }>;
}

export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Times `fn` `runs` times after `warmup` calls; returns each run's milliseconds. */
export async function timeRuns(fn: () => unknown, runs: number, warmup = 2): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

export function machineDescription(): Record<string, string | number> {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

export function formatTable(rows: BenchRow[]): string {
  if (rows.length === 0) return '(no rows)';
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (value: unknown) =>
    typeof value === 'number' ? (Number.isInteger(value) ? String(value) : value.toFixed(2)) : String(value ?? '');
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((row) => cell(row[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((row) => line(columns.map((c) => cell(row[c]))))].join('\n');
}
