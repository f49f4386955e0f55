/**
 * The image-sized layers behind the view: `base` (the photo with the edit previews over it) and
 * `overlay` (the mask layers in their colours). Masks are recomposited per dirty rectangle in
 * strips, so a brush dab costs the pixels it touched and a full recomposite of a 4K photo never
 * holds more than one strip of scratch memory.
 */
import { composeOverlay, type OverlaySource } from '../masks/compose-overlay';
import { intersectRect, isEmptyRect, type Rect } from '../masks/rect';
import { imageDataFrom } from './image-data';

const STRIP_ROWS = 128;

export interface PreviewLayer {
  width: number;
  height: number;
  pixels: Uint8Array;
  region: Uint8Array;
  opacity: number;
}

export class CanvasCompositor {
  readonly base: HTMLCanvasElement;
  readonly overlay: HTMLCanvasElement;
  readonly width: number;
  readonly height: number;
  readonly #photo: ImageData;
  readonly #baseContext: CanvasRenderingContext2D;
  readonly #overlayContext: CanvasRenderingContext2D;
  #scratch: Float32Array = new Float32Array(0);
  #stripBytes = new Uint8ClampedArray(0);
  /** Each preview's pixels, transparent where its region says nothing changed; made once per preview. */
  #previewCanvases = new WeakMap<Uint8Array, HTMLCanvasElement>();

  constructor(pixels: Uint8Array, width: number, height: number) {
    this.width = width;
    this.height = height;
    this.#photo = imageDataFrom(pixels, width, height);
    this.base = sizedCanvas(width, height);
    this.overlay = sizedCanvas(width, height);
    this.#baseContext = context(this.base);
    this.#overlayContext = context(this.overlay);
    this.#baseContext.putImageData(this.#photo, 0, 0);
  }

  /** The photo, then each preview at its layer's opacity where its region says it changed pixels. */
  composeBase(previews: readonly PreviewLayer[]): void {
    const ctx = this.#baseContext;
    ctx.globalAlpha = 1;
    ctx.putImageData(this.#photo, 0, 0);
    for (const preview of previews) {
      ctx.globalAlpha = preview.opacity;
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(this.#previewCanvas(preview), 0, 0, this.width, this.height);
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

  #previewCanvas(preview: PreviewLayer): HTMLCanvasElement {
    let canvas = this.#previewCanvases.get(preview.pixels);
    if (canvas) return canvas;
    canvas = sizedCanvas(preview.width, preview.height);
    const rgba = new Uint8ClampedArray(preview.pixels.length);
    rgba.set(preview.pixels);
    // The engine's image is final (already blended with its feathered mask); the region only says
    // where it differs from the photo. Using the region as alpha would blend the feather twice.
    for (let p = 0, i = 3; p < preview.region.length; p++, i += 4) if (preview.region[p] === 0) rgba[i] = 0;
    context(canvas).putImageData(new ImageData(rgba, preview.width, preview.height), 0, 0);
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
