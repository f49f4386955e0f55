/**
 * What an engine that crashed or was killed left in one of its own working folders (open clips,
 * uploads, renders), removed when the next engine starts. Only entries old enough not to be a
 * second engine's, still running on the same data folder, are removed.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Entries older than this are taken to be left over. */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

export function removeStaleEntries(folder: string, staleAfterMs = STALE_AFTER_MS): void {
  const now = Date.now();
  for (const entry of readdirSync(folder)) {
    const path = join(folder, entry);
    try {
      if (now - statSync(path).mtimeMs > staleAfterMs) rmSync(path, { force: true, recursive: true });
    } catch {
      // Another engine removed it first; nothing to do.
    }
  }
}
