/**
 * The editor window's state: the open photos (tabs), the processors the engine offers, the tools,
 * the view, progress and the error the user should read. Side effects (the engine, storage,
 * thumbnails, downloads) come in through the constructor, so nothing here reaches for a global.
 */
import { zipSync } from 'fflate';
import type { AppCommand, ProgressEvent, SeamApi } from '../../../shared/contract';
import type { ProcessorDescriptor } from '../../../shared/processor-options';
import type { AutosaveInfo } from '../../../shared/project-contract';
import { PROJECT_EXTENSION, PROJECT_MIME, looksLikeProject, parseProject, projectFileName, type ProjectHashing, type ProjectPhoto } from '../../../shared/project-format';
import { DocumentState, newDocumentKey, type DocumentOrigin } from '../document/document-state.svelte';
import { AutosaveTimer } from '../document/autosave-timer';
import { isMaskLayer } from '../document/layers';
import { DocumentRefusal } from '../document/photo-document';
import { restoredState, webHashing, writeDocumentProject } from '../document/project-file';
import { ToolState } from '../tools/tool-state.svelte';
import { MENU_ACTIONS, type EditorAction } from '../tools/shortcuts';
import type { ToolHost } from '../tools/tool';
import { ViewState } from '../view/view-state.svelte';
import * as videoEffects from '../video/browser-effects';
import { isVideoFile } from '../video/video-files';
import type { VideoDocument } from '../video/video-document.svelte';
import { VideoWorkspace } from '../video/video-workspace.svelte';
import { isCancellation, readableError } from './errors';
import { forgetRecent, readRecent, rememberRecent, type KeyValueStorage, type RecentFile } from './recent-files';
import type { SaveFile } from './save-file';

export type ExportFormat = 'png' | 'jpeg' | 'webp';

export interface WorkspaceDeps {
  api: SeamApi;
  storage: KeyValueStorage;
  /** A small data: URL of a photo, for the recent list. */
  thumbnail(pixels: Uint8Array, width: number, height: number): string;
  /** Hands bytes to the user: the host's Save dialog and file in the app, a download in a browser (save-file.ts). */
  save: SaveFile;
  /** True where Save As shows the host's own Save dialog (the desktop app), so no name popover is needed. */
  savesWithDialog?: boolean;
  /** True in the desktop app, whose menu sends undo, redo, open, export and zoom as commands. */
  menuOwnsShortcuts: boolean;
  /** Idle time after the last change before a dirty document is autosaved (default 4 s). */
  autosaveDelayMs?: number;
  hashing?: ProjectHashing;
}

