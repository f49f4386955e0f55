/**
 * The soft masks the appearance sliders paint through, made inside one face's box from the frame's
 * label map the way the label map's own soft layers are (vision/label-map/soft-masks.ts): alpha ·
 * blur(labels) / blur(person), so edges between labels are feathered and the edge against the
 * background is the segmentation's alpha, which follows the photo. The blur here is wider and proportional to
 * the face (a hue shift must show no seam at 1080p either), and each region is blurred only over
 * its own bounds. With several faces, a face's masks keep only the pixels nearest to it.
 */
import type { LabelName } from '../../../../../shared/labels';
import { boxRadiusForSigma, tripleBoxBlur } from '../../../pixel/blend/gaussian-blur';
import type { PixelBox } from '../../../pixel/color/pixel-box';
import { BACKGROUND, toLabelId, type LabelMap } from '../../../../vision/label-map/label-map';
import type { FaceFrame } from '../face-frame';
import { colourClasses, grownRegion, ownness } from './colour-class';

export type RegionName = 'hair' | 'lips' | 'skinTone' | 'skinSmooth' | 'brows' | 'teeth';

/**
 * Each region's labels and its blur, in face widths (at least MIN_SIGMA pixels). `byColour`: the
 * mask is also weighted by whether a pixel's colour is the region's or the skin's
 * (colour-class.ts), so a recolour never tints the skin beside the hair or round the lips;
 * `grow`: how far (face widths) the labels may reach into these neighbouring labels where the
 * colour says so.
 */
const REGIONS: Record<RegionName, { labels: LabelName[]; blur: number; byColour?: boolean; grow?: { into: LabelName[]; by: number } }> = {
  hair: { labels: ['hair'], blur: 0.012, byColour: true, grow: { into: ['skin', 'l_ear', 'r_ear', 'neck', 'cloth'], by: 0.03 } },
  lips: { labels: ['u_lip', 'l_lip'], blur: 0.005, byColour: true },
  // Tone includes the neck and ears, so a warmer face does not end at the jaw.
  skinTone: { labels: ['skin', 'nose', 'neck', 'l_ear', 'r_ear'], blur: 0.01 },
  skinSmooth: { labels: ['skin', 'nose'], blur: 0.008 },
  brows: { labels: ['l_brow', 'r_brow'], blur: 0.012 },
  teeth: { labels: ['mouth'], blur: 0.003 },
};
const MIN_SIGMA = 1.5;
const SKIN_IDS = [toLabelId('skin'), toLabelId('nose')];

export type RegionMasks = Record<RegionName, Float32Array>;

/** The box (image pixels) that holds everything one face's appearance sliders can touch: head, hair, neck. */
export function appearanceBox(face: FaceFrame, width: number, height: number): PixelBox {
  const { center, across, down, width: W, height: H } = face;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const a of [-1.1 * W, 1.1 * W]) {
    for (const d of [-1.35 * H, 1.5 * H]) {
      const x = center.x + across.x * a + down.x * d;
      const y = center.y + across.y * a + down.y * d;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
  }
  return { x0: Math.max(0, Math.floor(x0)), y0: Math.max(0, Math.floor(y0)), x1: Math.min(width, Math.ceil(x1)), y1: Math.min(height, Math.ceil(y1)) };
}

