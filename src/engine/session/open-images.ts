/**
 * The photos open in the editor, by id: decoded pixels, their analysis (kept, so every preview of
 * a slider drag reuses the faces and label map), and the name they were opened under. Bounded:
 * the least recently used photo is dropped past MAX_OPEN_IMAGES or MAX_OPEN_PIXELS.
 */
import { randomBytes } from 'node:crypto';
import { SeamError } from '../../shared/errors';
import { ProcessorInstances } from '../edit/edit-photo';
import type { FrameAnalysis } from '../edit/frame-analysis';
import type { EditDeps, LoadedPhoto } from '../edit/processor';
import type { RasterImage } from '../image/image';

export const MAX_OPEN_IMAGES = 16;
export const MAX_OPEN_PIXELS = 400_000_000;
const REFERENCE_PREFIX = 'image:';

export interface OpenImage {
  id: string;
  name: string;
  format: string;
  image: RasterImage;
  analysis: FrameAnalysis;
  /** The processors previewing this photo, kept so their caches serve every slider step. */
  instances: ProcessorInstances;
}

export class OpenImages {
  readonly #images = new Map<string, OpenImage>();

  constructor(private readonly deps: EditDeps) {}

  add(name: string, format: string, image: RasterImage): OpenImage {
    const id = `img-${randomBytes(6).toString('hex')}`;
    const entry: OpenImage = {
      id,
      name,
      format,
      image,
      analysis: this.deps.analyzer.analyze(image),
      instances: new ProcessorInstances(this.deps),
    };
    this.#images.set(id, entry);
    this.#evict();
    return entry;
  }

  get(id: string): OpenImage {
    const entry = this.#images.get(id);
    if (!entry) throw new SeamError('NOT_FOUND', `That photo is no longer open (${id}); open it again.`);
    // Re-insert so iteration order is least recently used first.
    this.#images.delete(id);
    this.#images.set(id, entry);
    return entry;
  }

  close(id: string): boolean {
    const entry = this.#images.get(id);
    if (!entry) return false;
    this.#images.delete(id);
    void entry.instances.disposeAll();
    return true;
  }

  /** Resolves an "image:<id>" processor option to the open photo; undefined for anything else. */
  resolveReference(reference: string): LoadedPhoto | undefined {
    if (!reference.startsWith(REFERENCE_PREFIX)) return undefined;
    const entry = this.get(reference.slice(REFERENCE_PREFIX.length));
    return { path: entry.name, image: entry.image, analysis: entry.analysis };
  }

  #evict(): void {
    const pixels = () => [...this.#images.values()].reduce((sum, e) => sum + e.image.width * e.image.height, 0);
    while (this.#images.size > MAX_OPEN_IMAGES || (this.#images.size > 1 && pixels() > MAX_OPEN_PIXELS)) {
      this.close(this.#images.keys().next().value as string);
    }
  }
}

/** RGB(A) → a new RGBA array for the page's ImageData (never the image's own buffer). */
export function toRgba(image: RasterImage): Uint8Array {
  if (image.channels === 4) return image.data.slice();
  const out = new Uint8Array(image.width * image.height * 4);
  const src = image.data;
  for (let p = 0, q = 0; p < src.length; p += 3, q += 4) {
    out[q] = src[p]!;
    out[q + 1] = src[p + 1]!;
    out[q + 2] = src[p + 2]!;
    out[q + 3] = 255;
  }
  return out;
}
