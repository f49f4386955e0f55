#!/usr/bin/env node
// Runs after `npm ci` / `npm install`. Three steps, in order:
//  1. Electron's binary and ffmpeg-static's binary are downloaded from GitHub by their own install
//     scripts. package.json's allowScripts turns those off, because on a machine without internet
//     their failure would abort the whole install. We run them here instead and tolerate failure:
//     with internet you get the binaries; without, the CLI, the engine and the web host still work
//     (Seam finds the system ffmpeg), and the Electron app test skips with a reason.
//  2. The built-in models are converted from their npm packages (npm run models). This one must
//     succeed: Seam needs its models offline.
// Set SEAM_SKIP_DOWNLOADS=1 to skip step 1 entirely.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function tryOptionalDownload(label, script, env = {}) {
  const file = join(root, script);
  if (!existsSync(file)) return;
  const result = spawnSync(process.execPath, [file], {
    cwd: join(file, '..'),
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (result.status === 0) console.log(`seam postinstall: ${label} downloaded`);
  else console.log(`seam postinstall: ${label} not downloaded (offline?) — continuing without it`);
}

if (!process.env.SEAM_SKIP_DOWNLOADS) {
  tryOptionalDownload('Electron binary', 'node_modules/electron/install.js');
  tryOptionalDownload('ffmpeg-static binary', 'node_modules/ffmpeg-static/install.js');
}

const models = spawnSync(process.execPath, ['--import', 'tsx', 'src/engine/models/build-models.ts'], {
  cwd: root,
  stdio: 'inherit',
});
if (models.status !== 0) {
  console.error('seam postinstall: building the built-in models failed (see above)');
  process.exit(models.status ?? 1);
}
