/**
 * The editor window's state: the open photos (tabs), the processors the engine offers, the tools,
 * the view, progress and the error the user should read. Side effects (the engine, storage,
 * thumbnails, downloads) come in through the constructor, so nothing here reaches for a global.
 */
import type { AppCommand, ProgressEvent, SeamApi } from '../../../shared/contract';
import type { ProcessorDescriptor } from '../../../shared/processor-options';
import { DocumentState } from '../document/document-state.svelte';
import { DocumentRefusal } from '../document/photo-document';
import { ToolState } from '../tools/tool-state.svelte';
import { MENU_ACTIONS, type EditorAction } from '../tools/shortcuts';
import type { ToolHost } from '../tools/tool';
import { ViewState } from '../view/view-state.svelte';
import { isCancellation, readableError } from './errors';
import { forgetRecent, readRecent, rememberRecent, type KeyValueStorage, type RecentFile } from './recent-files';

export type ExportFormat = 'png' | 'jpeg' | 'webp';

export interface WorkspaceDeps {
  api: SeamApi;
  storage: KeyValueStorage;
  /** A small data: URL of a photo, for the recent list. */
  thumbnail(pixels: Uint8Array, width: number, height: number): string;
  /** Hands the exported bytes to the user (a download in the browser, a save in the app). */
  save(name: string, bytes: Uint8Array, mime: string): void;
  /** True in the desktop app, whose menu sends undo, redo, open, export and zoom as commands. */
  menuOwnsShortcuts: boolean;
}

export class Workspace {
  documents = $state.raw<DocumentState[]>([]);
  activeId = $state<string | null>(null);
  processors = $state.raw<ProcessorDescriptor[]>([]);
  processorsError = $state<string | null>(null);
  recent = $state.raw<RecentFile[]>([]);
  /** Names of files being opened. */
  opening = $state.raw<string[]>([]);
  exporting = $state(false);
  progress = $state.raw<ProgressEvent | null>(null);
  error = $state<string | null>(null);
  aboutOpen = $state(false);
  /** The Export popover: Ctrl+E and the app menu open it, as Photoshop's Export opens a dialog. */
  exportOpen = $state(false);
  readonly tools = new ToolState();
  readonly view = new ViewState();
  readonly #deps: WorkspaceDeps;
  /** The toolbar's file input, so Ctrl+O and the app menu can open the picker. */
  #filePicker: (() => void) | null = null;

