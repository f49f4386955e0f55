/**
 * Electron hardening that does not depend on a window: the Content-Security-Policy and the test
 * of whether a URL is our own renderer page. No Electron import, so it is unit-tested in Node.
 * See docs/SECURITY.md for the checklist.
 */

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
