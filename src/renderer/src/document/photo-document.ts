/**
 * An open photo and everything the user did to it: its layers, which one is active, and one
 * undo history for every change. Plain TypeScript with no runes, so it is tested in Node;
 * document-state.svelte.ts makes it reactive for the panels and the canvas listens to its
 * changes to redraw only what changed.
 */
import { applyCoverage, type CoverageMode } from '../masks/apply-coverage';
import { featherMask } from '../masks/feather';
import { composeLabelMap, splitLabelMap, type FaceBox } from '../masks/label-layers';
import { growShrink, morphologyRegion } from '../masks/morphology';
import { isEmptyRect, padRect, type Rect } from '../masks/rect';
import { TiledMask } from '../masks/tiled-mask';
import { TileRecorder, type TileDiff } from '../masks/tile-recorder';
import { History, ValueChange, command, type HistoryLimits } from './history';
import {
  USER_MASK_COLOURS,
  isMaskLayer,
  labelColour,
  labelTitle,
  rgbToHex,
  type EditLayer,
  type Layer,
  type LayerView,
  type MaskLayer,
} from './layers';

export interface Photo {
  /** The engine's id for the decoded image. */
  imageId: string;
  name: string;
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel, row-major. */
  pixels: Uint8Array;
}

export interface PhotoAnalysis {
  faces: FaceBox[];
  /** One label id per pixel at photo size. */
  labels: Uint8Array | null;
  /** Person coverage at photo size, 0..255. */
  personAlpha: Uint8Array | null;
}

/** What changed, so each listener redoes only its part. */
export interface DocumentChange {
  /** The layer list or a layer's properties (the panels). */
  layers?: boolean;
  /** Where the mask overlay must be recomposited; 'all' after a visibility, opacity or order change. */
  overlay?: Rect | 'all';
  /** The edit layers' steps (previews must be recomputed). */
  edits?: boolean;
  /** The semantic layers' masks, i.e. the label map sent with previews and exports. */
  labels?: boolean;
}

export interface EditStep {
  processor: string;
  options: Record<string, unknown>;
  /** The mask that limits the step, by layer and pixel version (so a preview key changes when it is painted). */
  limitTo?: { layerId: string; version: number };
}

/** A step as the engine takes it: the limiting mask as dense bytes at photo size. */
export interface EngineEditStep {
  processor: string;
  options: Record<string, unknown>;
  mask?: { width: number; height: number; data: Uint8Array };
}

/** What a project restores beyond the photo: the layers, faces and view settings as saved. */
export interface RestoredState {
  /** Bottom to top. */
  layers: Layer[];
  faces: FaceBox[];
  semanticEdited: boolean;
  activeLayerId: string | null;
  soloLayerId: string | null;
}

/** A user-facing refusal ("Hair is locked"): shown as is, never as a stack. */
export class DocumentRefusal extends Error {
  override readonly name = 'DocumentRefusal';
}

/** A mask being changed by a tool: write into `mask` through tools, report dirty rectangles, then commit. */
export interface MaskEdit {
  readonly layer: MaskLayer;
  readonly mask: TiledMask;
  readonly recorder: TileRecorder;
}

export class PhotoDocument {
  readonly photo: Photo;
  readonly history: History;
  #layers: Layer[] = [];
  #activeId: string | null = null;
  #soloId: string | null = null;
  #nextId = 1;
  /** Set once a semantic layer's pixels, order or presence changed: previews then send the edited label map. */
  #semanticEdited = false;
  #openEdit: MaskEdit | null = null;
  #faces: FaceBox[] = [];
  #labels: Uint8Array | null = null;
  #listeners = new Set<(change: DocumentChange) => void>();
  /** Per mask layer, bumped whenever its pixels change: part of a limited edit's preview key. */
  #maskVersions = new Map<string, number>();
  /** Every history change (do, undo, redo) is a revision; the saved one is remembered. */
  #revision = 0;
  #savedRevision = 0;

