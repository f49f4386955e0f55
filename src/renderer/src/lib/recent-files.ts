/**
 * The photos opened lately, with small thumbnails, kept in localStorage. A browser page cannot
 * reopen a file by path, so a recent entry reminds the user which file to pick again; in the
 * desktop app the File menu's Open Recent reopens by path.
 */
export interface RecentFile {
  name: string;
  width: number;
  height: number;
  /** A small JPEG data: URL, or '' where none could be made. */
  thumbnail: string;
  openedAt: number;
}

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const RECENT_KEY = 'seam.recentFiles';
export const MAX_RECENT = 10;

export function readRecent(storage: KeyValueStorage): RecentFile[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(RECENT_KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(isRecentFile).slice(0, MAX_RECENT);
  } catch {
    return [];
  }
}

/** Puts a file at the front (replacing an entry of the same name) and saves; returns the new list. */
export function rememberRecent(storage: KeyValueStorage, file: RecentFile): RecentFile[] {
  const list = [file, ...readRecent(storage).filter((f) => f.name !== file.name)].slice(0, MAX_RECENT);
  save(storage, list);
  return list;
}

export function forgetRecent(storage: KeyValueStorage, name: string): RecentFile[] {
  const list = readRecent(storage).filter((f) => f.name !== name);
  save(storage, list);
  return list;
}

function save(storage: KeyValueStorage, list: RecentFile[]): void {
  try {
    storage.setItem(RECENT_KEY, JSON.stringify(list));
  } catch {
    // Storage full (thumbnails are small, but the quota is shared): keep the names, drop the pictures.
    try {
      storage.setItem(RECENT_KEY, JSON.stringify(list.map((f) => ({ ...f, thumbnail: '' }))));
    } catch {
      /* nothing more to do: the list is a convenience */
    }
  }
}

function isRecentFile(value: unknown): value is RecentFile {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === 'string' && typeof v.width === 'number' && typeof v.height === 'number' && typeof v.thumbnail === 'string' && typeof v.openedAt === 'number';
}
