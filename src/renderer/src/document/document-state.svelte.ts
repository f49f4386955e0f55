/**
 * One open photo as the UI sees it: the PhotoDocument (plain TS) made reactive for the panels,
 * plus what the engine said about it (faces, analysis progress) and the previews of its edit
 * layers. UI actions are one call each; refusals and engine failures go to `report`, never throw
 * into a component.
 */
import type { MethodResult, SeamApi } from '../../../shared/contract';
import type { ProcessorDescriptor } from '../../../shared/processor-options';
import { readableError } from '../lib/errors';
import { LatestRequest } from '../lib/latest-request';
import type { Viewport } from '../view/viewport';
import { PreviewCache, initialOptions, planPreviews, type EditPlan, type PlannedPreview } from './edit-plan';
import type { LayerView } from './layers';
import { PhotoDocument, type DocumentChange, type Photo, type RestoredState } from './photo-document';

export type Face = MethodResult<'analyzeImage'>['faces'][number];

export interface EditPreview {
  layerId: string;
  key: string;
  width: number;
  height: number;
  /** Where `pixels` and `region` sit in the photo (the box the edit changed); absent: the whole photo. */
  box?: { x: number; y: number; width: number; height: number } | undefined;
  pixels: Uint8Array;
  region: Uint8Array;
}

export interface DocumentDeps {
  api: SeamApi;
  report(error: unknown): void;
  /** An engine call of this document settled: its progress display can go. */
  settled(): void;
  describe(processor: string): ProcessorDescriptor | undefined;
  /** A change entered the undo history (an edit, an undo, a redo): autosave listens. */
  edited?(): void;
}

/** Where the document came from, beyond its photo. */
export interface DocumentOrigin {
  /** The photo file's bytes as opened: a project embeds them. */
  sourceBytes: Uint8Array;
  /** Names this document's autosave; kept when it is recovered, so the same autosave is replaced. */
  key: string;
  /** The layers and settings of the project it was opened from. */
  restored?: RestoredState;
  /** The .seam file it was opened from or last saved as. */
  projectName?: string;
  /** Recovered from an autosave: unsaved work from the start. */
  unsaved?: boolean;
}

/** A fresh document key: an id the autosave contract accepts (never a path). */
export function newDocumentKey(): string {
  const random = new Uint8Array(8);
  crypto.getRandomValues(random);
  return `doc-${[...random].map((b) => b.toString(36).padStart(2, '0')).join('').slice(0, 16)}`;
}

export class DocumentState {
  readonly doc: PhotoDocument;
  readonly id: string;
  readonly name: string;
  readonly width: number;
  readonly height: number;
  layers = $state.raw<LayerView[]>([]);
  canUndo = $state(false);
  canRedo = $state(false);
  undoLabel = $state<string | null>(null);
  redoLabel = $state<string | null>(null);
  analysis = $state<'running' | 'done' | 'failed'>('running');
  analysisError = $state<string | null>(null);
  faces = $state.raw<Face[]>([]);
  /** Results of the edit layers that are visible, bottom to top. */
  previews = $state.raw<EditPreview[]>([]);
  previewing = $state(false);
  previewError = $state<string | null>(null);
  notes = $state.raw<string[]>([]);
  waiting = $state.raw<string[]>([]);
  /** Unsaved changes: the tab shows a dot and closing asks. */
  dirty = $state(false);
  /** When the engine last kept an autosave of this document (ms since the epoch). */
  autosavedAt = $state<number | null>(null);
  /** The .seam name Save writes (null until saved or opened from one). */
  projectName = $state<string | null>(null);
  /**
   * The desktop app's handle on the file the last Save wrote (save-file.ts), so Ctrl+S writes there
   * again without asking. Kept in the document's state only, never in the project file.
   */
  fileToken: string | null = null;
  readonly key: string;
  readonly sourceBytes: Uint8Array;
  readonly #restored: boolean;
  #unsaved: boolean;
  /** Where the canvas was looking when this document was last shown (not reactive: the view owns it). */
  viewport: Viewport | null = null;
  readonly #deps: DocumentDeps;
  readonly #previewer: LatestRequest<PlannedPreview[], EditPreview[]>;
  #labelsVersion = 0;
  readonly #cache = new PreviewCache<EditPreview>();
  #unsubscribe: () => void;

