/**
 * Electron's main process: windows, menus, protocol, file opening, and the IPC broker to the
 * engine. It does no pixel work; the engine runs in a utility process (engine-process.ts).
 */
import { app, BrowserWindow, dialog, Menu, net, Notification, protocol, session, webContents } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AppCommand, ProgressEvent } from '../shared/contract';
import { EngineProcess } from './engine-process';
import { FileSaver } from './file-saver';
import { forwardEvent, registerContractHandlers } from './ipc';
import { JobTaskbar } from './job-taskbar';
import { MEDIA_SCHEME, MediaAccessList } from './media-access';
import { buildAppMenu } from './menu';
import { FileOpener } from './open-files';
import { pathsFromArgv } from './openable';
import { RecentFiles } from './recent-files';
import { createEditorWindow, installContentSecurityPolicy, rendererUrlFor } from './window';

const bundleDir = dirname(fileURLToPath(import.meta.url));
const rendererUrl = rendererUrlFor(process.env.ELECTRON_RENDERER_URL, bundleDir);
const preloadPath = join(bundleDir, '..', 'preload', 'index.cjs');
/** Files the user opened this session; the only ones seam-media:// serves. */
const mediaAccess = new MediaAccessList();

if (!app.requestSingleInstanceLock()) app.quit();

protocol.registerSchemesAsPrivileged([
  { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

let mainWindow: BrowserWindow | undefined;
/** Files the OS asked us to open before the page was ready. */
const pendingPaths: string[] = pathsFromArgv(process.argv);

const sendToPage = (command: AppCommand) => forwardEvent(webContents.getAllWebContents(), 'onAppCommand', command);

const engine = new EngineProcess({
  bundleDir,
  packagedResourcesPath: app.isPackaged ? process.resourcesPath : undefined,
  dataDir: app.getPath('userData'),
  onEvent: (event, payload) => {
    forwardEvent(webContents.getAllWebContents(), event, payload);
    if (event === 'onProgress') taskbar.progress(payload as ProgressEvent);
  },
});

/** Long jobs show in the taskbar / dock as well as in the window; a finished render is announced. */
const taskbar = new JobTaskbar({
  setProgress: (fraction) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.setProgressBar(fraction);
  },
  notify: (title, body) => {
    if (Notification.isSupported()) new Notification({ title, body }).show();
  },
});

app.enableSandbox();

void app.whenReady().then(() => {
  installContentSecurityPolicy(session.defaultSession);
  protocol.handle(MEDIA_SCHEME, (request) => {
    const path = mediaAccess.resolve(request.url);
    if (!path) return new Response('Not a file you opened', { status: 403 });
    return net.fetch(pathToFileURL(path).toString());
  });
  const recent = new RecentFiles(join(app.getPath('userData'), 'recent-files.json'));
  // Saves: main's dialog, main's paths; the page gets names and tokens only (file-saver.ts).
  const saver = new FileSaver({
    showSaveDialog: (options) => (mainWindow && !mainWindow.isDestroyed() ? dialog.showSaveDialog(mainWindow, options) : dialog.showSaveDialog(options)),
    defaultFolder: app.getPath('documents'),
    saved: async (path, openable) => {
      if (!openable) return;
      await recent.add(path);
      app.addRecentDocument(path);
      Menu.setApplicationMenu(buildAppMenu(menuActions));
    },
  });
  app.on('before-quit', () => void saver.discardAll());
  registerContractHandlers(
    () => engine.client(),
    () => rendererUrl,
    (method, outcome) => taskbar.settled(method, outcome),
    saver.handlers,
  );

  const opener: FileOpener = new FileOpener({
    window: () => mainWindow,
    send: sendToPage,
    media: mediaAccess,
    recent,
    onRecentChanged: () => Menu.setApplicationMenu(buildAppMenu(menuActions)),
  });
  const menuActions = {
    send: sendToPage,
    openWithDialog: () => opener.openWithDialog(),
    openPath: (path: string) => opener.openPath(path),
    recent,
  };
  Menu.setApplicationMenu(buildAppMenu(menuActions));

  const openWindow = () => {
    mainWindow = createEditorWindow({ preloadPath, rendererUrl });
    mainWindow.webContents.once('did-finish-load', () => {
      for (const path of pendingPaths.splice(0)) void opener.openPath(path);
    });
  };
  openWindow();

  app.on('second-instance', (_event, argv) => {
    for (const path of pathsFromArgv(argv)) void opener.openPath(path);
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  app.on('open-file', (event, path) => {
    event.preventDefault();
    void opener.openPath(path);
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
});

// macOS may ask to open a file before the app is ready.
app.on('will-finish-launching', () => {
  app.on('open-file', (event, path) => {
    event.preventDefault();
    if (!app.isReady()) pendingPaths.push(path);
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('before-quit', () => engine.stop());
