/**
 * The application menu. Items that act on the document become AppCommands sent to the page;
 * Open and Open Recent read the chosen file here (main does the dialog) and send its bytes.
 */
import { app, Menu, type MenuItemConstructorOptions } from 'electron';
import { basename } from 'node:path';
import type { AppCommand } from '../shared/contract';
import type { RecentFiles } from './recent-files';

export interface MenuActions {
  send(command: AppCommand): void;
  openWithDialog(): Promise<void>;
  openPath(path: string): Promise<void>;
  recent: RecentFiles;
}

export function buildAppMenu(actions: MenuActions): Menu {
  const command = (name: Exclude<AppCommand['command'], 'open-file'>) => () => actions.send({ command: name });
  const recentItems: MenuItemConstructorOptions[] = actions.recent.list().map((path) => ({
    label: basename(path),
    sublabel: path,
    click: () => void actions.openPath(path),
  }));
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => void actions.openWithDialog() },
        {
          label: 'Open Recent',
          submenu: recentItems.length > 0
            ? [...recentItems, { type: 'separator' }, { label: 'Clear Menu', click: () => void actions.recent.clear().then(() => Menu.setApplicationMenu(buildAppMenu(actions))) }]
            : [{ label: 'No recent files', enabled: false }],
        },
        { type: 'separator' },
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: command('export') },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        // The document's history lives in the page, so undo/redo are its commands, not Electron's roles.
        { label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: command('undo') },
        { label: 'Redo', accelerator: 'CmdOrCtrl+Shift+Z', click: command('redo') },
      ],
    },
    {
      label: '&View',
      submenu: [
        { label: 'Zoom In', accelerator: 'CmdOrCtrl+=', click: command('zoom-in') },
        { label: 'Zoom Out', accelerator: 'CmdOrCtrl+-', click: command('zoom-out') },
        { label: 'Fit to Window', accelerator: 'CmdOrCtrl+0', click: command('zoom-fit') },
        { label: 'Actual Size', accelerator: 'CmdOrCtrl+1', click: command('zoom-actual') },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    { label: '&Help', submenu: [{ label: 'About Seam', click: command('about') }] },
  ];
  return Menu.buildFromTemplate(template);
}
