/**
 * Between the engine's label map and the editor's semantic layers. The map holds one label id
 * per pixel for the whole photo; the editor shows one layer per (face, label) region, so each
 * labelled pixel goes to the face whose box it is nearest (relative to the box's size). Going
 * back, the layers are stacked bottom to top and the topmost that covers a pixel (≥ 50 %) names
 * its label; a pixel no layer covers is background.
 */
import { TILE_SIZE, TiledMask } from './tiled-mask';

export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LabelRegion {
  /** Index into the faces, or -1 for the scene (background, or no face found at all). */
  face: number;
  label: number;
  mask: TiledMask;
  pixels: number;
}

export const BACKGROUND_LABEL = 0;

/** For each pixel, the face it belongs to: nearest box centre, distance in units of the box's size. */
export function nearestFace(x: number, y: number, faces: readonly FaceBox[]): number {
  let best = -1;
  let bestDistance = Infinity;
  for (let i = 0; i < faces.length; i++) {
    const f = faces[i]!;
    const size = Math.max(1, Math.max(f.width, f.height));
    const d = Math.hypot(x - (f.x + f.width / 2), y - (f.y + f.height / 2)) / size;
    if (d < bestDistance) {
      bestDistance = d;
      best = i;
    }
  }
  return best;
}

/** Splits a label map into per-face, per-label masks, in (face, label) order; empty regions are left out. */
export function splitLabelMap(labels: Uint8Array, width: number, height: number, faces: readonly FaceBox[]): LabelRegion[] {
  const regions = new Map<number, LabelRegion>();
  // The nearest face changes slowly across the image: decide it once per 8×8 block.
  const block = 8;
  const blockColumns = Math.ceil(width / block);
  const owner = new Int16Array(blockColumns * Math.ceil(height / block));
  for (let by = 0; by * block < height; by++) {
    for (let bx = 0; bx < blockColumns; bx++) owner[by * blockColumns + bx] = nearestFace(bx * block + block / 2, by * block + block / 2, faces);
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const label = labels[y * width + x]!;
      const face = label === BACKGROUND_LABEL ? -1 : owner[((y / block) | 0) * blockColumns + ((x / block) | 0)]!;
      const key = (face + 1) * 256 + label;
      let region = regions.get(key);
      if (!region) {
        region = { face, label, mask: new TiledMask(width, height), pixels: 0 };
        regions.set(key, region);
      }
      region.mask.set(x, y, 255);
      region.pixels++;
    }
  }
  return [...regions.values()].sort((a, b) => a.face - b.face || a.label - b.label);
}

/** The label map the layers say, bottom to top (the last layer wins where layers overlap). */
export function composeLabelMap(width: number, height: number, layers: ReadonlyArray<{ label: number; mask: TiledMask }>): Uint8Array {
  const out = new Uint8Array(width * height);
  for (const { label, mask } of layers) {
    for (let index = 0; index < mask.tileCount; index++) {
      const tile = mask.tile(index);
      if (!tile) continue;
      const r = mask.tileRect(index);
      for (let y = 0; y < r.height; y++) {
        for (let x = 0; x < r.width; x++) {
          if (tile[y * TILE_SIZE + x]! >= 128) out[(r.y + y) * width + r.x + x] = label;
        }
      }
    }
  }
  return out;
}
