#!/usr/bin/env node
// Type-checks every environment with its own tsconfig, so a Node or Electron import in the wrong
// folder fails here (see ARCHITECTURE.md, "Folders"). The renderer goes through svelte-check.
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const steps = [
  ['tsc', '-p', 'tsconfig.shared.json'],
  ['tsc', '-p', 'tsconfig.node.json'],
  ['tsc', '-p', 'tsconfig.main.json'],
  ['tsc', '-p', 'tsconfig.preload.json'],
  ['svelte-check', '--tsconfig', './tsconfig.renderer.json', '--fail-on-warnings', '--output', 'human'],
];
let failed = 0;
for (const [bin, ...args] of steps) {
  const label = `${bin} ${args.join(' ')}`;
  const result = spawnSync(`${root}/node_modules/.bin/${bin}`, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    failed += 1;
    console.error(`typecheck failed: ${label}`);
  }
}
if (failed > 0) process.exit(1);
console.log('typecheck: every environment passed');
