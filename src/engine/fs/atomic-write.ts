/**
 * Every file Seam writes goes to a temporary file beside its destination, is flushed, then renamed
 * over it: a crash or a cancel leaves either the old file or the new one, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A temp path in the same folder (a rename across file systems would not be atomic). */
export function tempPathBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  await withTempFile(path, async (temp) => {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  });
}

/**
 * Runs `produce(temp)` to create the file at a temp path, then renames it to `path`. If produce
 * throws (or the rename fails) the temp file is removed and the destination is untouched.
 */
export async function withTempFile<T>(path: string, produce: (temp: string) => Promise<T>): Promise<T> {
  const temp = tempPathBeside(path);
  try {
    const result = await produce(temp);
    await rename(temp, path);
    return result;
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Removes temp files a killed process left beside `path` (tempPathBeside's names, whose process
 * is gone). withTempFile cleans up after a failure it lives to see; a SIGKILL or a power cut
 * leaves the temp behind, so a job that writes `path` again calls this first. A temp whose pid is
 * alive belongs to a running writer (or a reused pid) and is left alone.
 */
export async function removeStaleTempFiles(path: string): Promise<string[]> {
  const prefix = `.${basename(path)}.`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const match = name.startsWith(prefix) ? /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length)) : null;
    if (!match || processAlive(Number(match[1]))) continue;
    await rm(join(dirname(path), name), { force: true });
    removed.push(name);
  }
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but is not ours to signal — alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
