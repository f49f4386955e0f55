/**
 * The placed person over the repaired target. The cut-out is resampled into the target frame as
 * premultiplied colour + alpha (so edge colours are averaged with their coverage, and shrinking
 * antialiases correctly), feathered by blurring both together, then laid over the target whose
 * old person was first replaced by background fill (unless the old person is kept):
 *
 *   out = fill(target) · (1 − A) + person · A
 *
 * `region` is 1 − (1 − hole)(1 − A): exactly where the output can differ from the input.
 */
import type { RasterImage } from '../../../image/image';
import { scaleTranslate } from '../../../vision/image-ops/affine';
import { warpToFloat } from '../../../vision/image-ops/warp';
import { boxMean } from '../../../vision/segmentation/box-filter';
import { alphaBox, type Placement } from './placement';
import type { SubjectCutout } from './cutout';
import { growBox, type PixelBox } from '../../pixel/color/pixel-box';
import { fillBackground } from '../../pixel/fill/fill-background';

export interface CompositeOptions {
  /** Blur radius (target pixels) of the pasted person's edge; 0 keeps the segmentation's edge. */
  feather: number;
  /** The target's person alpha, whose area is filled from the background; null keeps it. */
  remove: Float32Array | null;
}

export interface CompositeResult {
  image: RasterImage;
  region: Uint8Array;
  /** Share of the frame filled from the background and not covered by the new person. */
  uncoveredShare: number;
}

/** Alpha above this counts as the old person, to be filled (its faint tail too: no ghost). */
const OLD_PERSON_ALPHA = 0.05;
/** The old person's area is grown by this share of their height before filling (hair wisps, blur). */
const HOLE_GROWTH = 0.02;
const MIN_HOLE_GROWTH = 3;

export function compositeSubject(target: RasterImage, cutout: SubjectCutout, placement: Placement, options: CompositeOptions): CompositeResult {
  const { width, height, channels } = target;
  const hole = options.remove ? holeOf(options.remove, width, height) : null;
  const out = hole ? fillBackground(target, hole) : { ...target, data: target.data.slice() };
  const region = new Uint8Array(width * height);
  if (hole) for (let i = 0; i < region.length; i++) if (hole[i]! > 0) region[i] = Math.min(255, Math.ceil(255 * hole[i]!));
  const layer = placeCutout(cutout, placement, width, height, options.feather);
  let covered = 0;
  if (layer) {
    const { window: win, premultiplied } = layer;
    const ww = win.x1 - win.x0;
    for (let y = win.y0; y < win.y1; y++) {
      for (let x = win.x0; x < win.x1; x++) {
        const p = ((y - win.y0) * ww + (x - win.x0)) * 4;
        const a = Math.min(1, premultiplied[p + 3]!);
        if (a <= 0) continue;
        const i = y * width + x;
        const h = hole ? hole[i]! : 0;
        region[i] = Math.min(255, Math.ceil(255 * (1 - (1 - h) * (1 - a))));
        if (h > 0.5 && a >= 0.5) covered++;
        const o = i * channels;
        for (let c = 0; c < 3; c++) {
          const v = out.data[o + c]! * (1 - a) + premultiplied[p + c]!;
          out.data[o + c] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
        }
      }
    }
  }
  let holeArea = 0;
  if (hole) for (let i = 0; i < hole.length; i++) if (hole[i]! > 0.5) holeArea++;
  return { image: out, region, uncoveredShare: (holeArea - covered) / region.length };
}

/** The old person's area, grown and with a soft outer edge: 1 over the person, falling to 0 outside. */
function holeOf(alpha: Float32Array, width: number, height: number): Float32Array | null {
  const person = alphaBox(alpha, width, height, OLD_PERSON_ALPHA);
  if (!person) return null;
  const grow = Math.max(MIN_HOLE_GROWTH, Math.round(HOLE_GROWTH * person.height));
  const ramp = Math.ceil(grow / 2);
  // Worked on the person's box grown by what the growth and the ramp can reach.
  const box = growBox({ x0: person.x, y0: person.y, x1: person.x + person.width, y1: person.y + person.height }, grow + 2 * ramp, width, height);
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const grown = new Float32Array(bw * bh);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) if (alpha[(y + box.y0) * width + x + box.x0]! > OLD_PERSON_ALPHA) grown[y * bw + x] = 1;
  }
  const dilated = boxMean(grown, bw, bh, grow);
  for (let i = 0; i < dilated.length; i++) dilated[i] = dilated[i]! > 1e-6 ? 1 : 0;
  // Twice a blur of half the growth: 1 up to the grown edge, ramping to 0 half a growth beyond it.
  const soft = boxMean(dilated, bw, bh, ramp);
  const hole = new Float32Array(width * height);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) hole[(y + box.y0) * width + x + box.x0] = Math.min(1, 2 * soft[y * bw + x]!);
  }
  return hole;
}

interface PlacedLayer {
  /** Where the layer lies in the target. */
  window: PixelBox;
  /** Window-sized: premultiplied RGB and alpha (colour in 0..255 · alpha). */
  premultiplied: Float32Array;
}

/** The cut-out resampled into the target's frame (a window around where it lands), feathered; null when it lands outside. */
function placeCutout(cutout: SubjectCutout, placement: Placement, width: number, height: number, feather: number): PlacedLayer | null {
  const { scale, dx, dy } = placement;
  const { box } = cutout;
  const margin = Math.ceil(2 * feather) + 1;
  const window = {
    x0: Math.max(0, Math.floor(scale * box.x0 + dx) - margin),
    y0: Math.max(0, Math.floor(scale * box.y0 + dy) - margin),
    x1: Math.min(width, Math.ceil(scale * box.x1 + dx) + margin),
    y1: Math.min(height, Math.ceil(scale * box.y1 + dy) + margin),
  };
  const ww = window.x1 - window.x0;
  const wh = window.y1 - window.y0;
  if (ww <= 0 || wh <= 0) return null;
  const bw = cutout.image.width;
  const source = new Float32Array(bw * cutout.image.height * 4);
  for (let i = 0; i < cutout.alpha.length; i++) {
    const a = cutout.alpha[i]!;
    for (let c = 0; c < 3; c++) source[i * 4 + c] = cutout.image.data[i * 3 + c]! * a;
    source[i * 4 + 3] = a;
  }
  // Window pixel u lies at target x = u + x0, i.e. at source-crop x = (u + x0 − dx)/scale − box.x0.
  const toSource = scaleTranslate(1 / scale, 1 / scale, (window.x0 - dx) / scale - box.x0, (window.y0 - dy) / scale - box.y0);
  const warped = warpToFloat({ width: bw, height: cutout.image.height, channels: 4, data: source }, toSource, ww, wh, { border: 'zero' }).data;
  return { window, premultiplied: feather > 0 ? featherLayer(warped, ww, wh, feather) : warped };
}

/** Two box passes over each premultiplied channel: colour and coverage soften together. */
function featherLayer(layer: Float32Array, width: number, height: number, radius: number): Float32Array {
  const r = Math.max(1, Math.round(radius));
  const out = new Float32Array(layer.length);
  const plane = new Float32Array(width * height);
  for (let c = 0; c < 4; c++) {
    for (let i = 0; i < plane.length; i++) plane[i] = layer[i * 4 + c]!;
    const blurred = boxMean(boxMean(plane, width, height, r), width, height, r);
    for (let i = 0; i < plane.length; i++) out[i * 4 + c] = blurred[i]!;
  }
  return out;
}
