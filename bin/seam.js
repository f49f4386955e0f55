#!/usr/bin/env node
// The `seam` command. It runs the bundled CLI from out/node, which `npm run build` writes.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../out/node/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('seam: the CLI is not built yet. Run `npm run build` in the Seam folder first.\n');
  process.exit(1);
}
await import(cli);