  constructor(photo: Photo, limits: Partial<HistoryLimits> = {}) {
    if (photo.pixels.length !== photo.width * photo.height * 4) {
      throw new DocumentRefusal(`${photo.name}: expected ${photo.width}×${photo.height} RGBA pixels, got ${photo.pixels.length} bytes.`);
    }
    this.photo = photo;
    this.history = new History(limits);
    this.history.onChange(() => this.#revision++);
  }

  /** True when something changed since the document was opened or last saved. */
  get dirty(): boolean {
    return this.#revision !== this.#savedRevision;
  }

  /** The document as it is now has been saved (a project file written). */
  markSaved(): void {
    this.#savedRevision = this.#revision;
  }

  /** The layers, faces and settings of a saved project, as the starting state (not an undoable step). */
  restore(state: RestoredState): void {
    const { width, height } = this.photo;
    this.#layers = [...state.layers];
    this.#faces = state.faces;
    this.#semanticEdited = state.semanticEdited;
    const semantic = this.#layers.filter((l): l is MaskLayer & { label: number } => l.kind === 'semantic' && l.label !== null);
    // The map the regions describe: what the fill tool's "same region" reads, as after an analysis.
    this.#labels = semantic.length > 0 ? composeLabelMap(width, height, semantic) : null;
    this.#activeId = state.activeLayerId && this.layer(state.activeLayerId) ? state.activeLayerId : (this.#layers.at(-1)?.id ?? null);
    this.#soloId = state.soloLayerId && this.layer(state.soloLayerId) ? state.soloLayerId : null;
    const highest = Math.max(0, ...this.#layers.map((l) => Number(/^layer-(\d+)$/.exec(l.id)?.[1] ?? 0)));
    this.#nextId = highest + 1;
    this.#emit({ layers: true, overlay: 'all', labels: true, edits: true });
  }

  /** True for a document whose layers came from a project rather than an analysis. */
  get hasLayers(): boolean {
    return this.#layers.length > 0;
  }

  // ——— reading ———

  /** Bottom to top. */
  get layers(): readonly Layer[] {
    return this.#layers;
  }

  get faces(): readonly FaceBox[] {
    return this.#faces;
  }

  /** The label map as the engine found it (null before analysis). */
  get analysedLabels(): Uint8Array | null {
    return this.#labels;
  }

  layer(id: string): Layer | undefined {
    return this.#layers.find((l) => l.id === id);
  }

  get activeLayer(): Layer | null {
    return (this.#activeId && this.layer(this.#activeId)) || null;
  }

  get soloLayerId(): string | null {
    return this.#soloId;
  }

  /** Drawn now: while a layer is soloed only it is, otherwise every visible layer. */
  isShown(layer: Layer): boolean {
    return this.#soloId ? layer.id === this.#soloId : layer.visible;
  }

  /** Top to bottom, as the layers panel lists them. */
  views(): LayerView[] {
    return [...this.#layers].reverse().map((l) => ({
      id: l.id,
      kind: l.kind,
      name: l.name,
      group: l.group,
      visible: l.visible,
      shown: this.isShown(l),
      solo: this.#soloId === l.id,
      active: this.#activeId === l.id,
      opacity: l.opacity,
      locked: l.locked,
      color: isMaskLayer(l) ? rgbToHex(l.rgb) : null,
      processor: l.kind === 'edit' ? l.processor : null,
      options: l.kind === 'edit' ? { ...l.options } : null,
      limitTo: l.kind === 'edit' ? l.limitTo : null,
    }));
  }

  /** The mask layers to draw, bottom to top. */
  shownMaskLayers(): MaskLayer[] {
    return this.#layers.filter((l): l is MaskLayer => isMaskLayer(l) && this.isShown(l));
  }

  /** The steps of the shown edit layers, bottom to top: what previews and exports run. */
  editSteps(): EditStep[] {
    return this.shownEdits().map((e) => e.step);
  }

  /** The shown edit layers with their steps, bottom to top (what the preview plan reads). */
  shownEdits(): Array<{ id: string; opacity: number; step: EditStep }> {
    return this.#layers
      .filter((l): l is EditLayer => l.kind === 'edit' && this.isShown(l))
      .map((l) => {
        const step: EditStep = { processor: l.processor, options: structuredClone(l.options) };
        const mask = l.limitTo ? this.layer(l.limitTo) : undefined;
        if (mask && isMaskLayer(mask)) step.limitTo = { layerId: mask.id, version: this.#maskVersions.get(mask.id) ?? 0 };
        return { id: l.id, opacity: l.opacity, step };
      });
  }

  /** Steps as the engine takes them: each limiting mask read out densely at photo size. */
  engineSteps(steps: readonly EditStep[]): EngineEditStep[] {
    const { width, height } = this.photo;
    const dense = new Map<string, Uint8Array>();
    return steps.map((step) => {
      const out: EngineEditStep = { processor: step.processor, options: step.options };
      const layer = step.limitTo ? this.layer(step.limitTo.layerId) : undefined;
      if (layer && isMaskLayer(layer)) {
        let data = dense.get(layer.id);
        if (!data) dense.set(layer.id, (data = layer.mask.toDense()));
        out.mask = { width, height, data };
      }
      return out;
    });
  }

  /** The label map the semantic layers now describe; null while they are as the engine found them. */
  editedLabelMap(): Uint8Array | null {
    if (!this.#semanticEdited) return null;
    const semantic = this.#layers.filter((l): l is MaskLayer & { label: number } => l.kind === 'semantic' && l.label !== null);
    return composeLabelMap(this.photo.width, this.photo.height, semantic);
  }

  subscribe(listener: (change: DocumentChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // ——— the starting state ———

  /**
   * Builds the semantic layers from the engine's analysis: one per (face, label) region, named
   * and coloured from labels.ts, plus the person mask. This is the document's starting state,
   * not an undoable step.
   */
  applyAnalysis(analysis: PhotoAnalysis): void {
    const { width, height } = this.photo;
    this.#faces = analysis.faces;
    this.#labels = analysis.labels;
    const created: MaskLayer[] = [];
    if (analysis.personAlpha) {
      created.push(this.#maskLayer({
        kind: 'semantic',
        name: 'Person',
        group: 'Scene',
        mask: TiledMask.fromDense(width, height, analysis.personAlpha),
        rgb: [255, 255, 255],
        label: null,
        face: -1,
        visible: false,
      }));
    }
    if (analysis.labels) {
      for (const region of splitLabelMap(analysis.labels, width, height, analysis.faces)) {
        const scene = region.face < 0;
        created.push(this.#maskLayer({
          kind: 'semantic',
          name: labelTitle(region.label),
          group: scene ? 'Scene' : `Face ${region.face + 1}`,
          mask: region.mask,
          rgb: labelColour(region.label),
          label: region.label,
          face: region.face,
          // The background covers most of the photo: listed, but not drawn until asked for.
          visible: !scene,
        }));
      }
    }
    created.sort(stackOrder);
    this.#layers = [...created, ...this.#layers.filter((l) => l.kind !== 'semantic')];
    this.#activeId ??= created.find((l) => l.face === 0 && l.label === 13)?.id ?? created.at(-1)?.id ?? null;
    this.#emit({ layers: true, overlay: 'all', labels: true });
  }

  // ——— layer operations (each one undoable step) ———

  addMaskLayer(name?: string): MaskLayer {
    const count = this.#layers.filter((l) => l.kind === 'mask').length;
    const layer = this.#maskLayer({
      kind: 'mask',
      name: name ?? `Mask ${count + 1}`,
      group: 'Masks',
      mask: new TiledMask(this.photo.width, this.photo.height),
      rgb: USER_MASK_COLOURS[count % USER_MASK_COLOURS.length]!,
      label: null,
      face: null,
      visible: true,
    });
    this.#insert(layer, this.#indexAboveMasks(), `New mask “${layer.name}”`);
    return layer;
  }

  addEditLayer(processor: string, name: string, options: Record<string, unknown>): EditLayer {
    const layer: EditLayer = {
      kind: 'edit',
      id: this.#newId(),
      name,
      group: 'Edits',
      visible: true,
      opacity: 1,
      locked: false,
      processor,
      options: structuredClone(options),
      limitTo: null,
    };
    this.#insert(layer, this.#layers.length, `Add ${name}`);
    return layer;
  }

  deleteLayer(id: string): void {
    const layer = this.#require(id);
    const index = this.#layers.indexOf(layer);
    const wasActive = this.#activeId === id;
    const remove = () => {
      this.#layers.splice(index, 1);
      if (this.#activeId === id) this.#activeId = this.#layers[Math.min(index, this.#layers.length - 1)]?.id ?? null;
      if (this.#soloId === id) this.#soloId = null;
      this.#touched(layer, { layers: true, overlay: 'all' }, true);
    };
    remove();
    this.history.push(
      command(
        `Delete ${layer.name}`,
        () => {
          this.#layers.splice(index, 0, layer);
          if (wasActive) this.#activeId = id;
          this.#touched(layer, { layers: true, overlay: 'all' }, true);
        },
        remove,
        isMaskLayer(layer) ? layer.mask.allocatedBytes : 256,
      ),
    );
  }

  /** Moves a layer to a position in bottom-to-top order. */
  moveLayer(id: string, toIndex: number): void {
    const layer = this.#require(id);
    const from = this.#layers.indexOf(layer);
    const to = Math.max(0, Math.min(this.#layers.length - 1, toIndex));
    if (from === to) return;
    const move = (a: number, b: number) => () => {
      this.#layers.splice(a, 1);
      this.#layers.splice(b, 0, layer);
      this.#touched(layer, { layers: true, overlay: 'all' });
    };
    move(from, to)();
    this.history.push(command(`Move ${layer.name}`, move(to, from), move(from, to)));
  }

  /** One step up (towards the top of the panel) or down. */
  moveLayerBy(id: string, delta: 1 | -1): void {
    const index = this.#layers.findIndex((l) => l.id === id);
    if (index >= 0) this.moveLayer(id, index + delta);
  }

  renameLayer(id: string, name: string): void {
    const trimmed = name.trim();
    if (!trimmed) throw new DocumentRefusal('A layer needs a name.');
    this.#setProperty(this.#require(id), 'name', trimmed, `Rename to ${trimmed}`);
  }

  setVisible(id: string, visible: boolean): void {
    const layer = this.#require(id);
    this.#setProperty(layer, 'visible', visible, `${visible ? 'Show' : 'Hide'} ${layer.name}`);
  }

  setLocked(id: string, locked: boolean): void {
    const layer = this.#require(id);
    this.#setProperty(layer, 'locked', locked, `${locked ? 'Lock' : 'Unlock'} ${layer.name}`, undefined, true);
  }

  /** During a slider drag pass `gesture: true`; the whole drag becomes one step at endGesture(). */
  setOpacity(id: string, opacity: number, gesture = false): void {
    const layer = this.#require(id);
    const value = Math.max(0, Math.min(1, opacity));
    this.#setProperty(layer, 'opacity', value, `Opacity of ${layer.name}`, gesture ? `opacity:${id}` : undefined);
  }

  setEditOption(id: string, key: string, value: unknown, gesture = false): void {
    const layer = this.#require(id);
    if (layer.kind !== 'edit') throw new DocumentRefusal(`${layer.name} is not an edit layer.`);
    this.#refuseIfLocked(layer);
    const before = structuredClone(layer.options[key]);
    const apply = (v: unknown) => {
      layer.options = { ...layer.options, [key]: structuredClone(v) };
      this.#emit({ layers: true, edits: true });
    };
    apply(value);
    this.history.push(new ValueChange(`Change ${key} of ${layer.name}`, before, structuredClone(value), apply), gesture ? `option:${id}:${key}` : undefined);
  }

  /** Limits an edit layer to a mask layer's coverage (null: the whole photo). */
  setEditLimit(id: string, maskLayerId: string | null): void {
    const layer = this.#require(id);
    if (layer.kind !== 'edit') throw new DocumentRefusal(`${layer.name} is not an edit layer.`);
    this.#refuseIfLocked(layer);
    const mask = maskLayerId === null ? null : this.#require(maskLayerId);
    if (mask && !isMaskLayer(mask)) throw new DocumentRefusal(`${mask.name} is an edit layer: an edit can be limited only to a mask.`);
    if (layer.limitTo === maskLayerId) return;
    const apply = (v: string | null) => {
      layer.limitTo = v;
      this.#emit({ layers: true, edits: true });
    };
    const before = layer.limitTo;
    apply(maskLayerId);
    this.history.push(new ValueChange(mask ? `Limit ${layer.name} to ${mask.name}` : `Unlimit ${layer.name}`, before, maskLayerId, apply));
  }

  /** Ends a slider drag: the next change is a new undo step. */
  endGesture(): void {
    this.history.seal();
  }

  // ——— view state (not in the history: it changes what is shown, not the document) ———

  setActiveLayer(id: string | null): void {
    if (id !== null) this.#require(id);
    if (this.#activeId === id) return;
    this.#activeId = id;
    this.#emit({ layers: true });
  }

  toggleSolo(id: string): void {
    const layer = this.#require(id);
    this.#soloId = this.#soloId === id ? null : id;
    this.#emit({ layers: true, overlay: 'all', edits: layer.kind === 'edit' || this.#hasEdits() });
  }

  // ——— mask editing ———

  /** Starts changing a mask layer (the active one by default); refuses locked, hidden and non-mask layers. */
  beginMaskEdit(layerId: string | null = this.#activeId): MaskEdit {
    if (this.#openEdit) throw new Error('A mask edit is already open; commit or cancel it first.');
    const layer = layerId ? this.layer(layerId) : null;
    if (!layer) throw new DocumentRefusal('Choose a mask layer to paint on.');
    if (!isMaskLayer(layer)) throw new DocumentRefusal(`${layer.name} is an edit layer: choose a mask layer to paint on.`);
    this.#refuseIfLocked(layer);
    if (!this.isShown(layer)) throw new DocumentRefusal(`${layer.name} is hidden: show it to paint on it.`);
    const edit: MaskEdit = { layer, mask: layer.mask, recorder: new TileRecorder(layer.mask) };
    this.#openEdit = edit;
    return edit;
  }

  /** Tools call this after writing into an open edit, so the canvas redraws those pixels now. */
  maskChanged(edit: MaskEdit, rect: Rect): void {
    if (!isEmptyRect(rect)) this.#emit({ overlay: rect });
    void edit;
  }

  /** Ends an edit as one undo step named `label`; nothing is recorded when no pixel changed. */
  commitMaskEdit(edit: MaskEdit, label: string): void {
    this.#closeEdit(edit);
    const diff = edit.recorder.finish();
    if (diff.isEmpty) return;
    this.#recordDiff(edit.layer, diff, label);
  }

  /** Ends an edit and puts every pixel back (Escape during a stroke). */
  cancelMaskEdit(edit: MaskEdit): void {
    this.#closeEdit(edit);
    const diff = edit.recorder.finish();
    if (!diff.isEmpty) this.#touched(edit.layer, { overlay: diff.swap() });
  }

  /** Adds or subtracts a coverage image (fill, lasso, polygon) on the active mask as one step. */
  applyCoverageToActive(bounds: Rect, coverage: Uint8Array, stride: number, mode: CoverageMode, opacity: number, label: string): void {
    this.#oneShot(label, (mask) => {
      applyCoverage(mask, bounds, coverage, stride, mode, opacity);
    });
  }

  /** Grows (radius > 0) or shrinks the active mask, in pixels. */
  growShrinkActive(radius: number): void {
    this.#oneShot(radius > 0 ? `Grow by ${radius} px` : `Shrink by ${-radius} px`, (mask) => {
      const region = morphologyRegion(mask.contentBounds(), radius, mask.width, mask.height);
      if (isEmptyRect(region)) return;
      mask.writeDense(region, growShrink(mask.readDense(region), region.width, region.height, radius));
    });
  }

  featherActive(radius: number): void {
    this.#oneShot(`Feather ${radius} px`, (mask) => {
      const content = mask.contentBounds();
      if (isEmptyRect(content)) return;
      const region = padRect(content, Math.ceil(radius * 2) + 2, mask.width, mask.height);
      mask.writeDense(region, featherMask(mask.readDense(region), region.width, region.height, radius));
    });
  }

  invertActive(): void {
    this.#oneShot('Invert mask', (mask) => {
      const all = { x: 0, y: 0, width: mask.width, height: mask.height };
      const data = mask.readDense(all);
      for (let i = 0; i < data.length; i++) data[i] = 255 - data[i]!;
      mask.writeDense(all, data);
    });
  }

  clearActive(): void {
    this.#oneShot('Clear mask', (mask) => {
      const all = { x: 0, y: 0, width: mask.width, height: mask.height };
      mask.writeDense(all, new Uint8Array(mask.width * mask.height));
    });
  }

  undo(): boolean {
    if (this.#openEdit) return false;
    return this.history.undo();
  }

  redo(): boolean {
    if (this.#openEdit) return false;
    return this.history.redo();
  }

  // ——— internals ———

  #oneShot(label: string, change: (mask: TiledMask) => void): void {
    const edit = this.beginMaskEdit();
    try {
      change(edit.mask);
    } catch (error) {
      this.cancelMaskEdit(edit);
      throw error;
    }
    this.#closeEdit(edit);
    const diff = edit.recorder.finish();
    if (diff.isEmpty) return;
    this.#recordDiff(edit.layer, diff, label);
  }

  #recordDiff(layer: MaskLayer, diff: TileDiff, label: string): void {
    const claimed = layer.kind === 'semantic' && layer.label !== null ? this.#claimFromOtherRegions(layer, diff.tileIndices) : [];
    const changes = [{ layer, diff }, ...claimed];
    const swap = () => {
      for (const c of changes) this.#touched(c.layer, { overlay: c.diff.swap() });
    };
    this.history.push({ label, get bytes() { return changes.reduce((sum, c) => sum + c.diff.bytes, 0); }, undo: swap, redo: swap });
    for (const c of changes) this.#touched(c.layer, { overlay: c.diff.rect });
  }

  /**
   * A pixel has one label: what a semantic layer gains, the other regions lose (their coverage
   * is capped at 255 minus this layer's), so the layers keep describing one label map. Works on
   * the tiles the edit changed, and only where another region has something.
   */
  #claimFromOtherRegions(layer: MaskLayer, tiles: readonly number[]): Array<{ layer: MaskLayer; diff: TileDiff }> {
    const out: Array<{ layer: MaskLayer; diff: TileDiff }> = [];
    for (const other of this.#layers) {
      if (other === layer || other.kind !== 'semantic' || other.label === null) continue;
      let recorder: TileRecorder | null = null;
      for (const index of tiles) {
        const mine = layer.mask.tile(index);
        const theirs = other.mask.tile(index);
        if (!mine || !theirs || !overlaps(mine, theirs)) continue;
        recorder ??= new TileRecorder(other.mask);
        const tile = other.mask.writableTile(index);
        for (let i = 0; i < tile.length; i++) {
          const cap = 255 - mine[i]!;
          if (tile[i]! > cap) tile[i] = cap;
        }
      }
      const diff = recorder?.finish();
      if (diff && !diff.isEmpty) out.push({ layer: other, diff });
    }
    return out;
  }

  #closeEdit(edit: MaskEdit): void {
    if (this.#openEdit !== edit) throw new Error('That mask edit is not the open one.');
    this.#openEdit = null;
  }

  #maskLayer(init: Omit<MaskLayer, 'id' | 'opacity' | 'locked'>): MaskLayer {
    // Regions at 40 % read as a map without hiding the photo; a user's own mask a little stronger.
    return { ...init, id: this.#newId(), opacity: init.kind === 'semantic' ? 0.4 : 0.6, locked: false };
  }

  #newId(): string {
    return `layer-${this.#nextId++}`;
  }

  #require(id: string): Layer {
    const layer = this.layer(id);
    if (!layer) throw new DocumentRefusal(`No layer ${id}.`);
    return layer;
  }

  #refuseIfLocked(layer: Layer): void {
    if (layer.locked) throw new DocumentRefusal(`${layer.name} is locked: unlock it to change it.`);
  }

  #indexAboveMasks(): number {
    const firstEdit = this.#layers.findIndex((l) => l.kind === 'edit');
    return firstEdit < 0 ? this.#layers.length : firstEdit;
  }

  #insert(layer: Layer, index: number, label: string): void {
    const previousActive = this.#activeId;
    const add = () => {
      this.#layers.splice(index, 0, layer);
      this.#activeId = layer.id;
      this.#touched(layer, { layers: true, overlay: 'all' });
    };
    add();
    this.history.push(
      command(label, () => {
        this.#layers.splice(this.#layers.indexOf(layer), 1);
        this.#activeId = previousActive;
        if (this.#soloId === layer.id) this.#soloId = null;
        this.#touched(layer, { layers: true, overlay: 'all' });
      }, add),
    );
  }

  #setProperty<K extends 'name' | 'visible' | 'opacity' | 'locked'>(
    layer: Layer,
    key: K,
    value: Layer[K],
    label: string,
    mergeKey?: string,
    allowWhenLocked = false,
  ): void {
    if (!allowWhenLocked) this.#refuseIfLocked(layer);
    const before = layer[key];
    if (before === value) return;
    const visual = key === 'visible' || key === 'opacity';
    const apply = (v: Layer[K]) => {
      layer[key] = v;
      this.#touched(layer, { layers: true, ...(visual ? { overlay: 'all' as const } : {}) });
    };
    apply(value);
    this.history.push(new ValueChange(label, before, value, apply), mergeKey);
  }

  /** Emits a change, adding what a change to this layer's kind implies for previews. */
  #touched(layer: Layer, change: DocumentChange, reshapesLabels = false): void {
    const full: DocumentChange = { ...change };
    if (layer.kind === 'edit') {
      full.edits = true;
      delete full.overlay;
    }
    const pixelsChanged = change.overlay !== undefined && change.overlay !== 'all';
    if (isMaskLayer(layer) && pixelsChanged) {
      this.#maskVersions.set(layer.id, (this.#maskVersions.get(layer.id) ?? 0) + 1);
      if (this.#layers.some((l) => l.kind === 'edit' && l.limitTo === layer.id && this.isShown(l))) full.edits = true;
    }
    if (isMaskLayer(layer) && reshapesLabels && this.#layers.some((l) => l.kind === 'edit' && l.limitTo === layer.id)) full.edits = true;
    if (layer.kind === 'semantic' && layer.label !== null && (reshapesLabels || pixelsChanged)) {
      this.#semanticEdited = true;
      full.labels = true;
    }
    this.#emit(full);
  }

  #hasEdits(): boolean {
    return this.#layers.some((l) => l.kind === 'edit');
  }

  #emit(change: DocumentChange): void {
    for (const listener of this.#listeners) listener(change);
  }
}

/** True when some pixel is covered by both tiles past a total of 255. */
function overlaps(mine: Uint8Array, theirs: Uint8Array): boolean {
  for (let i = 0; i < mine.length; i++) if (mine[i]! + theirs[i]! > 255) return true;
  return false;
}

/** Bottom to top: the scene, then the faces from last to first, each face's regions by descending label id, so the panel lists Face 1 first, its regions in CelebAMask-HQ order. */
function stackOrder(a: MaskLayer, b: MaskLayer): number {
  const rank = (l: MaskLayer) => (l.face === null || l.face < 0 ? -1e9 : -l.face);
  return rank(a) - rank(b) || (b.label ?? -1) - (a.label ?? -1);
}
