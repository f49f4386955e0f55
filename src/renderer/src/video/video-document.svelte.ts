/**
 * One open clip: its thumbnails, its face tracks, the frame under the playhead (processed by the
 * current plan, the latest request winning while scrubbing), the edit plan the panels build, a
 * mask correction being painted, and its render. Every engine call goes through the contract;
 * side effects (the engine, saving, notifying, object URLs) come in through the constructor.
 */
import type { ProgressEvent } from '../../../shared/contract';
import type { ProcessorDescriptor } from '../../../shared/processor-options';
import { MAX_UPLOAD_CHUNK_BYTES } from '../../../shared/upload-contract';
import type { VideoInfo } from '../../../shared/video-contract';
import type { VideoCodec } from '../../../shared/video-codecs';
import { isCancellation, readableError } from '../lib/errors';
import { LatestRequest } from '../lib/latest-request';
import type { SaveFile } from '../lib/save-file';
import { BrushStroke, type BrushSettings } from '../masks/brush-stroke';
import { EMPTY_RECT, type Rect } from '../masks/rect';
import { TileRecorder } from '../masks/tile-recorder';
import { TiledMask } from '../masks/tiled-mask';
import { rangeBetween, type FrameRange, type RangeOverride } from './frame-ranges';
import type { JobHandle, JobWatch } from './job-watch';
import type { VideoApi } from './video-api';
import { defaultRenderSettings, qualityFields, type RenderSettings } from './render-codecs';
import { RenderMeter, renderFingerprint, type RenderReading } from './render-meter';
import { clampFrame, frameTime } from './timeline-geometry';
import { containerMime } from './video-files';
import * as plans from './video-plan';
import type { VideoPlanDraft } from './video-plan';

export interface VideoDeps {
  api: VideoApi;
  jobs: JobWatch;
  report(error: unknown): void;
  describe(processor: string): ProcessorDescriptor | undefined;
  /** The app's Save dialog, or a download in a browser (lib/save-file.ts). */
  save: SaveFile;
  notify(title: string, body: string): void;
  /** One of our jobs ended: the status bar's job line may go. */
  settled(): void;
  objectUrl(bytes: Uint8Array, mime: string): string;
  revokeUrl(url: string): void;
}

type FrameResult = Awaited<ReturnType<VideoApi['videoFrame']>>;
export type FaceOnFrame = FrameResult['faces'][number];
export type Track = Awaited<ReturnType<VideoApi['trackVideo']>>['tracks'][number];

export interface ShownFrame {
  frame: number;
  width: number;
  height: number;
  pixels: Uint8Array;
  faces: FaceOnFrame[];
  notes: string[];
  /** True when the plan processed it; false for the source's pixels. */
  edited: boolean;
}

export interface Thumbnail {
  frame: number;
  url: string;
  width: number;
  height: number;
}

export type { RenderSettings } from './render-codecs';

export interface RenderStatus {
  /** `unsaved`: rendered, but the Save dialog was closed; the result waits in the engine for Save again. */
  phase: 'rendering' | 'saving' | 'saved' | 'unsaved' | 'cancelled' | 'failed';
  reading: RenderReading;
  /** The saved file's name, once saved; the reason, once failed. */
  detail: string | null;
}

/** A mask correction being painted on the current frame, before it joins the plan. */
export interface MaskPainting {
  frame: number;
  trackId: number;
  mask: TiledMask;
  /** Bumped on every change so the view redraws. */
  version: number;
  dirty: Rect;
}

