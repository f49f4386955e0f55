/**
 * Region masks refined by colour. The label map is geometric (docs/LABEL-MAP.md): along thin
 * bangs the hair holds skin showing through, strands beside the cheeks can be labelled skin, and
 * a soft lip edge reaches onto the skin. A hue turn makes each visible (a tinted band on the
 * forehead or round the mouth, untinted strands beside red hair). So each pixel is classed by
 * whether its colour is nearer the region's own colour or the face's skin (or the backdrop's, for
 * edge pixels that mix hair and sky), and the hair label is grown a little into neighbouring
 * hair-coloured pixels. Where the colours are too close to tell apart (blond hair on fair skin),
 * the label stands as is.
 */
import { boxMean } from '../../../../vision/segmentation/box-filter';

type Lab3 = [number, number, number];

export interface ColourClasses {
  /** The region's mean colour. */
  own: Lab3;
  /** The colours it is told apart from: the face's skin, and the background around the face when there is some. */
  others: Lab3[];
  /** The distance from `own` to the nearest of `others`, in the metric below. */
  apart: number;
}

/**
 * Lightness counts a fifth: hair and skin both run from shadow to highlight, and a hair highlight
 * is as light as skin but differs from it in hue and chroma.
 */
function distance(l: number, a: number, b: number, ref: Lab3): number {
  return Math.hypot(0.2 * (l - ref[0]), a - ref[1], b - ref[2]);
}

function nearestOther(l: number, a: number, b: number, others: readonly Lab3[]): number {
  let best = Infinity;
  for (const other of others) best = Math.min(best, distance(l, a, b, other));
  return best;
}

/** Below this the colours are not told apart. */
const MIN_APART = 6;

/**
 * Mean Lab of the pixels labelled `ownIds`, of those labelled `skinIds` and of those labelled
 * `backgroundId`; null when the region or the skin is scarce (the background is optional: its
 * mean is a fair stand-in only for the plain backdrops portraits mostly have, so it only ever
 * removes weight from pixels that look like it).
 */
export function colourClasses(ids: Uint8Array, lab: Float32Array, ownIds: readonly number[], skinIds: readonly number[], backgroundId: number): ColourClasses | null {
  const sums = [new Float64Array(4), new Float64Array(4), new Float64Array(4)];
  const kind = new Uint8Array(256);
  kind[backgroundId] = 3;
  for (const id of skinIds) kind[id] = 2;
  for (const id of ownIds) kind[id] = 1;
  for (let i = 0; i < ids.length; i++) {
    const k = kind[ids[i]!]!;
    if (k === 0) continue;
    const which = sums[k - 1]!;
    which[0]! += lab[i * 3]!;
    which[1]! += lab[i * 3 + 1]!;
    which[2]! += lab[i * 3 + 2]!;
    which[3]! += 1;
  }
  if (sums[0]![3]! < 20 || sums[1]![3]! < 50) return null;
  const mean = (s: Float64Array): Lab3 => [s[0]! / s[3]!, s[1]! / s[3]!, s[2]! / s[3]!];
  const own = mean(sums[0]!);
  const others = [mean(sums[1]!), ...(sums[2]![3]! >= 50 ? [mean(sums[2]!)] : [])];
  return { own, others, apart: nearestOther(own[0], own[1], own[2], others) };
}

/** 0 for a pixel of another class's colour, 1 for one of the region's colour, eased between (1 when they cannot be told apart). */
export function ownness(l: number, a: number, b: number, colours: ColourClasses): number {
  if (colours.apart < MIN_APART) return 1;
  const t = (nearestOther(l, a, b, colours.others) - distance(l, a, b, colours.own)) / colours.apart + 0.5;
  const c = t <= 0 ? 0 : t >= 1 ? 1 : t;
  return c * c * (3 - 2 * c);
}

/**
 * The indicator of `ownIds` grown by up to `radius` pixels into neighbours labelled one of `into`
 * whose colour is the region's rather than another class's.
 */
export function grownRegion(ids: Uint8Array, width: number, height: number, lab: Float32Array, ownIds: readonly number[], into: readonly number[], colours: ColourClasses, radius: number): Uint8Array {
  const own = new Uint8Array(ids.length);
  const plane = new Float32Array(ids.length);
  const wanted = new Uint8Array(256);
  for (const id of ownIds) wanted[id] = 1;
  for (let i = 0; i < ids.length; i++) if (wanted[ids[i]!]) own[i] = plane[i] = 1;
  if (colours.apart < MIN_APART || radius < 1) return own;
  const near = boxMean(plane, width, height, radius);
  const allowed = new Uint8Array(256);
  for (const id of into) allowed[id] = 1;
  for (let i = 0; i < ids.length; i++) {
    if (own[i] || near[i]! <= 0 || !allowed[ids[i]!]) continue;
    if (ownness(lab[i * 3]!, lab[i * 3 + 1]!, lab[i * 3 + 2]!, colours) > 0.5) own[i] = 1;
  }
  return own;
}
