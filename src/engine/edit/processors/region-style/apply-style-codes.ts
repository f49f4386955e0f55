/**
 * Puts style codes into a photo, region by region: inside each weighted region the base layer's
 * colours are mapped onto the code's statistics and the lightness detail is scaled to the code's
 * texture strength; the result is blended into the photo with the region's soft mask times its
 * alpha, so region borders do not show and alpha 0.5 is half the way.
 *
 *   out = in + Σ_label alpha · share · soft(label) · (styled_label − in)
 *   styled = T(base) + (g · detail_L, detail_a, detail_b)
 *
 * Pixels that no weighted region touches keep their exact bytes (they are never converted).
 * A region the codes lack keeps the target's own style (a note says so).
 */
import { LABELS, type LabelName } from '../../../../shared/labels';
import type { RasterImage } from '../../../image/image';
import type { LabelMap } from '../../../vision/label-map/label-map';
import { softLabelMask } from '../../../vision/label-map/soft-masks';
import { imageToLab, labToRgb } from '../../pixel/color/color-space';
import type { Vec3 } from '../../pixel/color/color-stats';
import { colorTransform, transformColor, type ColorTransferMethod, type ColorTransform } from '../../pixel/color/color-transfer';
import type { PixelBox } from '../../pixel/color/pixel-box';
import { detailRadius, labelBoxes, layersBox, measureRegion, regionLayers, type RegionLayers } from './region-layers';
import type { RegionStyleCodes } from './style-codes';

/** Alpha per region name in [0, 1]; a name left out counts 0. */
export type RegionAlphas = Partial<Record<LabelName, number>>;

export interface ApplyStyleOptions {
  /** How colours are matched (default 'mean-std'). */
  method?: ColorTransferMethod;
  /** How much of the texture-strength change to apply, 0..1 (default 1). */
  detail?: number;
}

export interface AppliedStyle {
  image: RasterImage;
  /** 0..255 per pixel: the blend weight each pixel got (0 exactly where nothing changed). */
  region: Uint8Array;
  notes: string[];
}

/** Texture gains are kept within this factor either way (a flat target region has no detail to amplify). */
const MAX_DETAIL_GAIN = 3;
/**
 * Colour-spread gains likewise: a reference region holding two materials (a hat labelled as hair)
 * has a spread no single material has, and a larger gain turns the target's gentle highlights
 * into streaks.
 */
const MAX_COLOR_GAIN = 2.5;

export function applyStyleCodes(
  target: RasterImage,
  labelMap: LabelMap,
  codes: RegionStyleCodes,
  alphas: RegionAlphas,
  options: ApplyStyleOptions = {},
): AppliedStyle {
  const { width, height, channels } = target;
  const n = width * height;
  const out: RasterImage = { ...target, data: target.data.slice() };
  const notes: string[] = [];
  const weighted = LABELS.filter((l) => (alphas[l.name] ?? 0) > 0);
  if (weighted.length === 0) return { image: out, region: new Uint8Array(n), notes };

  const boxes = labelBoxes(labelMap);
  const radius = detailRadius(labelMap);
  // Lab once, over the part of the photo the weighted regions' layers cover.
  const covered = weighted.flatMap((l) => {
    const box = boxes[l.id];
    return box ? [layersBox(box, radius, width, height)] : [];
  });
  if (covered.length === 0) {
    return { image: out, region: new Uint8Array(n), notes: weighted.map((l) => `${l.title}: not in this photo; nothing to restyle there.`) };
  }
  const windowBox = covered.reduce((a, b) => ({ x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) }));
  const window = { box: windowBox, data: imageToLab(target, windowBox).data };
  const detailAmount = options.detail ?? 1;
  const ww = windowBox.x1 - windowBox.x0;
  const shift = new Float32Array(ww * (windowBox.y1 - windowBox.y0) * 3);
  const weight = new Float32Array(ww * (windowBox.y1 - windowBox.y0));
  for (const label of weighted) {
    const box = boxes[label.id];
    const code = codes.regions[label.id];
    if (!box) {
      notes.push(`${label.title}: not in this photo; nothing to restyle there.`);
      continue;
    }
    if (!code || code.share <= 0) {
      notes.push(`${label.title}: the reference has no such region; the photo keeps its own style there.`);
      continue;
    }
    const layers = regionLayers(window, labelMap, label.id, box, radius);
    const own = measureRegion(layers);
    if (!own) continue;
    const transform = colorTransform(own.color, code.color, options.method ?? 'mean-std', { maxGain: MAX_COLOR_GAIN });
    const gain = own.detail > 0.05 ? clampGain(code.detail / own.detail) ** detailAmount : 1;
    const strength = alphas[label.name]! * code.share;
    accumulateRegion({ box: windowBox, shift, weight }, layers, softMaskOf(labelMap, label.id), width, strength, transform, gain);
  }

  const region = new Uint8Array(n);
  for (let y = windowBox.y0; y < windowBox.y1; y++) {
    for (let x = windowBox.x0; x < windowBox.x1; x++) {
      const k = (y - windowBox.y0) * ww + (x - windowBox.x0);
      const w = weight[k]!;
      if (w <= 0) continue;
      const i = y * width + x;
      // Rounded up: a pixel that changed at all is inside the region.
      region[i] = Math.min(255, Math.ceil(w * 255));
      const d = window.data;
      labToRgb(d[k * 3]! + shift[k * 3]!, d[k * 3 + 1]! + shift[k * 3 + 1]!, d[k * 3 + 2]! + shift[k * 3 + 2]!, out.data, i * channels);
    }
  }
  return { image: out, region, notes };
}

