/**
 * Opening files from outside the page: File ▸ Open, Open Recent, the OS (file associations,
 * "Open with Seam", a second launch with a path). Main reads the file and hands its bytes to
 * the page as an AppCommand; the file joins the seam-media:// access list and the recent list.
 */
import { app, dialog, type BrowserWindow } from 'electron';
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { AppCommand } from '../shared/contract';
import { MAX_IMAGE_BYTES } from '../shared/editor-contract';
import type { MediaAccessList } from './media-access';
import { OPENABLE_EXTENSIONS } from './openable';
import type { RecentFiles } from './recent-files';

export interface FileOpenerDeps {
  window: () => BrowserWindow | undefined;
  send(command: AppCommand): void;
  media: MediaAccessList;
  recent: RecentFiles;
  onRecentChanged(): void;
}

export class FileOpener {
  constructor(private readonly deps: FileOpenerDeps) {}

  async openWithDialog(): Promise<void> {
    const window = this.deps.window();
    const options = {
      title: 'Open a photo',
      properties: ['openFile' as const, 'multiSelections' as const],
      filters: [{ name: 'Photos, clips and projects', extensions: OPENABLE_EXTENSIONS }],
    };
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    for (const path of result.filePaths) await this.openPath(path);
  }

  async openPath(path: string): Promise<void> {
    const absolute = resolve(path);
    try {
      const info = await stat(absolute);
      if (!info.isFile()) throw new Error('it is not a file');
      if (info.size > MAX_IMAGE_BYTES) throw new Error(`it is larger than ${MAX_IMAGE_BYTES / 2 ** 20} MB`);
      const bytes = new Uint8Array(await readFile(absolute));
      this.deps.media.allow(absolute);
      this.deps.send({ command: 'open-file', name: basename(absolute), bytes });
      await this.deps.recent.add(absolute);
      app.addRecentDocument(absolute);
      this.deps.onRecentChanged();
    } catch (error) {
      dialog.showErrorBox('Seam could not open the file', `${absolute}: ${(error as Error).message}`);
    }
  }
}