export class VideoDocument {
  readonly id: string;
  readonly name: string;
  readonly info: VideoInfo;
  frame = $state(0);
  shown = $state.raw<ShownFrame | null>(null);
  /** Show the source's pixels even with an edit set (before/after). */
  showSource = $state(false);
  previewing = $state(false);
  previewError = $state<string | null>(null);
  thumbnails = $state.raw<Thumbnail[]>([]);
  thumbnailsLoading = $state(false);
  tracking = $state<'idle' | 'running' | 'done' | 'failed'>('idle');
  trackProgress = $state.raw<{ done: number; total: number | null } | null>(null);
  tracks = $state.raw<Track[]>([]);
  draft = $state.raw<VideoPlanDraft>(plans.EMPTY_DRAFT);
  selection = $state.raw<FrameRange | null>(null);
  maskMode = $state<'exclude' | 'include'>('exclude');
  maskSpan = $state(15);
  painting = $state.raw<MaskPainting | null>(null);
  render = $state.raw<RenderStatus | null>(null);
  renderDialogOpen = $state(false);
  /** The settings of the last render, for the dialog and for Resume. */
  renderSettings = $state.raw<RenderSettings>(defaultRenderSettings(0));
  /** The codecs the engine's ffmpeg can write, asked for when the render dialog first opens; null until it answers. */
  codecs = $state.raw<readonly VideoCodec[] | null>(null);
  #codecsAsked = false;
  /** The fingerprint of a cancelled render: Resume is offered while nothing it depends on changed. */
  #cancelledFingerprint = $state<string | null>(null);
  readonly built = $derived(plans.buildPlan(this.draft, (p) => this.#deps.describe(p)));
  readonly #deps: VideoDeps;
  readonly #previewer: LatestRequest<{ frame: number; edited: boolean }, ShownFrame>;
  #renderJob: JobHandle | null = null;
  #stroke: { stroke: BrushStroke; recorder: TileRecorder } | null = null;
  #disposed = false;

  constructor(info: VideoInfo, deps: VideoDeps) {
    this.id = info.videoId;
    this.name = info.name;
    this.info = info;
    this.#deps = deps;
    this.renderSettings = { ...this.renderSettings, toFrame: Math.max(0, info.frameCount - 1) };
    this.#previewer = new LatestRequest(
      async ({ frame, edited }) => {
        const plan = edited ? this.built.plan : null;
        const result = await deps.api.videoFrame({ videoId: this.id, frame, ...(plan ? { plan } : {}) });
        return { frame: result.frame, width: result.width, height: result.height, pixels: result.pixels, faces: result.faces, notes: result.notes, edited: !!plan };
      },
      (shown) => {
        this.shown = shown;
        this.previewError = null;
      },
      (error) => {
        this.previewError = readableError(error);
      },
    );
  }

  get frameCount(): number {
    return this.info.frameCount;
  }

  get seconds(): number {
    return frameTime(this.frame, this.info.frameRate);
  }

  get width(): number {
    return this.info.width;
  }

  get height(): number {
    return this.info.height;
  }

  /** Operation `step`'s option values at the playhead (keyframed ones interpolated), for its sliders. */
  optionsHere(step: number): Record<string, unknown> {
    return plans.optionsAtFrame(this.draft, step, this.frame);
  }

  get target() {
    return this.draft.target;
  }

  /** Resume is offered when the last render was cancelled and the same render would be asked for. */
  get canResume(): boolean {
    return this.#cancelledFingerprint !== null && this.#cancelledFingerprint === this.#fingerprint(this.renderSettings);
  }

  // Loading

  async loadThumbnails(count: number, height: number): Promise<void> {
    this.thumbnailsLoading = true;
    try {
      const { thumbnails } = await this.#deps.api.videoThumbnails({ videoId: this.id, count, height });
      if (this.#disposed) return;
      this.#revokeThumbnails();
      this.thumbnails = thumbnails.map((t) => ({ frame: t.frame, width: t.width, height: t.height, url: this.#deps.objectUrl(t.jpeg, 'image/jpeg') }));
    } catch (error) {
      this.#deps.report(error);
    } finally {
      this.thumbnailsLoading = false;
    }
  }

  /** Follows every face through the clip, with progress; the frame is asked for again to get track ids. */
  async track(): Promise<void> {
    if (this.tracking === 'running') return;
    this.tracking = 'running';
    this.trackProgress = { done: 0, total: this.frameCount };
    const job = this.#deps.jobs.watch('track', (event) => (this.trackProgress = { done: event.done, total: event.total ?? null }));
    try {
      const { tracks } = await this.#deps.api.trackVideo({ videoId: this.id });
      this.tracks = tracks;
      this.tracking = 'done';
      this.refresh();
    } catch (error) {
      this.tracking = 'failed';
      this.#deps.report(error);
    } finally {
      job.stop();
      this.trackProgress = null;
      this.#deps.settled();
    }
  }

  // The playhead

  seek(frame: number): void {
    const next = clampFrame(frame, this.frameCount);
    if (next === this.frame && this.shown) return;
    this.frame = next;
    this.refresh();
  }

  /** Asks for the frame under the playhead as it should look now (latest request wins). */
  refresh(): void {
    if (this.#disposed) return;
    this.previewing = true;
    this.#previewer.request({ frame: this.frame, edited: !this.showSource && this.built.plan !== null });
    void this.#previewer.settled().then(() => {
      if (!this.#previewer.busy) this.previewing = false;
    });
  }

  setShowSource(on: boolean): void {
    this.showSource = on;
    this.refresh();
  }

  previewSettled(): Promise<void> {
    return this.#previewer.settled();
  }

  // The plan

  #setDraft(draft: VideoPlanDraft): void {
    this.draft = draft;
    this.refresh();
  }

  /** Operation `index` becomes `processor` ('' removes it); one past the last adds one. */
  chooseOperation(index: number, processor: string): void {
    this.#setDraft(plans.setOperation(this.draft, index, processor ? (this.#deps.describe(processor) ?? null) : null));
  }

  removeOperation(index: number): void {
    this.#setDraft(plans.removeOperation(this.draft, index));
  }

  moveOperation(from: number, to: number): void {
    this.#setDraft(plans.moveOperation(this.draft, from, to));
  }

  setOption(step: number, key: string, value: unknown): void {
    this.#setDraft(plans.setOptionAt(this.draft, step, key, value, this.frame));
  }

  /** "◆ keyframe": the option's value here becomes a keyframe at this frame. */
  keyframeHere(step: number, key: string): void {
    const value = this.optionsHere(step)[key];
    if (typeof value !== 'number') return;
    this.#setDraft(plans.setKeyframe(this.draft, step, key, this.frame, value));
  }

  removeKeyframeHere(step: number, key: string): void {
    this.#setDraft(plans.removeKeyframe(this.draft, step, key, this.frame));
  }

  hasKeyframeHere(step: number, key: string): boolean {
    return plans.hasKeyframeAt(this.draft, step, key, this.frame);
  }

  /** Clicking a face on the frame: the edit applies to that track. */
  pickTrack(trackId: number): void {
    this.setTarget({ kind: 'track', trackId });
  }

  setTarget(target: VideoPlanDraft['target']): void {
    this.#setDraft({ ...this.draft, target });
  }

  select(from: number, to: number): void {
    this.selection = rangeBetween(clampFrame(from, this.frameCount), clampFrame(to, this.frameCount));
  }

  clearSelection(): void {
    this.selection = null;
  }

  /** "Replace: this face / all / none" over the selected range. */
  overrideSelection(target: RangeOverride['target']): void {
    const range = this.selection;
    if (!range) return;
    this.#setDraft(plans.addOverride(this.draft, { ...range, target }));
  }

  removeOverride(index: number): void {
    this.#setDraft(plans.removeOverride(this.draft, index));
  }

  // Mask corrections

  /** Starts painting a correction on this frame for the track the edit applies to. */
  startPainting(): void {
    const target = this.draft.target;
    if (target.kind !== 'track') {
      this.#deps.report(new Error('Click a face on the frame first: a mask correction follows one tracked face.'));
      return;
    }
    this.painting = { frame: this.frame, trackId: target.trackId, mask: new TiledMask(this.width, this.height), version: 0, dirty: EMPTY_RECT };
  }

  strokeStart(x: number, y: number, pressure: number, brush: BrushSettings): void {
    const painting = this.painting;
    if (!painting) return;
    const recorder = new TileRecorder(painting.mask);
    this.#stroke = { stroke: new BrushStroke(painting.mask, brush, recorder), recorder };
    this.strokeTo(x, y, pressure);
  }

  strokeTo(x: number, y: number, pressure: number): void {
    const painting = this.painting;
    if (!painting || !this.#stroke) return;
    const dirty = this.#stroke.stroke.to({ x, y, pressure });
    this.painting = { ...painting, version: painting.version + 1, dirty };
  }

  strokeEnd(): void {
    if (!this.#stroke) return;
    this.#stroke.recorder.finish();
    this.#stroke = null;
  }

  cancelPainting(): void {
    this.strokeEnd();
    this.painting = null;
  }

  /** Adds the painted mask to the plan as a correction for its track. */
  finishPainting(): void {
    const painting = this.painting;
    this.strokeEnd();
    if (!painting) return;
    this.painting = null;
    const data = painting.mask.toDense();
    if (!data.some((v) => v > 0)) return;
    const correction = { frame: painting.frame, trackId: painting.trackId, spanFrames: this.maskSpan, mode: this.maskMode, width: this.width, height: this.height, data };
    this.#setDraft({ ...this.draft, maskCorrections: [...this.draft.maskCorrections, correction] });
  }

  removeCorrection(index: number): void {
    this.#setDraft({ ...this.draft, maskCorrections: this.draft.maskCorrections.filter((_, i) => i !== index) });
  }

  // Render

  openRenderDialog(): void {
    const range = this.selection;
    this.renderSettings = { ...this.renderSettings, ...(range ? { fromFrame: range.fromFrame, toFrame: range.toFrame } : {}) };
    this.renderDialogOpen = true;
    void this.#askCodecs();
  }

  /** Once per clip: the list does not change while the engine runs. */
  async #askCodecs(): Promise<void> {
    if (this.#codecsAsked) return;
    this.#codecsAsked = true;
    try {
      const { codecs } = await this.#deps.api.videoCodecs();
      if (!this.#disposed) this.codecs = codecs;
    } catch (error) {
      this.#codecsAsked = false;
      this.#deps.report(error);
    }
  }

  #fingerprint(settings: RenderSettings): string | null {
    const plan = this.built.plan;
    return plan ? renderFingerprint({ videoId: this.id, plan, settings }) : null;
  }

  get rendering(): boolean {
    return this.render?.phase === 'rendering' || this.render?.phase === 'saving';
  }

  /** Renders with the plan, then reads the result back in chunks and saves it. */
  async renderWith(settings: RenderSettings): Promise<void> {
    const plan = this.built.plan;
    if (!plan || this.rendering) return;
    this.renderSettings = settings;
    this.renderDialogOpen = false;
    this.#cancelledFingerprint = null;
    const fingerprint = this.#fingerprint(settings);
    const meter = new RenderMeter();
    const total = settings.toFrame - settings.fromFrame + 1;
    this.render = { phase: 'rendering', reading: meter.update(0, total, performance.now()), detail: null };
    const onEvent = (event: ProgressEvent) => {
      if (this.render?.phase === 'rendering') this.render = { ...this.render, reading: meter.update(event.done, event.total, performance.now()) };
    };
    const job = this.#deps.jobs.watch('render', onEvent);
    this.#renderJob = job;
    try {
      const whole = settings.fromFrame === 0 && settings.toFrame === this.frameCount - 1;
      const result = await this.#deps.api.renderVideo({
        videoId: this.id,
        plan,
        container: settings.container,
        ...qualityFields(settings),
        ...(whole ? {} : { fromFrame: settings.fromFrame, toFrame: settings.toFrame }),
      });
      const reading = { ...meter.reading, done: result.frames, total: result.frames, etaSeconds: 0 };
      this.#unsaved = { renderId: result.renderId, name: result.name, size: result.size, container: settings.container };
      await this.#saveRendered(reading);
      this.#deps.notify('Render finished', `${result.name}: ${result.frames} frames${result.resumedFrames > 0 ? `, ${result.resumedFrames} kept from the last run` : ''}.`);
    } catch (error) {
      if (isCancellation(error)) {
        this.#cancelledFingerprint = fingerprint;
        this.render = { phase: 'cancelled', reading: meter.reading, detail: null };
      } else {
        this.render = { phase: 'failed', reading: meter.reading, detail: readableError(error) };
        this.#deps.report(error);
      }
    } finally {
      job.stop();
      this.#renderJob = null;
      this.#deps.settled();
    }
  }

  /** A finished render not saved yet (its Save dialog was closed): kept in the engine until saved or dismissed. */
  #unsaved: { renderId: string; name: string; size: number; container: RenderSettings['container'] } | null = null;

  async #saveRendered(reading: RenderReading): Promise<void> {
    const unsaved = this.#unsaved;
    if (!unsaved) return;
    this.render = { phase: 'saving', reading, detail: null };
    const bytes = await this.#readRender(unsaved.renderId, unsaved.size);
    const saved = await this.#deps.save({ name: unsaved.name, bytes, mime: containerMime(unsaved.container), kind: 'video' });
    if (saved.status === 'saved') {
      this.#unsaved = null;
      await this.#deps.api.discardRender({ renderId: unsaved.renderId }).catch(() => undefined);
      this.render = { phase: 'saved', reading, detail: saved.name };
    } else {
      this.render = { phase: 'unsaved', reading, detail: null };
    }
  }

  /** Save again after the Save dialog was closed without saving. */
  async saveAgain(): Promise<void> {
    const reading = this.render?.reading;
    if (!reading || this.render?.phase !== 'unsaved') return;
    try {
      await this.#saveRendered(reading);
    } catch (error) {
      this.render = { phase: 'failed', reading, detail: readableError(error) };
      this.#deps.report(error);
    }
  }

  resumeRender(): void {
    if (this.canResume) void this.renderWith(this.renderSettings);
  }

  cancelRender(): void {
    this.#renderJob?.cancel();
  }

  dismissRender(): void {
    if (this.rendering) return;
    // Dismissing an unsaved render gives up its file: the engine's copy is dropped.
    const unsaved = this.#unsaved;
    this.#unsaved = null;
    if (unsaved) void this.#deps.api.discardRender({ renderId: unsaved.renderId }).catch(() => undefined);
    this.render = null;
  }

  async #readRender(renderId: string, size: number): Promise<Uint8Array> {
    const out = new Uint8Array(size);
    for (let offset = 0; offset < size; ) {
      const { bytes } = await this.#deps.api.readRender({ renderId, offset, length: Math.min(MAX_UPLOAD_CHUNK_BYTES, size - offset) });
      if (bytes.byteLength === 0) throw new Error(`The render ${renderId} ended at ${offset} of ${size} bytes.`);
      out.set(bytes, offset);
      offset += bytes.byteLength;
    }
    return out;
  }

  dispose(): void {
    this.#disposed = true;
    this.#previewer.discard();
    this.#renderJob?.cancel();
    this.#revokeThumbnails();
  }

  #revokeThumbnails(): void {
    for (const t of this.thumbnails) this.#deps.revokeUrl(t.url);
    this.thumbnails = [];
  }
}