/** Lab changes and blend weights of the window's pixels, summed over the regions. */
interface Accumulator {
  box: PixelBox;
  shift: Float32Array;
  weight: Float32Array;
}

/** Adds one region's restyling, weighted by strength × its soft mask, to the accumulator. */
function accumulateRegion(acc: Accumulator, layers: RegionLayers, soft: Float32Array, imageWidth: number, strength: number, transform: ColorTransform, gain: number): void {
  const { box: lb, lab, base, interior } = layers;
  const bw = lb.x1 - lb.x0;
  const aw = acc.box.x1 - acc.box.x0;
  const styled: Vec3 = [0, 0, 0];
  for (let y = lb.y0; y < lb.y1; y++) {
    for (let x = lb.x0; x < lb.x1; x++) {
      const w = strength * soft[y * imageWidth + x]!;
      if (w <= 0) continue;
      const p = (y - lb.y0) * bw + (x - lb.x0);
      const b = p * 3;
      transformColor(transform, base, b, styled);
      // Full texture gain only where the window is all this region (see RegionLayers.interior).
      const inside = Math.max(0, 2 * interior[p]! - 1);
      styled[0] += (1 + (gain - 1) * inside * inside) * (lab[b]! - base[b]!);
      styled[1] += lab[b + 1]! - base[b + 1]!;
      styled[2] += lab[b + 2]! - base[b + 2]!;
      const k = (y - acc.box.y0) * aw + (x - acc.box.x0);
      for (let c = 0; c < 3; c++) acc.shift[k * 3 + c]! += w * (styled[c]! - lab[b + c]!);
      acc.weight[k]! += w;
    }
  }
}

/**
 * Soft masks by label map, made on first use: a slider drag re-applies codes to the same map
 * (label maps are not changed in place; an edited map is a new object), and each mask costs a
 * full-frame pass. Only the weighted regions' masks are kept, and only while the map lives.
 */
const softMasks = new WeakMap<LabelMap, Map<number, Float32Array>>();

function softMaskOf(map: LabelMap, id: number): Float32Array {
  let masks = softMasks.get(map);
  if (!masks) softMasks.set(map, (masks = new Map()));
  let mask = masks.get(id);
  if (!mask) masks.set(id, (mask = softLabelMask(map, id)));
  return mask;
}

function clampGain(g: number): number {
  return Math.min(MAX_DETAIL_GAIN, Math.max(1 / MAX_DETAIL_GAIN, g));
}
