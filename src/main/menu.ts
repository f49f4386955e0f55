/**
 * The application menu, built from menu-template.ts (where its items, commands and accelerators
 * live and are tested). Open and Open Recent read the chosen file here (main does the dialog) and
 * send its bytes; the other items are AppCommands the page runs.
 */
import { app, Menu, type MenuItemConstructorOptions } from 'electron';
import type { AppCommand } from '../shared/contract';
import { appMenuTemplate } from './menu-template';
import type { RecentFiles } from './recent-files';

export interface AppMenuActions {
  send(command: AppCommand): void;
  openWithDialog(): Promise<void>;
  openPath(path: string): Promise<void>;
  recent: RecentFiles;
}

export function buildAppMenu(actions: AppMenuActions): Menu {
  const template: MenuItemConstructorOptions[] = appMenuTemplate(
    {
      send: actions.send,
      openWithDialog: actions.openWithDialog,
      openPath: actions.openPath,
      clearRecent: () => actions.recent.clear().then(() => Menu.setApplicationMenu(buildAppMenu(actions))),
    },
    { platform: process.platform, packaged: app.isPackaged, recent: actions.recent.list() },
  );
  return Menu.buildFromTemplate(template);
}
