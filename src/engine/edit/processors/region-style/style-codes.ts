/**
 * Per-region style codes, SEAN's idea done analytically: where SEAN pools a learned 512-d code
 * per semantic label from a style image, a code here is what can be measured and re-applied
 * without a network — the region's colour distribution (Lab mean and covariance of its base
 * layer) and its texture strength (RMS of its lightness detail). Codes are plain JSON-safe data:
 * the UI keeps them, a video reuses one reference's codes on every frame, and two references'
 * codes interpolate (SEAN's style slider).
 */
import { LABEL_COUNT } from '../../../../shared/labels';
import type { RasterImage } from '../../../image/image';
import type { LabelMap } from '../../../vision/label-map/label-map';
import { imageToLab } from '../../pixel/color/color-space';
import { cloneColorStats, mixColorStats, type ColorStats } from '../../pixel/color/color-stats';
import { fullBox } from '../../pixel/color/pixel-box';
import { detailRadius, labelBoxes, measureRegion, regionLayers } from './region-layers';

export interface RegionStyleCode {
  /** Reference pixels the code was measured on (interpolated when codes are mixed). */
  pixels: number;
  /** Lab mean and covariance of the region's base (low-pass) layer. */
  color: ColorStats;
  /** RMS of the region's lightness detail (L − base L), in L units: its texture strength. */
  detail: number;
  /**
   * How much of this code applies, in [0, 1]: 1 from a photo; mixing with a reference that lacks
   * the region fades it toward the target's own style (share × (1 − t)).
   */
  share: number;
  /** Label id this code was borrowed from (left eye ↔ right eye...) when the photo lacked the region. */
  borrowedFrom?: number;
}

export interface RegionStyleCodes {
  version: 1;
  /** Indexed by label id (src/shared/labels.ts); null where the photo has no such region. */
  regions: (RegionStyleCode | null)[];
}

/** Regions smaller than this (pixels) give no code: their statistics would be noise. */
export const MIN_REGION_PIXELS = 12;

/** Left/right (and upper/lower) twins: a region too small in a photo borrows its twin's code. */
const TWINS: ReadonlyArray<[number, number]> = [
  [4, 5], // l_eye, r_eye
  [6, 7], // l_brow, r_brow
  [8, 9], // l_ear, r_ear
  [11, 12], // u_lip, l_lip
];

/** The style codes of every region of a photo's label map. */
export function computeStyleCodes(image: RasterImage, labelMap: LabelMap): RegionStyleCodes {
  const radius = detailRadius(labelMap);
  const boxes = labelBoxes(labelMap);
  const window = { box: fullBox(image.width, image.height), data: imageToLab(image).data };
  const regions: (RegionStyleCode | null)[] = boxes.map((box, id) => {
    if (!box) return null;
    const measure = measureRegion(regionLayers(window, labelMap, id, box, radius));
    if (!measure || measure.pixels < MIN_REGION_PIXELS) return null;
    return { pixels: measure.pixels, color: measure.color, detail: measure.detail, share: 1 };
  });
  for (const [a, b] of TWINS) {
    const codeA = regions[a];
    const codeB = regions[b];
    if (!codeA && codeB) regions[a] = { ...cloneCode(codeB), borrowedFrom: b };
    if (!codeB && codeA) regions[b] = { ...cloneCode(codeA), borrowedFrom: a };
  }
  return { version: 1, regions };
}

/**
 * Codes between two references: t = 0 gives `a`, t = 1 gives `b` (exact copies). A region both
 * have is interpolated (colour statistics linearly, texture strength geometrically); a region
 * only one has keeps that code with its share scaled by how much of that reference is used.
 */
export function mixStyleCodes(a: RegionStyleCodes, b: RegionStyleCodes, t: number): RegionStyleCodes {
  if (!(t > 0)) return cloneCodes(a);
  if (t >= 1) return cloneCodes(b);
  const regions = Array.from({ length: LABEL_COUNT }, (_, id): RegionStyleCode | null => {
    const ca = a.regions[id] ?? null;
    const cb = b.regions[id] ?? null;
    if (ca && cb) {
      return {
        pixels: (1 - t) * ca.pixels + t * cb.pixels,
        color: mixColorStats(ca.color, cb.color, t),
        detail: Math.exp((1 - t) * Math.log(Math.max(ca.detail, 1e-6)) + t * Math.log(Math.max(cb.detail, 1e-6))),
        share: (1 - t) * ca.share + t * cb.share,
      };
    }
    if (ca) return { ...cloneCode(ca), share: ca.share * (1 - t) };
    if (cb) return { ...cloneCode(cb), share: cb.share * t };
    return null;
  });
  return { version: 1, regions };
}

/** Checks a value read back from JSON (a project file, the UI) is a usable set of codes. */
export function isRegionStyleCodes(value: unknown): value is RegionStyleCodes {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<RegionStyleCodes>;
  if (v.version !== 1 || !Array.isArray(v.regions) || v.regions.length !== LABEL_COUNT) return false;
  const finite = (xs: unknown) => Array.isArray(xs) && xs.every((x) => typeof x === 'number' && Number.isFinite(x));
  return v.regions.every(
    (c) =>
      c === null ||
      (typeof c === 'object' &&
        finite([c.pixels, c.detail, c.share, c.color?.weight]) &&
        finite(c.color?.mean) &&
        c.color.mean.length === 3 &&
        finite(c.color?.cov) &&
        c.color.cov.length === 6),
  );
}

function cloneCode(code: RegionStyleCode): RegionStyleCode {
  const copy: RegionStyleCode = { pixels: code.pixels, color: cloneColorStats(code.color), detail: code.detail, share: code.share };
  if (code.borrowedFrom !== undefined) copy.borrowedFrom = code.borrowedFrom;
  return copy;
}

function cloneCodes(codes: RegionStyleCodes): RegionStyleCodes {
  return { version: 1, regions: codes.regions.map((c) => (c ? cloneCode(c) : null)) };
}
