/**
 * Saving files like a desktop app: main's answer to the save methods (src/shared/save-contract.ts).
 * It shows the Save dialog, remembers each saved path behind a random token so Ctrl+S can write
 * over the same file without asking again, and writes every file atomically (a temp file beside
 * the destination, flushed, then renamed over it), so a crash mid-save leaves the old file whole.
 *
 * Free of Electron (the dialog is handed in) so its rules are tested in plain Node. The page never
 * sees a path: it gets names without folders and tokens, and a token it did not receive from a
 * finished save of the same kind names nothing.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { tempPathBeside } from '../engine/fs/atomic-write';
import { SeamError } from '../shared/errors';
import { SAVE_KINDS, type SaveHandlers, type SaveKind } from '../shared/save-contract';
import { OPENABLE_EXTENSIONS } from './openable';

/** The part of Electron's dialog.showSaveDialog options and answer that Seam uses. */
export interface SaveDialogRequest {
  title: string;
  defaultPath: string;
  filters: { name: string; extensions: string[] }[];
}
export interface SaveDialogAnswer {
  canceled: boolean;
  filePath?: string;
}

export interface FileSaverDeps {
  showSaveDialog(request: SaveDialogRequest): Promise<SaveDialogAnswer>;
  /** Where the first dialog of a session starts (Electron: app.getPath('documents')). */
  defaultFolder: string;
  /** Told each finished save; `openable` when Seam can open that file again (the recent list). */
  saved?(path: string, openable: boolean): void | Promise<void>;
}

/** Unfinished saves at once: each holds an open temp file, and a page has no reason for more. */
export const MAX_PENDING_SAVES = 8;

const FILTER_NAMES: Record<string, string> = {
  seam: 'Seam project',
  png: 'PNG image',
  jpg: 'JPEG image',
  jpeg: 'JPEG image',
  webp: 'WebP image',
  zip: 'ZIP archive',
  mp4: 'MP4 video',
  mov: 'QuickTime video',
  mkv: 'Matroska video',
  webm: 'WebM video',
};

interface PendingSave {
  kind: SaveKind;
  target: string;
  temp: string;
  handle: FileHandle;
  size: number;
  /** Bytes claimed by writes so far (counted before each write awaits, so writes cannot overlap). */
  received: number;
  /** The writes still on their way to the disk; finish waits for them before it flushes. */
  writing: Promise<unknown>;
}

interface SavedFile {
  path: string;
  kind: SaveKind;
}

export class FileSaver {
  readonly #deps: FileSaverDeps;
  readonly #tokens = new Map<string, SavedFile>();
  readonly #pending = new Map<string, PendingSave>();
  #lastFolder: string | null = null;

  constructor(deps: FileSaverDeps) {
    this.#deps = deps;
  }

  /** The contract's save methods, bound, for ipc.ts. */
  readonly handlers: SaveHandlers = {
    beginSave: (args) => this.begin(args),
    writeSave: (args) => this.write(args),
    finishSave: (args) => this.finish(args),
    discardSave: (args) => this.discard(args.saveId),
  };

