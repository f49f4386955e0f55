/**
 * The canvas view's behaviour, outside Svelte so it can run at pointer rate: zoom and pan (wheel,
 * ctrl+wheel pinch, space-drag, middle button), a devicePixelRatio-sized backing store, and
 * painting. A pointer move hands its coalesced events to the tool, the tool writes into the mask,
 * the document reports the dirty rectangle, and the controller recomposites and redraws only that
 * rectangle before the handler returns — no engine round trip, no full-frame redraw.
 */
import type { DocumentState } from '../document/document-state.svelte';
import type { DocumentChange } from '../document/photo-document';
import { intersectRect, isEmptyRect, padRect, unionRect, EMPTY_RECT, type Rect } from '../masks/rect';
import type { ToolState } from '../tools/tool-state.svelte';
import type { ToolHost, ToolOverlay, ToolPointer } from '../tools/tool';
import { CanvasCompositor, type PreviewLayer } from './canvas-compositor';
import { compareParts, dividerDeviceX } from './compare';
import type { ViewState } from './view-state.svelte';
import {
  centred,
  constrainPan,
  fitViewport,
  imageRectToDevice,
  screenToImage,
  smoothAt,
  steppedZoom,
  wheelZoomFactor,
  zoomAt,
  type Viewport,
} from './viewport';

export interface CanvasControllerDeps {
  canvas: HTMLCanvasElement;
  /** Tool feedback (brush outline, lasso path) on its own canvas, above, ignoring the pointer. */
  ui: HTMLCanvasElement;
  document: DocumentState;
  tools: ToolState;
  view: ViewState;
  report(error: unknown): void;
}

/** The least time between canvas redraws while raw pointer updates stream in. */
const RAW_REDRAW_MS = 4;

type Gesture = { kind: 'none' } | { kind: 'tool'; pointerId: number } | { kind: 'pan'; pointerId: number; x: number; y: number; from: Viewport };

export class CanvasController {
  readonly #deps: CanvasControllerDeps;
  readonly #canvas: HTMLCanvasElement;
  readonly #ui: HTMLCanvasElement;
  readonly #ctx: CanvasRenderingContext2D;
  readonly #uiCtx: CanvasRenderingContext2D;
  readonly #compositor: CanvasCompositor;
  readonly #cleanup: Array<() => void> = [];
  #viewport: Viewport;
  /** The user has not zoomed or panned since the last fit: resizing the window refits. */
  #fitted: boolean;
  #cssWidth = 1;
  #cssHeight = 1;
  #dpr = 1;
  #gesture: Gesture = { kind: 'none' };
  #hover: ToolPointer | null = null;
  #dirty: Rect = EMPTY_RECT;
  #dirtyAll = false;
  #frame = 0;
  #strokeTimings: number[] = [];
  #strokeWork: number[] = [];
  /** Timestamps of pointer events whose dabs are in the masks but not yet on the canvas. */
  #undrawnEvents: number[] = [];
  #lastDraw = 0;
  /**
   * Chrome dispatches pointermove aligned to animation frames (up to a frame late);
   * pointerrawupdate arrives as the pointer moves. Painting on it keeps pointer → pixels
   * inside a frame. Only in secure contexts, which the app and the loopback web host are.
   */
  readonly #rawUpdates = typeof window !== 'undefined' && window.isSecureContext && 'onpointerrawupdate' in window;

  constructor(deps: CanvasControllerDeps) {
    this.#deps = deps;
    this.#canvas = deps.canvas;
    this.#ui = deps.ui;
    this.#ctx = context2d(deps.canvas);
    this.#uiCtx = context2d(deps.ui);
    const doc = deps.document.doc;
    this.#compositor = new CanvasCompositor(doc.photo.pixels, doc.photo.width, doc.photo.height);
    this.#measure();
    this.#fitted = !deps.document.viewport;
    this.#viewport = deps.document.viewport ?? this.#fitViewport();
    this.#listen();
    this.#cleanup.push(doc.subscribe((change) => this.#documentChanged(change)));
    this.#compositor.composeOverlay(this.#imageRect(), this.#overlaySources());
    this.#compositor.setPreviews(this.#previewLayers());
    this.#drawAll();
  }

