#!/usr/bin/env node
// Copies the ffmpeg and ffprobe that Seam would use on this machine (FFMPEG_PATH/FFPROBE_PATH,
// ffmpeg-static / @ffprobe-installer, or the system's) into build/ffmpeg, which electron-builder
// ships as <resources>/ffmpeg. Run on the platform you package for.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'build', 'ffmpeg');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
// doctor exits 1 when anything is missing; its JSON report is printed all the same.
const doctor = spawnSync(process.execPath, [join(root, 'bin', 'seam.js'), 'doctor', '--json', '--no-models'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
const report = JSON.parse(doctor.stdout);
const exe = process.platform === 'win32' ? '.exe' : '';
for (const tool of report.tools) {
  if (!tool.found) throw new Error(`${tool.name} not found: ${tool.error}`);
  const target = join(out, `${tool.name}${exe}`);
  copyFileSync(tool.path, target);
  chmodSync(target, 0o755);
  console.log(`staged ${tool.name} ${tool.version} from ${tool.path}`);
}