const DEFAULT_AUTOSAVE_DELAY_MS = 4000;

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
  /** The model manager (installed models, importing SEAN's checkpoint). */
  modelsOpen = $state(false);
  /** A model checkpoint dropped on the window, for the model manager to import when it opens. */
  pendingModelFile = $state.raw<File | null>(null);
  /** The Export popover: Ctrl+E and the app menu open it, as Photoshop's Export opens a dialog. */
  exportOpen = $state(false);
  /** The Save As popover (Ctrl+Shift+S), which asks for the project's name. */
  saveAsOpen = $state(false);
  saving = $state(false);
  /** Unsaved work left by an earlier run (or this one), offered on the start screen. */
  autosaves = $state.raw<AutosaveInfo[]>([]);
  /** The document whose close waits for the user's answer (it has unsaved changes). */
  closing = $state<string | null>(null);
  readonly tools = new ToolState();
  readonly view = new ViewState();
  /** Open clips: tabs beside the photos, sharing `activeId`. */
  readonly video: VideoWorkspace;
  readonly #deps: WorkspaceDeps;
  /** The toolbar's file input, so Ctrl+O and the app menu can open the picker. */
  #filePicker: (() => void) | null = null;
  readonly #autosaveTimer: AutosaveTimer;
  #appVersion: Promise<string> | null = null;

  constructor(deps: WorkspaceDeps) {
    this.#deps = deps;
    this.#autosaveTimer = new AutosaveTimer(deps.autosaveDelayMs ?? DEFAULT_AUTOSAVE_DELAY_MS);
    this.recent = readRecent(deps.storage);
    void this.loadAutosaves();
    deps.api.onProgress((event) => {
      this.progress = event.stage === 'done' ? null : event;
    });
    deps.api.onAppCommand((command) => this.#appCommand(command));
    this.video = new VideoWorkspace({
      api: deps.api,
      report: (e) => this.report(e),
      describe: this.describe,
      save: deps.save,
      settled: () => (this.progress = null),
      ...videoEffects,
    });
  }

  /** The engine's contract, for panels that call it directly (the model manager). */
  get api(): SeamApi {
    return this.#deps.api;
  }

  get activeVideo(): VideoDocument | null {
    return this.video.find(this.activeId);
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
      this.video.processorsChanged(this.describe);
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
      if (isModelCheckpoint(file.name)) {
        // SEAN's latest_net_G.pth dropped on the window: the model manager imports it.
        this.pendingModelFile = file;
        this.modelsOpen = true;
        continue;
      }
      if (isVideoFile(file)) {
        const video = await this.video.open(file);
        if (video && (options.activate !== false || !this.activeId)) this.activeId = video.id;
        continue;
      }
      const doc = await this.openBytes(file.name, new Uint8Array(await file.arrayBuffer()), options);
      if (doc) opened.push(doc);
    }
    return opened;
  }

  /** Opens a photo, or a .seam project (told apart by name or zip bytes), as a new tab. */
  async openBytes(name: string, bytes: Uint8Array, { activate = true }: { activate?: boolean } = {}): Promise<DocumentState | null> {
    if (looksLikeProject(name, bytes)) return this.#openProject(name, bytes, { activate });
    return this.#open(name, bytes, { sourceBytes: bytes, key: newDocumentKey() }, activate);
  }

  async #openProject(name: string, bytes: Uint8Array, { activate = true, recovered }: { activate?: boolean; recovered?: AutosaveInfo }): Promise<DocumentState | null> {
    let project;
    try {
      project = await parseProject(name, bytes, this.#hashing);
    } catch (error) {
      this.report(error);
      return null;
    }
    const photoIds = await this.#openProjectPhotos(project.photos);
    const origin: DocumentOrigin = {
      sourceBytes: project.source.bytes,
      key: recovered?.documentKey ?? newDocumentKey(),
      restored: restoredState(project, (savedId) => photoIds[savedId] ?? null),
      ...(recovered ? { unsaved: true } : { projectName: name }),
    };
    return this.#open(project.source.name, project.source.bytes, origin, activate);
  }

  /** A photo open now, by image id, as a project carries it: its name and the bytes it was opened from. */
  readonly #openPhotoBytes = (imageId: string): { name: string; bytes: Uint8Array } | undefined => {
    const doc = this.documents.find((d) => d.id === imageId);
    return doc && { name: doc.name, bytes: doc.sourceBytes };
  };

  /**
   * The photos a project's edits take (a face swap's source), open: the one still open under the
   * id it was saved with, else an open one with the same bytes, else opened now in a tab beside
   * the project, as it was when the edit was set up. Saved id → id now.
   */
  async #openProjectPhotos(photos: readonly ProjectPhoto[]): Promise<Record<string, string>> {
    // Keys are image ids ("img-…", checked when the project was read): no prototype names.
    const ids: Record<string, string> = {};
    for (const photo of photos) {
      const open =
        this.documents.find((d) => d.id === photo.ref) ??
        this.documents.find((d) => sameBytes(d.sourceBytes, photo.bytes)) ??
        (await this.#open(photo.name, photo.bytes, { sourceBytes: photo.bytes, key: newDocumentKey() }, false));
      if (open) ids[photo.ref] = open.id;
    }
    return ids;
  }

  async #open(name: string, bytes: Uint8Array, origin: DocumentOrigin, activate: boolean): Promise<DocumentState | null> {
    this.opening = [...this.opening, name];
    try {
      const image = await this.#deps.api.openImage({ name, bytes });
      const doc: DocumentState = new DocumentState(
        { imageId: image.imageId, name: image.name, width: image.width, height: image.height, pixels: image.pixels },
        { api: this.#deps.api, report: (e) => this.report(e), describe: this.describe, settled: () => (this.progress = null), edited: () => this.#scheduleAutosave(doc) },
        origin,
      );
      this.documents = [...this.documents, doc];
      if (activate || !this.activeId) this.activeId = doc.id;
      this.#remember(image.name, image.pixels, image.width, image.height);
      if (origin.restored) doc.refreshPreviews();
      if (origin.unsaved) this.#scheduleAutosave(doc);
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

  /**
   * Closes a tab. A document with unsaved changes is not closed at once: `closing` names it and
   * the tabs ask (save, don't save, cancel); `discard: true` is the "don't save" answer.
   */
  async close(id: string, { discard = false }: { discard?: boolean } = {}): Promise<void> {
    if (this.video.find(id)) {
      await this.video.close(id);
      if (this.activeId === id) this.activeId = this.documents.at(-1)?.id ?? this.video.videos.at(-1)?.id ?? null;
      return;
    }
    const doc = this.documents.find((d) => d.id === id);
    if (!doc) return;
    if (doc.dirty && !discard) {
      this.closing = id;
      return;
    }
    if (this.closing === id) this.closing = null;
    this.#cancelAutosave(doc);
    // Closed cleanly: the autosave is no longer needed (a crash never gets here).
    void this.#deps.api.discardAutosave({ documentKey: doc.key }).catch(() => undefined);
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

  /** Saves, then closes: the "Save" answer to closing a dirty document. */
  async saveAndClose(id: string): Promise<void> {
    const doc = this.documents.find((d) => d.id === id);
    if (!doc) return;
    this.closing = null;
    if (await this.saveProject(doc)) await this.close(id);
  }

  // ——— projects ———

  /**
   * Writes the document as a .seam project and hands it to the user (a download in the
   * browser, a save dialog in the app) under `name`, or the name it was last saved or opened as.
   * In the app, Save writes over the file the document was last saved to (its fileToken) and Save
   * As (`saveAs`, or a new `name`) asks where. Resolves true once saved; the document is then clean
   * and its autosave is dropped; false when it was not (an error, or the user cancelled the dialog).
   */
  async saveProject(doc: DocumentState | null = this.active, name?: string, { saveAs = name !== undefined }: { saveAs?: boolean } = {}): Promise<boolean> {
    if (!doc || this.saving) return false;
    this.saving = true;
    try {
      const fileName = withProjectExtension(name?.trim() || doc.projectName || projectFileName(doc.name));
      const bytes = await writeDocumentProject(doc.doc, doc.sourceBytes, await this.#version(), this.#hashing, this.#openPhotoBytes);
      const saved = await this.#deps.save({ name: fileName, bytes, mime: PROJECT_MIME, kind: 'project', saveAs, fileToken: doc.fileToken });
      if (saved.status === 'cancelled') return false;
      doc.fileToken = saved.fileToken;
      doc.markSaved(saved.name);
      this.#cancelAutosave(doc);
      await this.#deps.api.discardAutosave({ documentKey: doc.key }).catch(() => undefined);
      doc.autosavedAt = null;
      return true;
    } catch (error) {
      this.report(error);
      return false;
    } finally {
      this.saving = false;
    }
  }

  async loadAutosaves(): Promise<void> {
    try {
      const listed = await this.#deps.api.listAutosaves();
      this.autosaves = listed.filter((a) => !this.documents.some((d) => d.key === a.documentKey));
    } catch (error) {
      this.report(error);
    }
  }

  /** Opens an autosave as an unsaved document; it keeps its key, so later autosaves replace it. */
  async recover(documentKey: string): Promise<DocumentState | null> {
    try {
      const { bytes, ...info } = await this.#deps.api.readAutosave({ documentKey });
      const doc = await this.#openProject(info.name, bytes, { recovered: info });
      if (doc) this.autosaves = this.autosaves.filter((a) => a.documentKey !== documentKey);
      return doc;
    } catch (error) {
      this.report(error);
      return null;
    }
  }

  async discardRecovery(documentKey: string): Promise<void> {
    try {
      await this.#deps.api.discardAutosave({ documentKey });
      this.autosaves = this.autosaves.filter((a) => a.documentKey !== documentKey);
    } catch (error) {
      this.report(error);
    }
  }

  #scheduleAutosave(doc: DocumentState): void {
    this.#autosaveTimer.schedule(doc.key, () => void this.#autosave(doc));
  }

  #cancelAutosave(doc: DocumentState): void {
    this.#autosaveTimer.cancel(doc.key);
  }

  async #autosave(doc: DocumentState): Promise<void> {
    if (!doc.dirty || !this.documents.includes(doc)) return;
    try {
      const bytes = await writeDocumentProject(doc.doc, doc.sourceBytes, await this.#version(), this.#hashing, this.#openPhotoBytes);
      // Saved or closed while the bytes were being made: nothing to keep.
      if (!doc.dirty || !this.documents.includes(doc)) return;
      const saved = await this.#deps.api.writeAutosave({ documentKey: doc.key, name: doc.projectName ?? projectFileName(doc.name), bytes });
      doc.autosavedAt = saved.savedAt;
    } catch (error) {
      // Autosave is a safety net: say it failed, keep working.
      this.report(error);
    }
  }

  #version(): Promise<string> {
    this.#appVersion ??= this.#deps.api.appInfo().then(
      (info) => info.version,
      () => 'unknown',
    );
    return this.#appVersion;
  }

  get #hashing(): ProjectHashing {
    return this.#deps.hashing ?? webHashing;
  }

  // ——— mask export ———

  /** One mask layer as a greyscale PNG at the photo's size. */
  async exportMask(layerId: string): Promise<void> {
    const doc = this.active;
    const layer = doc?.doc.layer(layerId);
    if (!doc || !isMaskLayer(layer)) return;
    try {
      const { bytes } = await this.#deps.api.encodeMaskPng({ width: doc.width, height: doc.height, data: layer.mask.toDense() });
      await this.#deps.save({ name: `${stem(doc.name)}-${slug(layer.group)}-${slug(layer.name)}.png`, bytes, mime: 'image/png', kind: 'mask' });
    } catch (error) {
      this.report(error);
    }
  }

  /** Every mask layer (regions and the user's masks) as greyscale PNGs in one zip. */
  async exportAllMasks(): Promise<void> {
    const doc = this.active;
    if (!doc) return;
    try {
      const files: Record<string, Uint8Array> = {};
      for (const layer of doc.doc.layers) {
        if (!isMaskLayer(layer)) continue;
        const { bytes } = await this.#deps.api.encodeMaskPng({ width: doc.width, height: doc.height, data: layer.mask.toDense() });
        let name = `${slug(layer.group)}-${slug(layer.name)}.png`;
        for (let n = 2; name in files; n++) name = `${slug(layer.group)}-${slug(layer.name)}-${n}.png`;
        files[name] = bytes;
      }
      if (Object.keys(files).length === 0) throw new DocumentRefusal(`${doc.name} has no mask layers to export.`);
      // PNGs are compressed already: stored, not deflated again.
      await this.#deps.save({ name: `${stem(doc.name)}-masks.zip`, bytes: zipSync(files, { level: 0 }), mime: 'application/zip', kind: 'archive' });
    } catch (error) {
      this.report(error);
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
      await this.#deps.save({ name: result.name, bytes: result.bytes, mime: format === 'jpeg' ? 'image/jpeg' : `image/${format}`, kind: 'image' });
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
      case 'save':
        void this.saveProject();
        return true;
      case 'save-as':
        // The app's own Save dialog asks for the name and folder; a browser has only the popover.
        if (this.active && this.#deps.savesWithDialog) void this.saveProject(this.active, undefined, { saveAs: true });
        else if (this.active) this.saveAsOpen = true;
        return true;
      case 'toggle-overlay':
        this.view.toggleOverlay();
        return true;
      case 'toggle-before':
        // A key is spring-loaded: a tap toggles, a hold peeks until App's keyup releases it
        // (compare.ts). The menu item has no key to let go of: it only toggles.
        if (fromKeyboard) this.view.pressBeforeKey(performance.now());
        else this.view.toggleBefore();
        return true;
    }
  }

  #appCommand(command: AppCommand): void {
    switch (command.command) {
      case 'open-file':
        // The same routing as a drop: a clip to the video workspace, a checkpoint to the model
        // manager, anything else as a photo or project.
        void this.openFiles([new File([command.bytes.slice()], command.name)]);
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
      case 'save':
      case 'save-as':
      case 'toggle-before':
      case 'toggle-overlay':
        this.run({ kind: command.command }, false);
        return;
      case 'export-masks':
        void this.exportAllMasks();
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

function stem(name: string): string {
  return name.replace(/\.[^./\\]*$/, '') || 'photo';
}

/** A layer or group name as part of a file name: "Face 1" → "face-1". */
function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'layer';
}

function withProjectExtension(name: string): string {
  return name.toLowerCase().endsWith(PROJECT_EXTENSION) ? name : `${name}${PROJECT_EXTENSION}`;
}

/** PyTorch checkpoints (what SEAN publishes) are imported as models, not opened as documents. */
export function isModelCheckpoint(name: string): boolean {
  return /\.(pth|pt)$/i.test(name);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
