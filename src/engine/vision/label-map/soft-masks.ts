/**
 * Soft masks for the editor's layers: one coverage map per label, in [0, 1], that add up to 1 at
 * every pixel (so layers composited over each other neither leave gaps nor double up). Edges
 * between two person labels are feathered by a small box blur of the hard map; the edge against
 * the background takes the person segmentation's own soft alpha, which follows the photo's edge:
 *
 *   soft(background) = 1 − alpha
 *   soft(label)      = alpha · blur(label) / blur(person)      (label ≠ background)
 *
 * Blurring is linear, so the person labels' shares sum to 1 wherever blur(person) > 0; where it is
 * 0 (alpha's faint tail beyond the hard mask) the alpha goes to the background.
 */
import { LABEL_COUNT } from '../../../shared/labels';
import { boxMean } from '../segmentation/box-filter';
import { BACKGROUND, toLabelId, type LabelMap, type LabelRef } from './label-map';

export interface SoftMaskOptions {
  /** Feather radius in pixels for edges between person labels (default 2; 0 keeps them hard). */
  feather?: number;
}

const DEFAULT_FEATHER = 2;

/** The soft mask of one label at image size. */
export function softLabelMask(map: LabelMap, label: LabelRef, options: SoftMaskOptions = {}): Float32Array {
  return softMask(map, toLabelId(label), shared(map, options));
}

/** Soft masks of every label present in the map (background included), keyed by label id. */
export function softLabelMasks(map: LabelMap, options: SoftMaskOptions = {}): Map<number, Float32Array> {
  const common = shared(map, options);
  const masks = new Map<number, Float32Array>();
  common.boxes.forEach((box, id) => {
    if (box || id === BACKGROUND) masks.set(id, softMask(map, id, common));
  });
  return masks;
}

/** What every label's mask needs: the clamped alpha, the label boxes and the blurred person mask. */
interface Shared {
  alpha: Float32Array;
  boxes: (Box | null)[];
  feather: number;
  personBlur: Float32Array;
}

function shared(map: LabelMap, options: SoftMaskOptions): Shared {
  const feather = Math.max(0, Math.round(options.feather ?? DEFAULT_FEATHER));
  const person = new Float32Array(map.data.length);
  for (let i = 0; i < person.length; i++) person[i] = map.data[i] === BACKGROUND ? 0 : 1;
  return {
    alpha: personAlphaOf(map),
    boxes: labelBoxes(map),
    feather,
    personBlur: feather > 0 ? boxMean(person, map.width, map.height, feather) : person,
  };
}

function softMask(map: LabelMap, id: number, { alpha, boxes, feather, personBlur }: Shared): Float32Array {
  if (id === BACKGROUND) {
    const out = new Float32Array(alpha.length);
    for (let i = 0; i < out.length; i++) out[i] = 1 - alpha[i]!;
    return out;
  }
  const { width, height } = map;
  const out = new Float32Array(width * height);
  const found = boxes[id];
  if (!found) return out;
  // Both blurs only over the label's bounding box: the result is non-zero within `feather` of it,
  // and a margin of twice that keeps those pixels' blur windows whole (as on the full image).
  const margin = 2 * feather;
  const box = { x0: Math.max(0, found.x0 - margin), y0: Math.max(0, found.y0 - margin), x1: Math.min(width, found.x1 + margin), y1: Math.min(height, found.y1 + margin) };
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const own = new Float32Array(bw * bh);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) own[y * bw + x] = map.data[(y + box.y0) * width + x + box.x0] === id ? 1 : 0;
  }
  const ownBlur = feather > 0 ? boxMean(own, bw, bh, feather) : own;
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const i = (y + box.y0) * width + x + box.x0;
      const p = personBlur[i]!;
      if (p > 1e-6) out[i] = (alpha[i]! * ownBlur[y * bw + x]!) / p;
    }
  }
  return out;
}

/** A soft mask as 8-bit coverage (0..255), the form layers and PNGs take. */
export function toByteMask(mask: Float32Array): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, mask[i]!)) * 255);
  return out;
}

/**
 * The map's person alpha, clamped to agree with the hard map: at least 0.5 where the map labels a
 * person part (a face painted from its landmarks where the segmentation missed it still shows), at
 * most 0.5 on background. Without an alpha, the hard person mask.
 */
function personAlphaOf(map: LabelMap): Float32Array {
  const alpha = new Float32Array(map.data.length);
  for (let i = 0; i < alpha.length; i++) {
    const isPerson = map.data[i] !== BACKGROUND;
    const a = map.personAlpha ? map.personAlpha[i]! : isPerson ? 1 : 0;
    alpha[i] = isPerson ? Math.max(a, 0.5) : Math.min(a, 0.5);
  }
  return alpha;
}

interface Box {
  x0: number;
  y0: number;
  /** Exclusive. */
  x1: number;
  y1: number;
}

/** Each label's bounding box (null when absent), in one pass over the map. */
function labelBoxes(map: LabelMap): (Box | null)[] {
  const { width, height, data } = map;
  const boxes: (Box | null)[] = new Array<Box | null>(LABEL_COUNT).fill(null);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const id = data[y * width + x]!;
      const box = boxes[id];
      if (!box) boxes[id] = { x0: x, y0: y, x1: x + 1, y1: y + 1 };
      else {
        if (x < box.x0) box.x0 = x;
        if (x >= box.x1) box.x1 = x + 1;
        box.y1 = y + 1;
      }
    }
  }
  return boxes;
}
