/**
 * The image-sized layers behind the view: `source` (the photo as opened, drawn once and never
 * changed, so its mipmaps are built once), each edit preview as a canvas the size of the box it
 * changed, and `overlay` (the mask layers in their colours). The view draws a rectangle of the
 * image as the photo alone (before) or the photo with its previews over it (edited); the split
 * view draws each side of the divider one way. A preview change costs its box, not the frame.
 * Masks are recomposited per dirty rectangle in strips, so a brush dab costs the pixels it
 * touched and a full recomposite of a 4K photo never holds more than one strip of scratch memory.
 */
import { composeOverlay, type OverlaySource } from '../masks/compose-overlay';
import { EMPTY_RECT, intersectRect, isEmptyRect, type Rect } from '../masks/rect';
import { previewsDirtyRect, type ImageSide } from './compare';
import { imageDataFrom } from './image-data';

const STRIP_ROWS = 128;

export interface PreviewLayer {
  /** The photo's size. */
  width: number;
  height: number;
  /** Where `pixels` and `region` sit in the photo; absent when they cover the whole photo. */
  box?: Rect | undefined;
  pixels: Uint8Array;
  region: Uint8Array;
  opacity: number;
}

interface DrawnPreview {
  canvas: HTMLCanvasElement | null;
  box: Rect;
  opacity: number;
}

export class CanvasCompositor {
  readonly source: HTMLCanvasElement;
  readonly overlay: HTMLCanvasElement;
  readonly width: number;
  readonly height: number;
  readonly #overlayContext: CanvasRenderingContext2D;
  #scratch: Float32Array = new Float32Array(0);
  #stripBytes = new Uint8ClampedArray(0);
  #previews: DrawnPreview[] = [];
  /** Each preview's pixels over its box, transparent where its region says nothing changed; made once per preview. */
  #previewCanvases = new WeakMap<Uint8Array, HTMLCanvasElement>();

  constructor(pixels: Uint8Array, width: number, height: number) {
    this.width = width;
    this.height = height;
    this.source = sizedCanvas(width, height);
    this.overlay = sizedCanvas(width, height);
    this.#overlayContext = context(this.overlay);
    context(this.source).putImageData(imageDataFrom(pixels, width, height), 0, 0);
  }

  /** Takes the edit previews (bottom to top); returns the image rectangle whose pixels changed. */
  setPreviews(previews: readonly PreviewLayer[]): Rect {
    const next = previews.map((p) => {
      const box = p.box ?? { x: 0, y: 0, width: p.width, height: p.height };
      return { canvas: isEmptyRect(box) ? null : this.#previewCanvas(p, box), box, opacity: p.opacity };
    });
    const unchanged = next.length === this.#previews.length && next.every((p, i) => p.canvas === this.#previews[i]!.canvas && p.opacity === this.#previews[i]!.opacity);
    const dirty = unchanged ? EMPTY_RECT : previewsDirtyRect(this.#previews.filter((p) => p.canvas).map((p) => p.box), next.filter((p) => p.canvas).map((p) => p.box));
    this.#previews = next;
    return intersectRect(dirty, { x: 0, y: 0, width: this.width, height: this.height });
  }

  /**
   * Draws the image rectangle `rect` onto `ctx`, whose transform maps image pixels to its own and
   * whose clip bounds what may change: the photo, then, for the edited side, each preview at its
   * layer's opacity.
   */
  drawImage(ctx: CanvasRenderingContext2D, rect: Rect, side: ImageSide): void {
    const { x, y, width, height } = rect;
    ctx.drawImage(this.source, x, y, width, height, x, y, width, height);
    if (side === 'source') return;
    for (const preview of this.#previews) {
      if (!preview.canvas || isEmptyRect(intersectRect(rect, preview.box))) continue;
      ctx.globalAlpha = preview.opacity;
      // The whole (small) preview canvas, clipped by the caller: no resampling seams at `rect`'s edges.
      ctx.drawImage(preview.canvas, preview.box.x, preview.box.y);
    }
    ctx.globalAlpha = 1;
  }

  /** Recomposites the mask overlay over `rect` (clipped to the image). */
  composeOverlay(rect: Rect, sources: readonly OverlaySource[]): void {
    const area = intersectRect(rect, { x: 0, y: 0, width: this.width, height: this.height });
    if (isEmptyRect(area)) return;
    for (let y = area.y; y < area.y + area.height; y += STRIP_ROWS) {
      const strip = { x: area.x, y, width: area.width, height: Math.min(STRIP_ROWS, area.y + area.height - y) };
      const image = this.#stripImage(strip.width, strip.height);
      composeOverlay(strip, sources, image.data, this.#scratchFor(strip.width * strip.height * 4));
      this.#overlayContext.putImageData(image, strip.x, strip.y);
    }
  }

  #stripImage(width: number, height: number): ImageData {
    const length = width * height * 4;
    if (this.#stripBytes.length < length) this.#stripBytes = new Uint8ClampedArray(length);
    // A view on the reused buffer: no allocation of pixel memory per dab.
    return new ImageData(this.#stripBytes.subarray(0, length), width, height);
  }

  #scratchFor(length: number): Float32Array {
    if (this.#scratch.length < length) this.#scratch = new Float32Array(length);
    return this.#scratch;
  }

  #previewCanvas(preview: PreviewLayer, box: Rect): HTMLCanvasElement {
    let canvas = this.#previewCanvases.get(preview.pixels);
    if (canvas) return canvas;
    if (preview.pixels.length !== box.width * box.height * 4 || preview.region.length !== box.width * box.height) {
      throw new Error(`An edit preview's pixels (${preview.pixels.length} bytes) and region (${preview.region.length}) do not fit its ${box.width}×${box.height} box.`);
    }
    canvas = sizedCanvas(box.width, box.height);
    const rgba = new Uint8ClampedArray(box.width * box.height * 4);
    rgba.set(preview.pixels);
    // The engine's image is final (already blended with its feathered mask); the region only says
    // where it differs from the photo. Using the region as alpha would blend the feather twice.
    for (let p = 0, i = 3; p < box.width * box.height; p++, i += 4) if (preview.region[p] === 0) rgba[i] = 0;
    context(canvas).putImageData(new ImageData(rgba, box.width, box.height), 0, 0);
    this.#previewCanvases.set(preview.pixels, canvas);
    return canvas;
  }
}

function sizedCanvas(width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

function context(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser gave no 2D canvas context.');
  return ctx;
}
