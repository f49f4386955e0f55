/**
 * Electron hardening that does not depend on a window: the Content-Security-Policy and the check
 * that an IPC call comes from our own renderer page. See docs/SECURITY.md for the checklist.
 */
import type { IpcMainInvokeEvent } from 'electron';

/** Scripts only from the app itself; media from our protocol; no remote connections. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: seam-media:",
  "media-src 'self' blob: seam-media:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** True when the URL is the renderer we loaded: the dev server in development, our file otherwise. */
export function isTrustedRendererUrl(url: string, rendererUrl: string): boolean {
  try {
    const actual = new URL(url);
    const expected = new URL(rendererUrl);
    if (expected.protocol === 'file:') return actual.protocol === 'file:' && actual.pathname === expected.pathname;
    return actual.origin === expected.origin;
  } catch {
    return false;
  }
}

export function assertTrustedSender(event: IpcMainInvokeEvent, rendererUrl: string): void {
  const frameUrl = event.senderFrame?.url ?? '';
  if (!isTrustedRendererUrl(frameUrl, rendererUrl)) {
    throw new Error(`IPC call refused: it came from an untrusted page (${frameUrl || 'unknown'})`);
  }
}
