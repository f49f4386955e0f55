/**
 * The application menu as data: which items there are, which AppCommand each sends to the page,
 * and their accelerators. Free of Electron (menu.ts hands the template to Menu.buildFromTemplate)
 * so a test checks every item without an Electron binary.
 *
 * Items that act on the document become AppCommands: the document and its history live in the
 * page, which runs them through the same actions as its toolbar and keys. Keys without a modifier
 * (P, \) are the page's own: the menu shows them but does not register them, or typing a "p" in a
 * text field would toggle the view.
 */
import { basename } from 'node:path';
import type { AppCommand } from '../shared/contract';

export type MenuCommand = Exclude<AppCommand['command'], 'open-file'>;

/** The subset of Electron's MenuItemConstructorOptions the template uses (structurally the same). */
export interface MenuItemTemplate {
  label?: string;
  sublabel?: string;
  accelerator?: string;
  /** Linux and Windows: false shows the accelerator without taking the key from the page. */
  registerAccelerator?: boolean;
  enabled?: boolean;
  type?: 'separator';
  role?: 'appMenu' | 'close' | 'quit' | 'togglefullscreen' | 'toggleDevTools';
  submenu?: MenuItemTemplate[];
  click?: () => void;
}

export interface MenuActions {
  send(command: { command: MenuCommand }): void;
  openWithDialog(): Promise<void>;
  openPath(path: string): Promise<void>;
  clearRecent(): Promise<void>;
}

export interface MenuContext {
  platform: NodeJS.Platform;
  /** Packaged builds have no DevTools item. */
  packaged: boolean;
  /** Recent paths, newest first (recent-files.ts). */
  recent: readonly string[];
}

export function appMenuTemplate(actions: MenuActions, { platform, packaged, recent }: MenuContext): MenuItemTemplate[] {
  const mac = platform === 'darwin';
  const command = (name: MenuCommand) => () => actions.send({ command: name });
  /** A key the page handles itself: shown beside the item, never taken from the page. */
  const pageKey = (key: string): Pick<MenuItemTemplate, 'accelerator' | 'registerAccelerator'> =>
    // macOS ignores registerAccelerator and would take the key from text fields: show nothing there.
    mac ? {} : { accelerator: key, registerAccelerator: false };
  const recentItems: MenuItemTemplate[] = recent.map((path) => ({
    label: basename(path),
    sublabel: path,
    click: () => void actions.openPath(path),
  }));
  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => void actions.openWithDialog() },
        {
          label: 'Open Recent',
          submenu: recentItems.length > 0
            ? [...recentItems, { type: 'separator' }, { label: 'Clear Menu', click: () => void actions.clearRecent() }]
            : [{ label: 'No recent files', enabled: false }],
        },
        { type: 'separator' },
        { label: 'Save', accelerator: 'CmdOrCtrl+S', click: command('save') },
        { label: 'Save As…', accelerator: 'CmdOrCtrl+Shift+S', click: command('save-as') },
        { type: 'separator' },
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: command('export') },
        { label: 'Export Masks…', click: command('export-masks') },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
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
        { label: 'Before/After', ...pageKey('P'), click: command('toggle-before') },
        { label: 'Mask Overlay', ...pageKey('\\'), click: command('toggle-overlay') },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(packaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    { label: '&Help', submenu: [{ label: 'About Seam', click: command('about') }] },
  ];
}
