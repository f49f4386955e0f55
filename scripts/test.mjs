#!/usr/bin/env node
// Runs the test files with Node's own test runner (tsx compiles TypeScript on the fly).
// Usage: node scripts/test.mjs [test|e2e ...] [--grep name-pattern]
// Vitest 5 needs Node 22, so Node's runner it is; its summary lines are what CI reads.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const grepAt = args.indexOf('--grep');
const grep = grepAt >= 0 ? args.splice(grepAt, 2)[1] : undefined;
const dirs = args.length > 0 ? args : ['test', 'e2e'];

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'fixtures' || name === 'node_modules') continue;
    if (statSync(path).isDirectory()) out.push(...collect(path));
    else if (/\.(test|e2e)\.ts$/.test(name)) out.push(path);
  }
  return out;
}

const files = dirs.flatMap((d) => collect(join(root, d))).sort().map((f) => relative(root, f));
if (files.length === 0) {
  console.error(`no test files under ${dirs.join(', ')}`);
  process.exit(1);
}
const nodeArgs = ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2'];
if (grep) nodeArgs.push('--test-name-pattern', grep);
const result = spawnSync(process.execPath, [...nodeArgs, ...files], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
