/**
 * One semantic region split into the two layers its style is described by: a smooth base (the
 * region's colours, low-pass filtered over the region's own pixels only) and the detail on top of
 * it (texture: hair strands, skin pores, fabric weave). The base is a normalised convolution —
 * blur(lab · mask) / blur(mask) — so colours across the region's border (skin next to hair) never
 * leak into it, and the detail layer does not carry the border as a false edge that scaling it
 * would turn into a halo.
 *
 * The blur radius follows the face's size, so two photos of different resolution measure texture
 * at the same scale relative to the person.
 */
import { LABEL_COUNT } from '../../../../shared/labels';
import type { LabelMap } from '../../../vision/label-map/label-map';
import { boxMean } from '../../../vision/segmentation/box-filter';
import { downsamplePlane, upsamplePlane } from '../../pixel/blend/float-plane';
import { growBox, type PixelBox } from '../../pixel/color/pixel-box';
import { colorStats, type ColorStats } from '../../pixel/color/color-stats';

export interface RegionLayers {
  id: number;
  /** The label's bounding box grown by a margin (the blur's reach and the soft mask's feather). */
  box: PixelBox;
  /** Box-sized: the pixels in Lab, the label's hard mask (0/1), and the base layer in Lab. */
  lab: Float32Array;
  mask: Float32Array;
  base: Float32Array;
  /**
   * Box-sized: the share of the label's own pixels in each pixel's blur window, 1 deep inside
   * the region, about 1/2 on its border. Near a border the "detail" is the neighbouring region's
   * colour showing through (a hair edge against the sky), not texture, and must not be scaled.
   */
  interior: Float32Array;
}

/** What a region's style is measured as (the same for a reference and a target). */
export interface RegionMeasure {
  /** Hard-mask pixels of the label. */
  pixels: number;
  /** Lab statistics of the base layer over the label's pixels. */
  color: ColorStats;
  /** RMS of the lightness detail (L − base L) over the label's pixels, in L units. */
  detail: number;
}

/** Face-interior labels (skin … lips): their area sets the scale texture is measured at. */
const FACE_LABELS = new Set([1, 2, 3, 4, 5, 6, 7, 10, 11, 12]);
/** Detail radius as a share of the face's size (√ of its area); the fallback, of the short side. */
const RADIUS_PER_FACE = 0.03;
const RADIUS_PER_SIDE = 0.004;
/** The soft masks' feather (soft-masks.ts default) plus a pixel: where a label's soft mask can reach. */
const SOFT_REACH = 3;

/** The base layer's box radius for this map: ~3% of the face size, at least 1 pixel. */
export function detailRadius(map: LabelMap): number {
  let face = 0;
  for (let i = 0; i < map.data.length; i++) if (FACE_LABELS.has(map.data[i]!)) face++;
  const scale = face > 0 ? RADIUS_PER_FACE * Math.sqrt(face) : RADIUS_PER_SIDE * Math.min(map.width, map.height);
  return Math.max(1, Math.round(scale));
}

/** Each label's bounding box in one pass (null where the label is absent). */
export function labelBoxes(map: LabelMap): (PixelBox | null)[] {
  const boxes: (PixelBox | null)[] = new Array<PixelBox | null>(LABEL_COUNT).fill(null);
  const { width, height, data } = map;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const id = data[y * width + x]!;
      const b = boxes[id];
      if (!b) boxes[id] = { x0: x, y0: y, x1: x + 1, y1: y + 1 };
      else {
        if (x < b.x0) b.x0 = x;
        if (x >= b.x1) b.x1 = x + 1;
        b.y1 = y + 1;
      }
    }
  }
  return boxes;
}

/** The box around a label its layers cover: its bounding box grown by the blur's reach and the soft mask's feather. */
export function layersBox(labelBox: PixelBox, radius: number, width: number, height: number): PixelBox {
  return growBox(labelBox, 2 * radius + SOFT_REACH, width, height);
}

/** Lab pixels of a part of the image (computed once, shared by every region inside it). */
export interface LabWindow {
  box: PixelBox;
  data: Float32Array;
}

/** The label's layers in its layers box, which must lie inside `window`. */
export function regionLayers(window: LabWindow, map: LabelMap, id: number, labelBox: PixelBox, radius: number): RegionLayers {
  const box = layersBox(labelBox, radius, map.width, map.height);
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const ww = window.box.x1 - window.box.x0;
  const lab = new Float32Array(bw * bh * 3);
  const mask = new Float32Array(bw * bh);
  for (let y = 0; y < bh; y++) {
    const from = ((y + box.y0 - window.box.y0) * ww + box.x0 - window.box.x0) * 3;
    lab.set(window.data.subarray(from, from + bw * 3), y * bw * 3);
    const row = (y + box.y0) * map.width + box.x0;
    for (let x = 0; x < bw; x++) if (map.data[row + x] === id) mask[y * bw + x] = 1;
  }
  const maskBlur = lowPass(mask, bw, bh, radius);
  const base = new Float32Array(lab.length);
  const channel = new Float32Array(bw * bh);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < channel.length; i++) channel[i] = lab[i * 3 + c]! * mask[i]!;
    const blurred = lowPass(channel, bw, bh, radius);
    for (let i = 0; i < channel.length; i++) {
      const m = maskBlur[i]!;
      // Beyond the label's reach the base is the pixel itself: no detail to measure or scale there.
      base[i * 3 + c] = m > 1e-4 ? blurred[i]! / m : lab[i * 3 + c]!;
    }
  }
  return { id, box, lab, mask, base, interior: maskBlur };
}

/**
 * Two box passes of `radius` (a smooth, tent-shaped low-pass without one box's ringing), run on
 * a copy shrunk so the radius is about 2 pixels there: what a low-pass keeps is smooth anyway,
 * and a 1080p clothes or background region would otherwise cost eight full-size passes.
 */
function lowPass(plane: Float32Array, width: number, height: number, radius: number): Float32Array {
  const factor = Math.max(1, Math.floor(radius / 2));
  const small = downsamplePlane({ width, height, data: plane }, factor);
  const r = Math.max(1, Math.round(radius / factor));
  const blurred = boxMean(boxMean(small.data, small.width, small.height, r), small.width, small.height, r);
  return upsamplePlane({ width: small.width, height: small.height, data: blurred }, factor, width, height).data;
}

/** The style measure of a region from its layers; null when the label has no pixels. */
export function measureRegion(layers: RegionLayers): RegionMeasure | null {
  const color = colorStats(layers.base, layers.mask);
  if (!color) return null;
  let sum = 0;
  for (let i = 0; i < layers.mask.length; i++) {
    if (layers.mask[i] === 0) continue;
    const d = layers.lab[i * 3]! - layers.base[i * 3]!;
    sum += d * d;
  }
  return { pixels: color.weight, color, detail: Math.sqrt(sum / color.weight) };
}