  constructor(deps: WorkspaceDeps) {
    this.#deps = deps;
    this.recent = readRecent(deps.storage);
    deps.api.onProgress((event) => {
      this.progress = event.stage === 'done' ? null : event;
    });
    deps.api.onAppCommand((command) => this.#appCommand(command));
  }

  get active(): DocumentState | null {
    return this.documents.find((d) => d.id === this.activeId) ?? null;
  }

  get busy(): boolean {
    return this.opening.length > 0 || this.exporting || !!this.active?.previewing || this.active?.analysis === 'running';
  }

  /** What tools work on: the active document, with refusals reported. */
  get toolHost(): ToolHost | null {
    const doc = this.active;
    return doc ? { document: doc.doc, report: (e) => this.report(e) } : null;
  }

  describe = (processor: string): ProcessorDescriptor | undefined => this.processors.find((p) => p.id === processor);

  async loadProcessors(): Promise<void> {
    try {
      this.processors = await this.#deps.api.listProcessors();
      this.processorsError = null;
      for (const doc of this.documents) doc.refreshPreviews();
    } catch (error) {
      this.processorsError = readableError(error);
    }
  }

  registerFilePicker(open: (() => void) | null): void {
    this.#filePicker = open;
  }

  openPicker(): void {
    this.#filePicker?.();
  }

  /** Opens files picked or dropped by the user; each becomes a tab. Decoding is the engine's (sharp). */
  async openFiles(files: Iterable<File>, options: { activate?: boolean } = {}): Promise<DocumentState[]> {
    const opened: DocumentState[] = [];
    for (const file of files) {
      const doc = await this.openBytes(file.name, new Uint8Array(await file.arrayBuffer()), options);
      if (doc) opened.push(doc);
    }
    return opened;
  }

  async openBytes(name: string, bytes: Uint8Array, { activate = true }: { activate?: boolean } = {}): Promise<DocumentState | null> {
    this.opening = [...this.opening, name];
    try {
      const image = await this.#deps.api.openImage({ name, bytes });
      const doc = new DocumentState(
        { imageId: image.imageId, name: image.name, width: image.width, height: image.height, pixels: image.pixels },
        { api: this.#deps.api, report: (e) => this.report(e), describe: this.describe, settled: () => (this.progress = null) },
      );
      this.documents = [...this.documents, doc];
      if (activate || !this.activeId) this.activeId = doc.id;
      this.#remember(image.name, image.pixels, image.width, image.height);
      void doc.analyse();
      return doc;
    } catch (error) {
      this.report(error);
      return null;
    } finally {
      const i = this.opening.indexOf(name);
      this.opening = this.opening.filter((_, j) => j !== i);
    }
  }

  activate(id: string): void {
    const host = this.toolHost;
    if (host) this.tools.tool.cancel(host);
    this.activeId = id;
  }

  async close(id: string): Promise<void> {
    const doc = this.documents.find((d) => d.id === id);
    if (!doc) return;
    const index = this.documents.indexOf(doc);
    if (this.activeId === id) {
      const host = this.toolHost;
      if (host) this.tools.tool.cancel(host);
    }
    doc.dispose();
    this.documents = this.documents.filter((d) => d !== doc);
    if (this.activeId === id) this.activeId = this.documents[Math.min(index, this.documents.length - 1)]?.id ?? null;
    try {
      await this.#deps.api.closeImage({ imageId: id });
    } catch {
      // Already gone from the engine (evicted): nothing the user needs to hear about.
    }
  }

  forgetRecent(name: string): void {
    this.recent = forgetRecent(this.#deps.storage, name);
  }

  async export(format: ExportFormat, quality: number): Promise<void> {
    const doc = this.active;
    if (!doc || this.exporting) return;
    this.exporting = true;
    try {
      const labels = doc.editedLabels();
      const result = await this.#deps.api.exportImage({ imageId: doc.id, steps: doc.doc.editSteps(), format, quality, ...(labels ? { labels } : {}) });
      this.#deps.save(result.name, result.bytes, format === 'jpeg' ? 'image/jpeg' : `image/${format}`);
    } catch (error) {
      this.report(error);
    } finally {
      this.exporting = false;
      this.progress = null;
    }
  }

  cancelJob(): void {
    const job = this.progress;
    if (job) void this.#deps.api.cancelJob({ jobId: job.jobId }).catch((e: unknown) => this.report(e));
  }

  report(error: unknown): void {
    if (isCancellation(error)) return;
    this.error = readableError(error);
    if (!(error instanceof DocumentRefusal)) console.error(error);
  }

  dismissError(): void {
    this.error = null;
  }

  /** Runs a keyboard shortcut's action; false when it does not apply here (the key goes on to the page). */
  run(action: EditorAction, fromKeyboard = true): boolean {
    if (fromKeyboard && this.#deps.menuOwnsShortcuts && MENU_ACTIONS.has(action.kind)) return false;
    const doc = this.active;
    switch (action.kind) {
      case 'tool':
        this.tools.select(action.tool, this.toolHost);
        return true;
      case 'swap-paint-erase':
        this.tools.swapPaintErase(this.toolHost);
        return true;
      case 'brush-size':
        this.tools.stepSize(action.direction);
        return true;
      case 'brush-hardness':
        this.tools.stepHardness(action.direction);
        return true;
      case 'undo':
        doc?.undo();
        return true;
      case 'redo':
        doc?.redo();
        return true;
      case 'zoom':
        if (action.to === 'fit') this.view.fit();
        else if (action.to === 'actual') this.view.actualSize();
        else if (action.to === 'in') this.view.zoomIn();
        else this.view.zoomOut();
        return true;
      case 'open':
        this.openPicker();
        return true;
      case 'export':
        if (this.active) this.exportOpen = true;
        return true;
      case 'toggle-overlay':
        this.view.toggleOverlay();
        return true;
    }
  }

  #appCommand(command: AppCommand): void {
    switch (command.command) {
      case 'open-file':
        void this.openBytes(command.name, command.bytes);
        return;
      case 'open-dialog':
        this.openPicker();
        return;
      case 'about':
        this.aboutOpen = true;
        return;
      case 'export':
        this.run({ kind: 'export' }, false);
        return;
      case 'undo':
      case 'redo':
        this.run({ kind: command.command }, false);
        return;
      default:
        this.run({ kind: 'zoom', to: command.command === 'zoom-in' ? 'in' : command.command === 'zoom-out' ? 'out' : command.command === 'zoom-fit' ? 'fit' : 'actual' }, false);
    }
  }

  #remember(name: string, pixels: Uint8Array, width: number, height: number): void {
    let picture = '';
    try {
      picture = this.#deps.thumbnail(pixels, width, height);
    } catch {
      // A thumbnail is a nicety; the entry is still useful without one.
    }
    this.recent = rememberRecent(this.#deps.storage, { name, width, height, thumbnail: picture, openedAt: Date.now() });
  }
}