  async begin(args: { suggestedName: string; kind: SaveKind; size: number; saveAs: boolean; fileToken?: string }): Promise<{ status: 'ready'; saveId: string } | { status: 'cancelled' }> {
    if (this.#pending.size >= MAX_PENDING_SAVES) {
      throw new SeamError('BAD_INPUT', `Cannot save ${args.suggestedName}: ${MAX_PENDING_SAVES} saves are already unfinished.`);
    }
    const known = args.fileToken ? this.#tokens.get(args.fileToken) : undefined;
    // A token of another kind names nothing: it must not turn a project's path into a video's.
    const earlier = known?.kind === args.kind ? known.path : undefined;
    let target = args.saveAs ? undefined : earlier;
    if (!target) {
      const suggested = basename(args.suggestedName);
      const folder = earlier ? dirname(earlier) : (this.#lastFolder ?? this.#deps.defaultFolder);
      const answer = await this.#deps.showSaveDialog({
        title: SAVE_KINDS[args.kind].title,
        defaultPath: join(folder, suggested),
        filters: saveFilters(args.kind, suggested),
      });
      if (answer.canceled || !answer.filePath) return { status: 'cancelled' };
      target = withKindExtension(resolve(answer.filePath), args.kind, suggested);
      this.#lastFolder = dirname(target);
    }
    const temp = tempPathBeside(target);
    let handle: FileHandle;
    try {
      handle = await open(temp, 'wx');
    } catch (error) {
      throw new SeamError('BAD_INPUT', `Cannot save ${basename(target)}: its folder cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    }
    const saveId = `save-${randomBytes(6).toString('hex')}`;
    this.#pending.set(saveId, { kind: args.kind, target, temp, handle, size: args.size, received: 0, writing: Promise.resolve() });
    return { status: 'ready', saveId };
  }

  async write({ saveId, offset, bytes }: { saveId: string; offset: number; bytes: Uint8Array }): Promise<{ received: number }> {
    const save = this.#find(saveId);
    const name = basename(save.target);
    if (offset !== save.received) throw new SeamError('BAD_INPUT', `Cannot save ${name}: a chunk at byte ${offset} arrived, byte ${save.received} was expected.`);
    if (offset + bytes.byteLength > save.size) {
      await this.discard(saveId);
      throw new SeamError('BAD_INPUT', `Cannot save ${name}: more bytes arrived than the ${save.size} announced; the save was dropped.`);
    }
    save.received += bytes.byteLength;
    const written = save.handle.write(bytes, 0, bytes.byteLength, offset);
    save.writing = Promise.all([save.writing, written.catch(() => undefined)]);
    try {
      await written;
    } catch (error) {
      await this.discard(saveId);
      throw new SeamError('BAD_INPUT', `Cannot save ${name}: writing failed (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); the file was left as it was.`);
    }
    return { received: save.received };
  }

  async finish({ saveId }: { saveId: string }): Promise<{ name: string; fileToken: string }> {
    const save = this.#find(saveId);
    const name = basename(save.target);
    if (save.received !== save.size) {
      throw new SeamError('BAD_INPUT', `Cannot save ${name}: ${save.received} of ${save.size} bytes arrived.`);
    }
    this.#pending.delete(saveId);
    try {
      await save.writing;
      await save.handle.sync();
      await save.handle.close();
      await rename(save.temp, save.target);
    } catch (error) {
      await save.handle.close().catch(() => undefined);
      await rm(save.temp, { force: true });
      throw new SeamError('BAD_INPUT', `Cannot save ${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; the file was left as it was.`);
    }
    const fileToken = this.#tokenFor(save.target, save.kind);
    try {
      await this.#deps.saved?.(save.target, OPENABLE_EXTENSIONS.includes(extname(save.target).slice(1).toLowerCase()));
    } catch {
      // The recent list is a nicety: the file is saved, which is what the user asked for.
    }
    return { name, fileToken };
  }

  async discard(saveId: string): Promise<boolean> {
    const save = this.#pending.get(saveId);
    if (!save) return false;
    this.#pending.delete(saveId);
    await save.handle.close().catch(() => undefined);
    await rm(save.temp, { force: true });
    return true;
  }

  /** Drops every unfinished save (the app is quitting): no temp file is left beside a destination. */
  async discardAll(): Promise<void> {
    await Promise.all([...this.#pending.keys()].map((id) => this.discard(id)));
  }

  #find(saveId: string): PendingSave {
    const save = this.#pending.get(saveId);
    if (!save) throw new SeamError('NOT_FOUND', `No save ${saveId} is in progress (finished, dropped, or never begun).`);
    return save;
  }

  /** One token per path and kind, so a document keeps the same token across saves. */
  #tokenFor(path: string, kind: SaveKind): string {
    for (const [token, file] of this.#tokens) if (file.path === path && file.kind === kind) return token;
    const token = `ft-${randomBytes(16).toString('hex')}`;
    this.#tokens.set(token, { path, kind });
    return token;
  }
}

/** The dialog's filter: the suggested name's own type where the kind allows it, else the kind's first. */
export function saveFilters(kind: SaveKind, suggestedName: string): SaveDialogRequest['filters'] {
  const allowed: readonly string[] = SAVE_KINDS[kind].extensions;
  const wanted = extname(suggestedName).slice(1).toLowerCase();
  const ext = allowed.includes(wanted) ? wanted : allowed[0]!;
  const extensions = ext === 'jpg' || ext === 'jpeg' ? ['jpg', 'jpeg'] : [ext];
  return [{ name: FILTER_NAMES[ext] ?? ext.toUpperCase(), extensions }];
}

/**
 * The chosen path, with the suggested extension added when the user typed none the kind allows
 * (Linux's dialog does not add one): "portrait" saved as a project becomes "portrait.seam".
 */
export function withKindExtension(path: string, kind: SaveKind, suggestedName: string): string {
  const allowed: readonly string[] = SAVE_KINDS[kind].extensions;
  if (allowed.includes(extname(path).slice(1).toLowerCase())) return path;
  const wanted = extname(suggestedName).slice(1).toLowerCase();
  return `${path}.${allowed.includes(wanted) ? wanted : allowed[0]!}`;
}