  destroy(): void {
    cancelAnimationFrame(this.#frame);
    const host = this.#host();
    if (this.#gesture.kind === 'tool') this.#deps.tools.tool.cancel(host);
    for (const undo of this.#cleanup.splice(0)) undo();
    this.#deps.document.viewport = this.#fitted ? null : this.#viewport;
  }

  // ——— commands ———

  fit(): void {
    this.#fitted = true;
    this.#setViewport(this.#fitViewport());
  }

  actualSize(): void {
    const { width, height } = this.#compositor;
    this.#fitted = false;
    this.#setViewport(centred(1, width, height, this.#cssWidth, this.#cssHeight));
  }

  zoomStep(direction: 1 | -1): void {
    const zoom = steppedZoom(this.#viewport.zoom, direction);
    this.#fitted = false;
    this.#setViewport(zoomAt(this.#viewport, zoom / this.#viewport.zoom, this.#cssWidth / 2, this.#cssHeight / 2));
  }

  /** The edit previews changed: redraw the boxes the old and new ones cover. */
  previewsChanged(): void {
    const start = performance.now();
    const dirty = this.#compositor.setPreviews(this.#previewLayers());
    this.#drawImageRect(dirty);
    const end = performance.now();
    // For the performance panel and `npm run bench ui`: the compositing, and the frame that shows it.
    measure('seam:preview-compose', start, end);
    requestAnimationFrame(() => measure('seam:preview-frame', end, performance.now()));
  }

  /** The overlay switch, before/after, the split divider or the tool's options changed. */
  redraw(): void {
    this.#drawAll();
    this.#drawToolOverlay();
  }

  // ——— drawing ———

  #documentChanged(change: DocumentChange): void {
    if (change.overlay === 'all') this.#dirtyAll = true;
    else if (change.overlay) this.#dirty = unionRect(this.#dirty, change.overlay);
    else return;
    // During a stroke the pointer handlers flush; otherwise the next frame does.
    if (this.#gesture.kind !== 'tool') this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#flush();
    });
  }

  #flush(): void {
    if (this.#dirtyAll) {
      this.#dirtyAll = false;
      this.#dirty = EMPTY_RECT;
      this.#compositor.composeOverlay(this.#imageRect(), this.#overlaySources());
      this.#drawAll();
    } else if (!isEmptyRect(this.#dirty)) {
      const dirty = this.#dirty;
      this.#dirty = EMPTY_RECT;
      this.#compositor.composeOverlay(dirty, this.#overlaySources());
      this.#drawImageRect(dirty);
    }
    this.#lastDraw = performance.now();
    for (const time of this.#undrawnEvents.splice(0)) this.#strokeTimings.push(this.#lastDraw - time);
  }

  #previewLayers(): PreviewLayer[] {
    const doc = this.#deps.document;
    return doc.previews.map((p) => ({ ...p, opacity: doc.doc.layer(p.layerId)?.opacity ?? 1 }));
  }

  #overlaySources() {
    return this.#deps.document.doc.shownMaskLayers().map((l) => ({ mask: l.mask, rgb: l.rgb, opacity: l.opacity }));
  }

  #drawAll(): void {
    const ctx = this.#ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.#canvas.width, this.#canvas.height);
    this.#drawImageRect(this.#imageRect());
    // A hairline around the photo so its edge reads on any background.
    const edge = imageRectToDevice(this.#viewport, this.#imageRect(), this.#dpr);
    ctx.strokeStyle = 'rgb(0 0 0 / 45%)';
    ctx.lineWidth = 1;
    ctx.strokeRect(edge.x - 0.5, edge.y - 0.5, edge.width + 1, edge.height + 1);
  }

  /**
   * Redraws one image rectangle: clipped to its device pixels (each side of the split divider
   * apart), the photo with or without its edits, then the overlay.
   */
  #drawImageRect(rect: Rect): void {
    if (isEmptyRect(rect)) return;
    const ctx = this.#ctx;
    const v = this.#viewport;
    const device = intersectRect(imageRectToDevice(v, rect, this.#dpr), { x: 0, y: 0, width: this.#canvas.width, height: this.#canvas.height });
    const { compare, splitAt } = this.#deps.view;
    const parts = compareParts(device, compare, dividerDeviceX(splitAt, this.#cssWidth, this.#dpr));
    const source = padRect(rect, 2, this.#compositor.width, this.#compositor.height);
    const scale = v.zoom * this.#dpr;
    for (const part of parts) {
      const clip = part.device;
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.beginPath();
      ctx.rect(clip.x, clip.y, clip.width, clip.height);
      ctx.clip();
      ctx.clearRect(clip.x, clip.y, clip.width, clip.height);
      ctx.setTransform(scale, 0, 0, scale, v.panX * this.#dpr, v.panY * this.#dpr);
      ctx.imageSmoothingEnabled = smoothAt(v.zoom);
      // The photo and the previews change rarely, so their mipmaps (high quality) are built once and
      // reused. The overlay changes with every dab, and rebuilding a 4K mipmap chain per dab costs a
      // frame; plain bilinear is enough for a translucent colour wash.
      ctx.imageSmoothingQuality = 'high';
      this.#compositor.drawImage(ctx, source, part.side);
      ctx.imageSmoothingQuality = 'low';
      const { x, y, width, height } = source;
      if (this.#deps.view.overlayVisible) ctx.drawImage(this.#compositor.overlay, x, y, width, height, x, y, width, height);
      ctx.restore();
    }
  }

  #drawToolOverlay(): void {
    const ctx = this.#uiCtx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.#ui.width, this.#ui.height);
    if (this.#deps.view.spaceHeld || this.#gesture.kind === 'pan') return;
    const overlay = this.#deps.tools.tool.overlay(this.#hover);
    if (overlay) drawToolOverlay(ctx, overlay, this.#viewport, this.#dpr);
  }

  // ——— viewport ———

  #imageRect(): Rect {
    return { x: 0, y: 0, width: this.#compositor.width, height: this.#compositor.height };
  }

  #fitViewport(): Viewport {
    return fitViewport(this.#compositor.width, this.#compositor.height, this.#cssWidth, this.#cssHeight);
  }

  #setViewport(v: Viewport): void {
    this.#viewport = constrainPan(v, this.#compositor.width, this.#compositor.height, this.#cssWidth, this.#cssHeight);
    this.#deps.view.zoom = this.#viewport.zoom;
    // Where the image sits, for tests that paint at image coordinates.
    Object.assign(this.#canvas.dataset, { zoom: String(this.#viewport.zoom), panX: String(this.#viewport.panX), panY: String(this.#viewport.panY) });
    this.#canvas.classList.toggle('pixelated', !smoothAt(this.#viewport.zoom));
    this.#drawAll();
    this.#drawToolOverlay();
  }

  /** Matches the backing stores to the element's size × devicePixelRatio (crisp on HiDPI). */
  #measure(): void {
    const rect = this.#canvas.getBoundingClientRect();
    this.#cssWidth = Math.max(1, rect.width);
    this.#cssHeight = Math.max(1, rect.height);
    this.#dpr = window.devicePixelRatio || 1;
    for (const c of [this.#canvas, this.#ui]) {
      c.width = Math.round(this.#cssWidth * this.#dpr);
      c.height = Math.round(this.#cssHeight * this.#dpr);
    }
  }

  #resized(): void {
    this.#measure();
    this.#setViewport(this.#fitted ? this.#fitViewport() : this.#viewport);
  }

  // ——— input ———

  #host(): ToolHost {
    return { document: this.#deps.document.doc, report: this.#deps.report };
  }

  #toolPointer(e: PointerEvent | MouseEvent, pressure?: number): ToolPointer {
    const p = screenToImage(this.#viewport, e.offsetX, e.offsetY);
    return {
      x: p.x,
      y: p.y,
      // A mouse reports 0.5 while pressed; only a pen's pressure means anything.
      pressure: pressure ?? ('pointerType' in e && e.pointerType === 'pen' ? Math.max(0.01, e.pressure) : 1),
      alt: e.altKey,
      shift: e.shiftKey,
      pixelsPerScreenPixel: 1 / this.#viewport.zoom,
    };
  }

  #listen(): void {
    const c = this.#canvas;
    const on = <K extends keyof HTMLElementEventMap>(type: K, handler: (e: HTMLElementEventMap[K]) => void, options?: AddEventListenerOptions) => {
      c.addEventListener(type, handler as EventListener, options);
      this.#cleanup.push(() => c.removeEventListener(type, handler as EventListener, options));
    };
    on('pointerdown', (e) => this.#pointerDown(e));
    on('pointermove', (e) => this.#pointerMove(e));
    // The DOM typings call it a plain Event; the spec (and Chrome) make it a PointerEvent.
    if (this.#rawUpdates) on('pointerrawupdate', (e) => this.#rawUpdate(e as PointerEvent));
    on('pointerup', (e) => this.#pointerUp(e));
    on('pointercancel', (e) => this.#pointerCancel(e));
    on('pointerleave', () => {
      this.#hover = null;
      this.#drawToolOverlay();
    });
    on('dblclick', (e) => {
      this.#deps.tools.tool.doubleClick?.(this.#toolPointer(e), this.#host());
      this.#drawToolOverlay();
    });
    on('wheel', (e) => this.#wheel(e), { passive: false });
    on('contextmenu', (e) => e.preventDefault());
    on('keydown', (e) => this.#keyDown(e));
    const observer = new ResizeObserver(() => this.#resized());
    observer.observe(c);
    this.#cleanup.push(() => observer.disconnect());
  }

  #pointerDown(e: PointerEvent): void {
    if (this.#gesture.kind !== 'none') return;
    this.#canvas.focus({ preventScroll: true });
    const pan = e.button === 1 || (e.button === 0 && this.#deps.view.spaceHeld);
    if (pan) {
      e.preventDefault();
      this.#canvas.setPointerCapture(e.pointerId);
      this.#gesture = { kind: 'pan', pointerId: e.pointerId, x: e.clientX, y: e.clientY, from: this.#viewport };
      this.#canvas.dataset.gesture = 'pan';
      this.#drawToolOverlay();
      return;
    }
    if (e.button !== 0) return;
    this.#canvas.setPointerCapture(e.pointerId);
    this.#gesture = { kind: 'tool', pointerId: e.pointerId };
    this.#strokeTimings = [];
    this.#strokeWork = [];
    const started = performance.now();
    const p = this.#toolPointer(e);
    this.#hover = p;
    this.#deps.tools.tool.pointerDown(p, this.#host());
    this.#afterToolEvent(e.timeStamp, started);
  }

  #pointerMove(e: PointerEvent): void {
    const g = this.#gesture;
    if (g.kind === 'pan' && e.pointerId === g.pointerId) {
      this.#fitted = false;
      this.#setViewport({ ...g.from, panX: g.from.panX + e.clientX - g.x, panY: g.from.panY + e.clientY - g.y });
      return;
    }
    if (g.kind === 'tool' && e.pointerId === g.pointerId) {
      if (!this.#rawUpdates) this.#strokeSamples(e, true);
      return;
    }
    this.#hover = this.#toolPointer(e);
    this.#drawToolOverlay();
  }

  #rawUpdate(e: PointerEvent): void {
    const g = this.#gesture;
    // Raw updates can come at a pen's 1000 Hz: masks take every sample, the canvas is redrawn at
    // most every few milliseconds and the frame picks up the rest.
    if (g.kind === 'tool' && e.pointerId === g.pointerId) this.#strokeSamples(e, performance.now() - this.#lastDraw >= RAW_REDRAW_MS);
  }

  /** Hands a move's samples to the tool; draws now, or leaves it to the next frame. */
  #strokeSamples(e: PointerEvent, drawNow: boolean): void {
    const started = performance.now();
    // Every sample the pointer produced since the last event, so fast strokes stay smooth.
    const samples = e.getCoalescedEvents?.() ?? [];
    for (const sample of samples.length > 0 ? samples : [e]) this.#deps.tools.tool.pointerMove(this.#toolPointer(sample), this.#host());
    this.#hover = this.#toolPointer(e);
    this.#undrawnEvents.push(e.timeStamp);
    if (drawNow) {
      this.#flush();
      this.#drawToolOverlay();
    } else {
      this.#scheduleFlush();
    }
    this.#strokeWork.push(performance.now() - started);
  }

  #pointerUp(e: PointerEvent): void {
    const g = this.#gesture;
    if (g.kind === 'none' || e.pointerId !== g.pointerId) return;
    this.#gesture = { kind: 'none' };
    delete this.#canvas.dataset.gesture;
    if (g.kind === 'tool') {
      this.#flush();
      // Release commits the step (undo diff, label bookkeeping): timed apart from painting.
      const started = performance.now();
      this.#deps.tools.tool.pointerUp(this.#toolPointer(e), this.#host());
      this.#flush();
      this.#canvas.dataset.commitMs = (performance.now() - started).toFixed(2);
      this.#reportTimings();
    }
    this.#drawToolOverlay();
  }

  #pointerCancel(e: PointerEvent): void {
    const g = this.#gesture;
    if (g.kind === 'none' || e.pointerId !== g.pointerId) return;
    this.#gesture = { kind: 'none' };
    delete this.#canvas.dataset.gesture;
    if (g.kind === 'tool') this.#deps.tools.tool.cancel(this.#host());
    this.#flush();
    this.#drawToolOverlay();
  }

  /** Draws what the tool changed now, and records how long pointer → pixels took. */
  #afterToolEvent(eventTime: number, started: number): void {
    this.#undrawnEvents.push(eventTime);
    this.#flush();
    this.#drawToolOverlay();
    this.#strokeWork.push(performance.now() - started);
  }

  #reportTimings(): void {
    const latency = this.#strokeTimings;
    if (latency.length === 0) return;
    const work = this.#strokeWork;
    const timing = { last: latency.at(-1)!, worst: Math.max(...latency), p95: percentile(latency, 0.95), segments: latency.length };
    this.#deps.view.paint = timing;
    // For tests and the curious: the canvas carries its last stroke's numbers.
    Object.assign(this.#canvas.dataset, {
      paintSegments: String(timing.segments),
      paintLatencyWorstMs: timing.worst.toFixed(2),
      paintLatencyP95Ms: timing.p95.toFixed(2),
      paintWorkWorstMs: Math.max(...work).toFixed(2),
      paintWorkP95Ms: percentile(work, 0.95).toFixed(2),
      paintWorkMeanMs: (work.reduce((a, b) => a + b, 0) / work.length).toFixed(2),
    });
  }

  #wheel(e: WheelEvent): void {
    e.preventDefault();
    this.#fitted = false;
    if (!e.ctrlKey && (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY))) {
      const dx = e.shiftKey ? e.deltaY : e.deltaX;
      this.#setViewport({ ...this.#viewport, panX: this.#viewport.panX - dx });
      return;
    }
    this.#setViewport(zoomAt(this.#viewport, wheelZoomFactor(e.deltaY, e.deltaMode, e.ctrlKey), e.offsetX, e.offsetY));
  }

  #keyDown(e: KeyboardEvent): void {
    if (this.#deps.tools.tool.key(e.key, this.#host())) {
      e.preventDefault();
      this.#flush();
      this.#drawToolOverlay();
      return;
    }
    // Arrow keys pan the focused canvas: the view is usable without a pointer.
    const step = e.shiftKey ? 200 : 40;
    const moves: Record<string, [number, number]> = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    const move = moves[e.key];
    if (!move || e.ctrlKey || e.metaKey || e.altKey) return;
    e.preventDefault();
    this.#fitted = false;
    this.#setViewport({ ...this.#viewport, panX: this.#viewport.panX + move[0], panY: this.#viewport.panY + move[1] });
  }
}

/** Keeps only the latest measure of a name, so a long session does not grow the timeline. */
function measure(name: string, start: number, end: number): void {
  performance.clearMeasures(name);
  performance.measure(name, { start, end });
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function context2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser gave no 2D canvas context.');
  return ctx;
}

/** Brush outline, lasso path or crosshair, in device pixels, black under white so it reads on any photo. */
function drawToolOverlay(ctx: CanvasRenderingContext2D, overlay: ToolOverlay, v: Viewport, dpr: number): void {
  const sx = (x: number) => (x * v.zoom + v.panX) * dpr;
  const sy = (y: number) => (y * v.zoom + v.panY) * dpr;
  const stroke = (path: () => void) => {
    ctx.lineWidth = 3 * dpr;
    ctx.strokeStyle = 'rgb(0 0 0 / 55%)';
    ctx.beginPath();
    path();
    ctx.stroke();
    ctx.lineWidth = 1 * dpr;
    ctx.strokeStyle = 'rgb(255 255 255 / 95%)';
    ctx.beginPath();
    path();
    ctx.stroke();
  };
  if (overlay.kind === 'brush') {
    const r = Math.max(1.5 * dpr, overlay.radius * v.zoom * dpr);
    stroke(() => ctx.arc(sx(overlay.x), sy(overlay.y), r, 0, Math.PI * 2));
    return;
  }
  if (overlay.kind === 'crosshair') {
    const x = Math.round(sx(overlay.x)) + 0.5;
    const y = Math.round(sy(overlay.y)) + 0.5;
    const arm = 7 * dpr;
    stroke(() => {
      ctx.moveTo(x - arm, y);
      ctx.lineTo(x + arm, y);
      ctx.moveTo(x, y - arm);
      ctx.lineTo(x, y + arm);
    });
    return;
  }
  const points = overlay.points;
  if (points.length === 0) return;
  stroke(() => {
    ctx.moveTo(sx(points[0]!.x), sy(points[0]!.y));
    for (const p of points) ctx.lineTo(sx(p.x), sy(p.y));
    if (overlay.rubberBand) ctx.lineTo(sx(overlay.rubberBand.x), sy(overlay.rubberBand.y));
    if (overlay.closed) ctx.closePath();
  });
  if (!overlay.corners) return;
  ctx.fillStyle = 'white';
  ctx.strokeStyle = 'black';
  ctx.lineWidth = dpr;
  for (const p of points) {
    ctx.fillRect(sx(p.x) - 3 * dpr, sy(p.y) - 3 * dpr, 6 * dpr, 6 * dpr);
    ctx.strokeRect(sx(p.x) - 3 * dpr, sy(p.y) - 3 * dpr, 6 * dpr, 6 * dpr);
  }
}

