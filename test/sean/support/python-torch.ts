/**
 * Finds a Python 3 with PyTorch and NumPy for the SEAN reference (Debian: `apt-get install
 * python3-torch`, which brings python3-numpy). SEAM_PYTHON picks one explicitly; otherwise
 * /usr/bin/python3 is tried before `python3` on PATH, because a pyenv or venv python earlier on
 * PATH usually lacks Debian's torch.
 */
import { spawn, spawnSync } from 'node:child_process';

export const TORCH_MISSING =
  'python3-torch is not installed (no Python 3 with torch and numpy found; install it with `apt-get install -y python3-torch`, or point SEAM_PYTHON at one)';

let cached: string | null | undefined;

export function findPythonWithTorch(): string | null {
  if (cached !== undefined) return cached;
  const candidates = process.env.SEAM_PYTHON ? [process.env.SEAM_PYTHON] : ['/usr/bin/python3', 'python3'];
  cached = candidates.find((python) => spawnSync(python, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0) ?? null;
  return cached;
}

export const REFERENCE_DIR = new URL('../reference/', import.meta.url).pathname;

/** Runs a reference script; resolves with its stdout, rejects with its stderr on failure. */
export function runPython(python: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    // No __pycache__ beside the reference scripts in the checkout.
    const child = spawn(python, args, { cwd: REFERENCE_DIR, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${python} ${args.join(' ')} exited ${code}:\n${stderr.slice(-4000)}`))));
  });
}
