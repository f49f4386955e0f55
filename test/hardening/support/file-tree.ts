/**
 * What a failed call must not leave behind: the files (not empty folders) under a folder, and a
 * snapshot of a tree (paths, sizes, modification times) to compare before and after.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Every file under `root` (relative paths, sorted); empty folders do not count. */
export async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => !e.isDirectory())
    .map((e) => relative(root, join(e.parentPath ?? e.path, e.name)))
    .sort();
}

/** path → "size mtime" for every file under `root`. */
export async function treeSnapshot(root: string): Promise<Map<string, string>> {
  const snapshot = new Map<string, string>();
  for (const file of await filesUnder(root)) {
    const info = await stat(join(root, file)).catch(() => undefined);
    if (info) snapshot.set(file, `${info.size} ${info.mtimeMs}`);
  }
  return snapshot;
}