  constructor(photo: Photo, deps: DocumentDeps, origin: DocumentOrigin) {
    this.doc = new PhotoDocument(photo);
    this.key = origin.key;
    this.sourceBytes = origin.sourceBytes;
    this.projectName = origin.projectName ?? null;
    this.#restored = !!origin.restored;
    this.#unsaved = !!origin.unsaved;
    if (origin.restored) this.doc.restore(origin.restored);
    this.id = photo.imageId;
    this.name = photo.name;
    this.width = photo.width;
    this.height = photo.height;
    this.#deps = deps;
    this.#previewer = new LatestRequest(
      (plan) => this.#runPreviews(plan),
      (previews) => this.#showPreviews(previews),
      (error) => {
        this.previewError = readableError(error);
        this.previewing = false;
      },
    );
    this.#unsubscribe = this.doc.subscribe((change) => this.#changed(change));
    this.doc.history.onChange(() => {
      this.#refreshHistory();
      this.#refreshDirty();
      deps.edited?.();
    });
    this.#refreshLayers();
    this.#refreshDirty();
  }

  /** The document was written to `projectName`: clean until the next change. */
  markSaved(projectName: string): void {
    this.doc.markSaved();
    this.projectName = projectName;
    this.#unsaved = false;
    this.#refreshDirty();
  }

  #refreshDirty(): void {
    this.dirty = this.#unsaved || this.doc.dirty;
  }

  get activeLayer(): LayerView | null {
    return this.layers.find((l) => l.active) ?? null;
  }

  /** Asks the engine for faces, the label map and the person mask, and builds the semantic layers. */
  async analyse(): Promise<void> {
    this.analysis = 'running';
    this.analysisError = null;
    try {
      const result = await this.#deps.api.analyzeImage({ imageId: this.id });
      this.faces = result.faces;
      const labels = result.labels.width === this.width && result.labels.height === this.height ? result.labels.data : null;
      // A project brings its own layers (perhaps painted); the analysis then only names the faces.
      if (!this.#restored) this.doc.applyAnalysis({ faces: result.faces.map((f) => f.box), labels, personAlpha: result.person.length === this.width * this.height ? result.person : null });
      this.analysis = 'done';
    } catch (error) {
      this.analysis = 'failed';
      this.analysisError = readableError(error);
    } finally {
      this.#deps.settled();
    }
  }

  // ——— one call per UI action ———

  #attempt(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.#deps.report(error);
    }
  }

  select(id: string): void {
    this.#attempt(() => this.doc.setActiveLayer(id));
  }
  toggleVisible(id: string): void {
    this.#attempt(() => this.doc.setVisible(id, !this.doc.layer(id)?.visible));
  }
  toggleLocked(id: string): void {
    this.#attempt(() => this.doc.setLocked(id, !this.doc.layer(id)?.locked));
  }
  toggleSolo(id: string): void {
    this.#attempt(() => this.doc.toggleSolo(id));
  }
  rename(id: string, name: string): void {
    this.#attempt(() => this.doc.renameLayer(id, name));
  }
  setOpacity(id: string, opacity: number, gesture: boolean): void {
    this.#attempt(() => this.doc.setOpacity(id, opacity, gesture));
  }
  endGesture(): void {
    this.doc.endGesture();
  }
  moveUp(id: string): void {
    this.#attempt(() => this.doc.moveLayerBy(id, 1));
  }
  moveDown(id: string): void {
    this.#attempt(() => this.doc.moveLayerBy(id, -1));
  }
  /** Drag and drop in the panel: put `id` where `targetId` is (panel order is top to bottom). */
  moveOnto(id: string, targetId: string): void {
    const index = this.doc.layers.findIndex((l) => l.id === targetId);
    if (index >= 0) this.#attempt(() => this.doc.moveLayer(id, index));
  }
  remove(id: string): void {
    this.#attempt(() => this.doc.deleteLayer(id));
  }
  addMask(): void {
    this.#attempt(() => this.doc.addMaskLayer());
  }
  addEdit(descriptor: ProcessorDescriptor): void {
    this.#attempt(() => this.doc.addEditLayer(descriptor.id, descriptor.title, initialOptions(descriptor)));
  }
  setOption(id: string, key: string, value: unknown, gesture: boolean): void {
    this.#attempt(() => this.doc.setEditOption(id, key, value, gesture));
  }
  setLimit(id: string, maskLayerId: string | null): void {
    this.#attempt(() => this.doc.setEditLimit(id, maskLayerId));
  }
  grow(radius: number): void {
    this.#attempt(() => this.doc.growShrinkActive(Math.abs(radius)));
  }
  shrink(radius: number): void {
    this.#attempt(() => this.doc.growShrinkActive(-Math.abs(radius)));
  }
  feather(radius: number): void {
    this.#attempt(() => this.doc.featherActive(radius));
  }
  invert(): void {
    this.#attempt(() => this.doc.invertActive());
  }
  clear(): void {
    this.#attempt(() => this.doc.clearActive());
  }
  undo(): void {
    this.doc.undo();
  }
  redo(): void {
    this.doc.redo();
  }

  /** The label map the user painted, for previews and exports (undefined while unchanged). */
  editedLabels(): { width: number; height: number; data: Uint8Array } | undefined {
    const data = this.doc.editedLabelMap();
    return data ? { width: this.width, height: this.height, data } : undefined;
  }

  /** Recomputes what the edit layers show (after a processor list arrives, for instance). */
  refreshPreviews(): void {
    const plan = this.#plan();
    this.waiting = plan.waiting;
    if (plan.previews.length === 0) {
      this.#previewer.discard();
      this.previews = [];
      this.notes = [];
      this.previewError = null;
      return;
    }
    this.previewing = true;
    this.#previewer.request(plan.previews);
  }

  /** Resolves once no preview is being computed. */
  previewsSettled(): Promise<void> {
    return this.#previewer.settled();
  }

  dispose(): void {
    this.#previewer.discard();
    this.#unsubscribe();
  }

  // ——— internals ———

  #plan(): EditPlan {
    return planPreviews(this.doc.shownEdits(), this.#deps.describe, this.#labelsVersion);
  }

  async #runPreviews(plan: PlannedPreview[]): Promise<EditPreview[]> {
    const out: EditPreview[] = [];
    const labels = this.editedLabels();
    for (const item of plan) {
      let preview = this.#cache.get(item.key);
      if (!preview) {
        const result = await this.#deps.api
          .previewEdit({ imageId: this.id, steps: this.doc.engineSteps(item.steps), crop: true, ...(labels ? { labels } : {}) })
          .finally(() => this.#deps.settled());
        preview = { layerId: item.layerId, key: item.key, width: result.width, height: result.height, box: result.box, pixels: result.pixels, region: result.region };
        this.notes = result.notes;
      }
      out.push({ ...preview, layerId: item.layerId });
    }
    this.#cache.keepOnly(out);
    return out;
  }

  #showPreviews(previews: EditPreview[]): void {
    this.previews = previews;
    this.previewError = null;
    this.previewing = this.#previewer.busy;
    void this.#previewer.settled().then(() => (this.previewing = false));
  }

  #changed(change: DocumentChange): void {
    if (change.layers) this.#refreshLayers();
    if (change.labels) this.#labelsVersion++;
    if (change.edits || (change.labels && this.doc.layers.some((l) => l.kind === 'edit'))) this.refreshPreviews();
  }

  #refreshLayers(): void {
    this.layers = this.doc.views();
  }

  #refreshHistory(): void {
    const h = this.doc.history;
    this.canUndo = h.canUndo;
    this.canRedo = h.canRedo;
    this.undoLabel = h.undoLabel;
    this.redoLabel = h.redoLabel;
  }
}
