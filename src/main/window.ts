/**
 * The editor window, locked down: isolated, sandboxed, no Node in the page, no navigation away,
 * no new windows, CSP on every response.
 */
import { BrowserWindow, shell, type Session } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY, isTrustedRendererUrl } from './security';

export interface WindowOptions {
  preloadPath: string;
  /** The dev server URL in development, else the built index.html. */
  rendererUrl: string;
}

export function rendererUrlFor(devServerUrl: string | undefined, bundleDir: string): string {
  if (devServerUrl) return devServerUrl;
  return pathToFileURL(join(bundleDir, '..', 'renderer', 'index.html')).toString();
}

export function installContentSecurityPolicy(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  // The editor needs no camera, microphone, notifications from the page or the like: refuse all.
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
}

export function createEditorWindow(options: WindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'Seam',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());

  const contents = window.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedRendererUrl(url, options.rendererUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isTrustedRendererUrl(url, options.rendererUrl)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    // Links to the web open in the user's browser; nothing opens inside the app.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());

  void window.loadURL(options.rendererUrl);
  return window;
}
