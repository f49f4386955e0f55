/**
 * One face swapped, in place: the source face warped onto the target's 468 landmarks over the
 * face mesh, matched to the target's colour and light, and faded into the target inside its face
 * oval. Everything happens in the target face's window (its landmarks' bounding box), and every
 * smooth field (masks, colour gains, hair) on that window shrunk to about GRID_FACE_WIDTH pixels
 * across the face, so the cost follows the face's size, and mostly not even that: the full-size
 * work is one warp and one compositing pass.
 */
import type { RasterImage } from '../../../image/image';
import { boxDownsample, type Region } from '../../../vision/image-ops/box-downsample';
import { meshWarp } from '../../pixel/warp/mesh-warp';
import { localColourGains } from './color-match';
import { compositeFace } from './face-composite';
import { faceWidthOf, faceWindow, windowEdges } from './face-frame';
import { faceMasks } from './face-masks';
import type { KeepPart } from './face-swap-options';
import { foreheadHair } from './forehead-hair';
import { planOpenings, type KeptOpening } from './openings';

export interface SwapSettings {
  keep: readonly KeepPart[];
  /** 0..1: the new face's opacity. */
  strength: number;
  colorMatch: boolean;
  /** Fade width as a fraction of the face width. */
  blendFeather: number;
}

/** Face width, in pixels of the shrunk grid, that the smooth fields are computed at (at least). */
const GRID_FACE_WIDTH = 128;
/** Colour-matching window as a fraction of the face width: regional light, not feature detail. */
const COLOUR_SIGMA = 0.08;

/**
 * Swaps the face at `targetPoints` in `image` (modified in place) for the one at
 * `sourceLandmarks` in `source`, and raises `region` (photo-sized) to the blend weight used at each pixel. Returns
 * null when the target face lies outside the image, else the target's openings kept because the
 * warp could not carry the source's over (openings.ts).
 */
export function swapFaceInto(
  image: RasterImage,
  region: Uint8Array,
  source: RasterImage,
  sourceLandmarks: ArrayLike<number>,
  targetPoints: ArrayLike<number>,
  settings: SwapSettings,
): KeptOpening[] | null {
  const window = faceWindow(targetPoints, image.width, image.height);
  if (!window) return null;
  const faceWidth = faceWidthOf(targetPoints);
  const factor = Math.max(1, Math.floor(faceWidth / GRID_FACE_WIDTH));
  const { kept: openings, mesh } = planOpenings(sourceLandmarks, targetPoints, settings.keep);
  const feather = settings.blendFeather * faceWidth;
  const edges = windowEdges(window, image.width, image.height);
  const masks = faceMasks({ points: targetPoints, window, faceWidth, feather, keep: settings.keep, openings, factor, edges });
  const warp = { source, ...mesh, window, mask: masks.hard };
  // The smooth fields compare the two faces on the shrunk grid: the source warped straight onto
  // it (point samples: they are averaged again by every blur that reads them) and the target
  // averaged down.
  const warpedSmall = meshWarp({ ...warp, ...onGrid(mesh.targetPoints, window, factor), mask: undefined, channels: 3 });
  const targetSmall = boxDownsample(image, window, factor);
  const hair = foreheadHair({ image, source, sourcePoints: sourceLandmarks, targetPoints, window, factor, targetSmall, warpedSmall, faceWidth, edges });
  for (let i = 0; i < hair.data.length; i++) {
    const bare = 1 - hair.data[i]!;
    masks.blend.data[i] = masks.blend.data[i]! * bare;
    masks.skin.data[i] = masks.skin.data[i]! * bare * warpedSmall.coverage[i]!;
  }
  const gains = settings.colorMatch ? localColourGains(targetSmall, warpedSmall, masks.skin, (COLOUR_SIGMA * faceWidth) / factor) : null;
  compositeFace({ image, region, warp, blend: masks.blend, gains, factor, strength: settings.strength });
  return openings;
}

/** The target points and window moved onto the window's grid shrunk by `factor`. */
function onGrid(points: ArrayLike<number>, window: Region, factor: number): { targetPoints: Float64Array; window: Region } {
  const out = new Float64Array(points.length);
  for (let i = 0; i + 1 < points.length; i += 2) {
    out[i] = (points[i]! - window.left) / factor;
    out[i + 1] = (points[i + 1]! - window.top) / factor;
  }
  return { targetPoints: out, window: { left: 0, top: 0, width: Math.ceil(window.width / factor), height: Math.ceil(window.height / factor) } };
}
