/**
 * `npm run bench [name ...] [--runs N]`: runs the benchmarks in bench/*.bench.ts, prints tables,
 * writes bench/results/<name>.json. Not part of `npm test`. With more than one benchmark, each
 * runs in its own process, so one's memory high-water mark or loaded models never show in
 * another's figures; a run of all of them ends by writing the README's report from the results
 * (scripts/bench-report.mjs, also `npm run bench:report`).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { formatTable, machineDescription, type BenchmarkDefinition } from './harness';

const benchDir = new URL('.', import.meta.url).pathname;
const { values, positionals } = parseArgs({
  options: { runs: { type: 'string', default: '10' } },
  allowPositionals: true,
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);

const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => positionals.length === 0 || positionals.includes(f.replace(/\.bench\.ts$/, '')))
  .sort();
if (files.length === 0) {
  console.error(`no benchmarks match ${positionals.join(', ') || '(any)'} in ${benchDir}`);
  process.exit(1);
}

const resultsDir = join(benchDir, 'results');
mkdirSync(resultsDir, { recursive: true });

if (files.length > 1) {
  let missedTargets = 0;
  for (const file of files) {
    const name = file.replace(/\.bench\.ts$/, '');
    // The same runtime flags (tsx's loader) and this script, for one benchmark.
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), name, '--runs', String(runs)], { stdio: 'inherit' });
    if (child.status !== 0) throw new Error(`benchmark ${name} failed (exit ${child.status ?? child.signal})`);
    const result = JSON.parse(readFileSync(join(resultsDir, `${name}.json`), 'utf8')) as { targets: Array<{ met: boolean }> };
    missedTargets += result.targets.filter((t) => !t.met).length;
  }
  console.log(`every benchmark: ${missedTargets === 0 ? 'all targets met' : `${missedTargets} target(s) missed`}`);
  if (positionals.length === 0) {
    const report = spawnSync(process.execPath, [fileURLToPath(new URL('../scripts/bench-report.mjs', import.meta.url))], { stdio: 'inherit' });
    if (report.status !== 0) throw new Error('writing the README report failed');
  }
  process.exit(0);
}

const machine = machineDescription();
console.log(`machine: ${JSON.stringify(machine)}\n`);
let missed = 0;
for (const file of files) {
  const bench = (await import(pathToFileURL(join(benchDir, file)).href)).default as BenchmarkDefinition;
  console.log(`== ${bench.name}${bench.description ? ` — ${bench.description}` : ''}`);
  const started = new Date().toISOString();
  const rows = await bench.run({ runs, log: (m) => console.log(`   ${m}`) });
  console.log(formatTable(rows));
  const targets = bench.targets?.(rows) ?? [];
  for (const t of targets) {
    console.log(`${t.met ? 'MET ' : 'MISSED'}  ${t.target}`);
    if (!t.met) missed++;
  }
  writeFileSync(
    join(resultsDir, `${bench.name}.json`),
    `${JSON.stringify({ name: bench.name, started, machine, runs, rows, targets }, null, 2)}\n`,
  );
  console.log('');
}
console.log(missed === 0 ? 'all targets met' : `${missed} target(s) missed`);