/** The face's region masks; `lab` is the face box's Lab copy (hair and lips are refined by colour). */
export function regionMasks(labels: LabelMap, box: PixelBox, face: FaceFrame, others: readonly FaceFrame[], lab: Float32Array): RegionMasks {
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const ids = new Uint8Array(bw * bh);
  const alpha = new Float32Array(bw * bh);
  for (let y = 0; y < bh; y++) {
    for (let x = 0, i = y * bw, s = (y + box.y0) * labels.width + box.x0; x < bw; x++, i++, s++) {
      const id = labels.data[s]!;
      ids[i] = id;
      // The label map's rule: alpha agrees with the hard map at 0.5 (a painted face shows even where the segmentation missed it).
      const isPerson = id !== BACKGROUND;
      const a = labels.personAlpha ? labels.personAlpha[s]! : isPerson ? 1 : 0;
      alpha[i] = isPerson ? Math.max(a, 0.5) : Math.min(a, 0.5);
    }
  }
  const nearest = others.length > 0 ? nearestFaceMask(box, face, others) : null;
  const masks = {} as RegionMasks;
  for (const [name, region] of Object.entries(REGIONS) as [RegionName, (typeof REGIONS)[RegionName]][]) {
    const ownIds = region.labels.map((l) => toLabelId(l));
    const wanted = new Uint8Array(256);
    for (const id of ownIds) wanted[id] = 1;
    const colours = region.byColour ? colourClasses(ids, lab, ownIds, SKIN_IDS, BACKGROUND) : null;
    const own =
      colours && region.grow
        ? grownRegion(ids, bw, bh, lab, ownIds, region.grow.into.map((l) => toLabelId(l)), colours, Math.round(region.grow.by * face.width))
        : ids.map((id) => wanted[id]!);
    const plane = softRegion(ids, own, alpha, bw, bh, Math.max(MIN_SIGMA, region.blur * face.width));
    for (let i = 0; i < plane.length; i++) {
      let v = nearest ? plane[i]! * nearest[i]! : plane[i]!;
      if (colours && v > 0) v *= ownness(lab[i * 3]!, lab[i * 3 + 1]!, lab[i * 3 + 2]!, colours);
      // Exact zeros below a trace, so the region is where the slider visibly acts.
      plane[i] = v < 1 / 512 ? 0 : v > 1 ? 1 : v;
    }
    masks[name] = plane;
  }
  return masks;
}

/**
 * The soft layer of the pixels in `own` (soft-masks.ts's formula, alpha · blur(labels) /
 * blur(person), with a box-pass blur of σ ≈ sigma), computed only over their bounds.
 */
function softRegion(ids: Uint8Array, own: Uint8Array, alpha: Float32Array, bw: number, bh: number, sigma: number): Float32Array {
  const out = new Float32Array(bw * bh);
  let x0 = bw;
  let y0 = bh;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      if (own[y * bw + x] === 0) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  if (x1 < 0) return out;
  const r = Math.max(1, boxRadiusForSigma(sigma));
  // Three box passes reach 3r beyond the labels; one more pixel keeps the windows whole there.
  const left = Math.max(0, x0 - 3 * r - 1);
  const top = Math.max(0, y0 - 3 * r - 1);
  const w = Math.min(bw, x1 + 3 * r + 2) - left;
  const h = Math.min(bh, y1 + 3 * r + 2) - top;
  const part = new Float32Array(w * h);
  const person = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0, j = y * w, i = (y + top) * bw + left; x < w; x++, j++, i++) {
      part[j] = own[i]!;
      // Hair grown onto background pixels counts as person there too.
      person[j] = ids[i] === BACKGROUND && !own[i] ? 0 : 1;
    }
  }
  const ownBlur = tripleBoxBlur({ width: w, height: h, data: part }, r).data;
  const personBlur = tripleBoxBlur({ width: w, height: h, data: person }, r).data;
  for (let y = 0; y < h; y++) {
    for (let x = 0, j = y * w, i = (y + top) * bw + left; x < w; x++, j++, i++) {
      const p = personBlur[j]!;
      if (p > 1e-6) out[i] = (alpha[i]! * ownBlur[j]!) / p;
    }
  }
  return out;
}

/** 1 where a pixel is nearer this face than any other (distance in each face's own heights). */
function nearestFaceMask(box: PixelBox, face: FaceFrame, others: readonly FaceFrame[]): Uint8Array {
  const bw = box.x1 - box.x0;
  const out = new Uint8Array(bw * (box.y1 - box.y0));
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const own = Math.hypot(x + 0.5 - face.center.x, y + 0.5 - face.center.y) / face.height;
      let mine = 1;
      for (const other of others) {
        if (Math.hypot(x + 0.5 - other.center.x, y + 0.5 - other.center.y) / other.height < own) {
          mine = 0;
          break;
        }
      }
      out[(y - box.y0) * bw + x - box.x0] = mine;
    }
  }
  return out;
}
