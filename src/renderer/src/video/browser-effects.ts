/**
 * The browser side effects a video document needs, in one place so the document takes them from
 * its constructor: object URLs for thumbnails, and the system notification when a render is done.
 * In the desktop app main shows that notification (the page may not), so here it is for the web
 * host only, and only where the user allowed it.
 */

export function objectUrl(bytes: Uint8Array, mime: string): string {
  return URL.createObjectURL(new Blob([bytes.slice().buffer], { type: mime }));
}

export function revokeUrl(url: string): void {
  URL.revokeObjectURL(url);
}

const inDesktopApp = (): boolean => 'seam' in globalThis;

/** Asks for permission while the user's click is still the reason (browsers require a gesture). */
export function askToNotify(): void {
  if (inDesktopApp() || typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  void Notification.requestPermission().catch(() => undefined);
}

export function notify(title: string, body: string): void {
  if (inDesktopApp() || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    new Notification(title, { body });
  } catch {
    // Some browsers allow notifications only from a service worker: the window's bar says it too.
  }
}
