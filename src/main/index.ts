/**
 * Electron's main process: windows, protocol, IPC broker. It does no pixel work; the engine runs
 * in a utility process (engine-process.ts).
 */
import { app, BrowserWindow, net, protocol, session, webContents } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EngineProcess } from './engine-process';
import { forwardEvent, registerContractHandlers } from './ipc';
import { MEDIA_SCHEME, MediaAccessList } from './media-access';
import { createEditorWindow, installContentSecurityPolicy, rendererUrlFor } from './window';

const bundleDir = dirname(fileURLToPath(import.meta.url));
const rendererUrl = rendererUrlFor(process.env.ELECTRON_RENDERER_URL, bundleDir);
const preloadPath = join(bundleDir, '..', 'preload', 'index.cjs');
/** Files the user opened this session; the only ones seam-media:// serves. */
export const mediaAccess = new MediaAccessList();

protocol.registerSchemesAsPrivileged([
  { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

const engine = new EngineProcess({
  bundleDir,
  packagedResourcesPath: app.isPackaged ? process.resourcesPath : undefined,
  dataDir: app.getPath('userData'),
  onEvent: (event, payload) => forwardEvent(webContents.getAllWebContents(), event, payload),
});

app.enableSandbox();

void app.whenReady().then(() => {
  installContentSecurityPolicy(session.defaultSession);
  protocol.handle(MEDIA_SCHEME, (request) => {
    const path = mediaAccess.resolve(request.url);
    if (!path) return new Response('Not a file you opened', { status: 403 });
    return net.fetch(pathToFileURL(path).toString());
  });
  registerContractHandlers(
    () => engine.client(),
    () => rendererUrl,
  );
  createEditorWindow({ preloadPath, rendererUrl });

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createEditorWindow({ preloadPath, rendererUrl });
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('before-quit', () => engine.stop());
