/**
 * The recent-files list behind File ▸ Open Recent: paths the user opened, newest first, kept in
 * a small JSON file in the app's data folder (written atomically) and mirrored to the OS's own
 * recent documents list.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../engine/fs/atomic-write';

export const MAX_RECENT = 10;

export class RecentFiles {
  #paths: string[] = [];

  constructor(private readonly file: string) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (Array.isArray(parsed)) this.#paths = parsed.filter((p): p is string => typeof p === 'string').slice(0, MAX_RECENT);
    } catch {
      // No list yet, or a damaged one: start empty rather than refuse to start.
    }
  }

  list(): readonly string[] {
    return this.#paths;
  }

  async add(path: string): Promise<void> {
    this.#paths = [path, ...this.#paths.filter((p) => p !== path)].slice(0, MAX_RECENT);
    await writeFileAtomic(this.file, JSON.stringify(this.#paths, null, 2));
  }

  async clear(): Promise<void> {
    this.#paths = [];
    await writeFileAtomic(this.file, '[]');
  }
}
