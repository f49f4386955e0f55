/**
 * The masks of one swapped face, from the target's landmarks, in its window:
 * - `blend` (soft, on the blend grid): where the new face shows. Zero on the face oval (the
 *   warped source there holds the source's background and hair), rising to full strength
 *   `feather` pixels inside, so the fade happens on the target's own skin; the kept parts
 *   (mouth, eyes) and openings carved out and fading back in around them. The oval's forehead is
 *   lowered towards the brows: its top is where hair falls over the forehead (fringes, a hat's
 *   brim), in the source as in the target, and where the identity is not.
 * - `hard` (full size, 0/1): inside that lowered outline and outside every kept outline. The new
 *   face shows only where it is 1, so "the kept mouth is exactly the original" holds to the pixel
 *   whatever the soft grid's resolution.
 * - `skin` (soft, on the coarser grid the faces are compared on): what colour matching weighs,
 *   the face without eyes, brows and lips.
 */
import {
  FACE_OVAL,
  LEFT_BROW,
  LEFT_EYE,
  LIPS_OUTER,
  RIGHT_BROW,
  RIGHT_EYE,
} from '../../../vision/face-mesh-regions';
import type { Region } from '../../../vision/image-ops/box-downsample';
import { blurredFill, insideRamp, markPolygons, outsideRamp } from '../../pixel/blend/feather-mask';
import type { FloatPlane } from '../../pixel/blend/float-plane';
import type { ZeroSides } from '../../pixel/blend/gaussian-blur';
import { browLine, outline } from './face-frame';
import type { KeepPart } from './face-swap-options';
import type { KeptOpening } from './openings';


const KEEP_OUTLINES: Record<KeepPart, ReadonlyArray<readonly number[]>> = {
  mouth: [LIPS_OUTER],
  eyes: [RIGHT_EYE, LEFT_EYE],
};

/** How far a kept part fades back into the new face, as a fraction of the face width. */
const KEEP_FEATHER = 0.06;
/** How far a kept opening (teeth, an iris) fades into the new lips or lids. */
const OPENING_FEATHER = 0.015;
/** How far the features are kept out of the skin statistics. */
const FEATURE_MARGIN = 0.03;
/** The share of the forehead's height (above the brows) the blend outline keeps. */
const FOREHEAD_SHARE = 0.6;

export interface FaceMasks {
  blend: FloatPlane;
  skin: FloatPlane;
  hard: Uint8Array;
}

export interface FaceMaskInput {
  /** Target landmarks, flat x, y in image pixels. */
  points: ArrayLike<number>;
  window: Region;
  faceWidth: number;
  /** Fade width in pixels. */
  feather: number;
  keep: readonly KeepPart[];
  /** Target openings the warp cannot carry over (openings.ts): kept like a part, with a short fade. */
  openings: readonly KeptOpening[];
  /** The blend mask's grid is the window shrunk by this factor (need not be whole)... */
  blendFactor: number;
  /** ...and the skin mask's by this one. */
  skinFactor: number;
  /** How the blurs treat the window's sides (face-frame.ts windowEdges). */
  edges: ZeroSides;
}

/**
 * The face oval with the part above the brows shrunk to FOREHEAD_SHARE of its height, measured
 * along the face's own vertical (perpendicular to the eye line, so a tilted head works alike),
 * but never to less than `feather` above the brows: the fade must end before them, or the brows
 * would be half one face's and half the other's.
 */
export function blendOutline(points: ArrayLike<number>, window: Region, feather: number): number[] {
  const { down, browTop } = browLine(points);
  const out: number[] = [];
  for (const i of FACE_OVAL) {
    const x = points[i * 2]!;
    const y = points[i * 2 + 1]!;
    const above = browTop - (x * down.x + y * down.y);
    const lift = above > 0 ? above - Math.max(FOREHEAD_SHARE * above, Math.min(above, feather)) : 0;
    out.push(x + lift * down.x - window.left, y + lift * down.y - window.top);
  }
  return out;
}

function multiplyByComplement(plane: FloatPlane, carve: FloatPlane): void {
  for (let i = 0; i < plane.data.length; i++) plane.data[i] = plane.data[i]! * (1 - carve.data[i]!);
}

export function faceMasks(input: FaceMaskInput): FaceMasks {
  const { points, window, faceWidth } = input;
  const { width, height } = window;
  const soft = (polygons: number[][], radius: number, factor: number) => blurredFill(width, height, polygons, radius, factor, input.edges);
  const face = blendOutline(points, window, input.feather);
  const faceFill = soft([face], input.feather, input.blendFactor);
  // A small face has both masks on one grid (the window itself): the same blur, made once.
  const skinFill = input.skinFactor === input.blendFactor ? { ...faceFill, data: faceFill.data.slice() } : soft([face], input.feather, input.skinFactor);
  const blend = insideRamp(faceFill);
  const kept = input.keep.flatMap((part) => KEEP_OUTLINES[part].map((indices) => outline(points, indices, window)));
  if (kept.length > 0) multiplyByComplement(blend, outsideRamp(soft(kept, KEEP_FEATHER * faceWidth, input.blendFactor)));
  const open = input.openings.filter((o) => o.targetOpen).map((o) => outline(points, o.outline, window));
  if (open.length > 0) multiplyByComplement(blend, outsideRamp(soft(open, OPENING_FEATHER * faceWidth, input.blendFactor)));
  // A closed opening is a sliver (the lips' crease, a lid line): kept exactly, with no fade, which
  // would spread the target's lips or lashes over the source's.
  const closed = input.openings.filter((o) => !o.targetOpen).map((o) => outline(points, o.outline, window));
  const features = [RIGHT_EYE, LEFT_EYE, RIGHT_BROW, LEFT_BROW, LIPS_OUTER].map((indices) => outline(points, indices, window));
  const skin = insideRamp(skinFill);
  multiplyByComplement(skin, outsideRamp(soft(features, FEATURE_MARGIN * faceWidth, input.skinFactor)));
  const hard = new Uint8Array(width * height);
  markPolygons(hard, width, height, [face], 1);
  markPolygons(hard, width, height, [...kept, ...open, ...closed], 0);
  return { blend, skin, hard };
}
