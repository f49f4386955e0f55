/**
 * Which local files the renderer may load through the seam-media:// protocol: only the ones the
 * user opened in this session (dialog, drag and drop, recent files). Pure, so it is unit-tested
 * without Electron. URLs look like seam-media://file/<encodeURIComponent(absolute path)>.
 */
import { isAbsolute, normalize } from 'node:path';

export const MEDIA_SCHEME = 'seam-media';

export class MediaAccessList {
  readonly #allowed = new Set<string>();

  allow(absolutePath: string): string {
    if (!isAbsolute(absolutePath)) throw new Error(`not an absolute path: ${absolutePath}`);
    const path = normalize(absolutePath);
    this.#allowed.add(path);
    return mediaUrlFor(path);
  }

  /** The file a seam-media URL points to, or null when it is malformed or was never opened. */
  resolve(url: string): string | null {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return null;
    }
    if (parsed.protocol !== `${MEDIA_SCHEME}:` || parsed.host !== 'file') return null;
    let path: string;
    try {
      path = decodeURIComponent(parsed.pathname.slice(1));
    } catch {
      return null;
    }
    if (!isAbsolute(path) || path.includes('\0')) return null;
    const normalized = normalize(path);
    // Compare after normalising, so ../ tricks can only name a file that is itself on the list.
    return this.#allowed.has(normalized) ? normalized : null;
  }
}

export function mediaUrlFor(absolutePath: string): string {
  return `${MEDIA_SCHEME}://file/${encodeURIComponent(normalize(absolutePath))}`;
}
