/**
 * The built `seam` command as a user runs it (bin/seam.js → out/node/cli.js), in a child process
 * with its own SEAM_HOME, so exit codes, stderr and crashes are the real ones.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const SEAM_BIN = fileURLToPath(new URL('../../../bin/seam.js', import.meta.url));
const BUILT_CLI = fileURLToPath(new URL('../../../out/node/cli.js', import.meta.url));

export function assertCliBuilt(): void {
  if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run \`npm run build\` first`);
}

export interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runSeam(args: string[], options: { home: string; cwd?: string; env?: NodeJS.ProcessEnv }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SEAM_BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, SEAM_HOME: options.home, SEAM_PROVIDERS: 'cpu', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}
