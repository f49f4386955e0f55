/**
 * One face swapped, in place: the source face warped onto the target's 468 landmarks over the
 * face mesh, matched to the target's colour and light, and faded into the target inside its face
 * oval. Everything happens in the target face's window (its landmarks' bounding box), and every
 * smooth field on that window shrunk to a fixed number of cells across the face, so the cost of
 * the fields does not follow the face's size: the full-size work is one warp and one compositing
 * pass. Two grids: the blend weight's (BLEND_FACE_WIDTH across: its fades are a few percent of
 * the face wide) and a coarser one the two faces are compared on (FIELD_FACE_WIDTH across: hair
 * patches, skin colour, and the colour gains, which localColourGains shrinks further still).
 */
import type { RasterImage } from '../../../image/image';
import { boxDownsample, type Region } from '../../../vision/image-ops/box-downsample';
import { upsamplePlane } from '../../pixel/blend/float-plane';
import { meshWarp } from '../../pixel/warp/mesh-warp';
import { localColourGains } from './color-match';
import { compositeFace } from './face-composite';
import { faceWidthOf, faceWindow, windowEdges } from './face-frame';
import { faceMasks } from './face-masks';
import type { KeepPart } from './face-swap-options';
import { foreheadHair } from './forehead-hair';
import { planOpenings, type KeptOpening } from './openings';
import type { SwapSource } from './swap-source';

export interface SwapSettings {
  keep: readonly KeepPart[];
  /** 0..1: the new face's opacity. */
  strength: number;
  colorMatch: boolean;
  /** Fade width as a fraction of the face width. */
  blendFeather: number;
}

/** Face width in cells of the blend weight's grid (smaller faces: one cell a pixel). */
const BLEND_FACE_WIDTH = 128;
/** Face width, about, in cells of the grid the faces are compared on (hair, skin, colour). */
const FIELD_FACE_WIDTH = 64;
/** Colour-matching window as a fraction of the face width: regional light, not feature detail. */
const COLOUR_SIGMA = 0.08;

/**
 * Swaps the face at `targetPoints` in `image` (modified in place) for the source face, and raises
 * `region` (photo-sized) to the blend weight used at each pixel. Returns null when the target face
 * lies outside the image, else the target's openings kept because the warp could not carry the
 * source's over (openings.ts).
 */
export function swapFaceInto(image: RasterImage, region: Uint8Array, source: SwapSource, targetPoints: ArrayLike<number>, settings: SwapSettings): KeptOpening[] | null {
  const window = faceWindow(targetPoints, image.width, image.height);
  if (!window) return null;
  const faceWidth = faceWidthOf(targetPoints);
  // The blend grid's factor need not be whole (the blend is only filled, blurred and read back
  // bilinearly), so its cells are the same share of every face; the field grid's is whole, for
  // the target's block means.
  const blendFactor = Math.max(1, faceWidth / BLEND_FACE_WIDTH);
  const fieldFactor = Math.max(1, Math.round(faceWidth / FIELD_FACE_WIDTH));
  const { kept: openings, mesh, closingMouth } = planOpenings(source.points, targetPoints, settings.keep);
  const from = closingMouth ? source.withMouthFilled() : source;
  const feather = settings.blendFeather * faceWidth;
  const edges = windowEdges(window, image.width, image.height);
  const masks = faceMasks({ points: targetPoints, window, faceWidth, feather, keep: settings.keep, openings, blendFactor, skinFactor: fieldFactor, edges });
  const warp = { ...mesh, ...from.warpInput(mesh.sourcePoints, mesh.targetPoints), antialias: false, window, mask: masks.hard };
  // The faces are compared on the field grid: the source warped straight onto it and the target
  // averaged down.
  const grid = onGrid(mesh.targetPoints, window, fieldFactor);
  const warpedSmall = meshWarp({ ...mesh, ...grid, ...from.warpInput(mesh.sourcePoints, grid.targetPoints), antialias: false, channels: 3 });
  const targetSmall = boxDownsample(image, window, fieldFactor);
  const hair = foreheadHair({ image, sourceSkin: source.skin, targetPoints, window, factor: fieldFactor, targetSmall, warpedSmall, faceWidth, edges });
  for (let i = 0; i < hair.data.length; i++) masks.skin.data[i] = masks.skin.data[i]! * (1 - hair.data[i]!) * warpedSmall.coverage[i]!;
  const hairOnBlend = upsamplePlane(hair, fieldFactor / blendFactor, masks.blend.width, masks.blend.height);
  for (let i = 0; i < hairOnBlend.data.length; i++) masks.blend.data[i] = masks.blend.data[i]! * (1 - hairOnBlend.data[i]!);
  const gains = settings.colorMatch ? localColourGains(targetSmall, warpedSmall, masks.skin, (COLOUR_SIGMA * faceWidth) / fieldFactor) : null;
  const gainsOnWindow = gains && { planes: gains.planes, factor: fieldFactor * gains.factor };
  // On a face small enough that the comparison grid is the window, its warp is the full-size one.
  const warped = fieldFactor === 1 ? { warped: warpedSmall } : {};
  compositeFace({ image, region, warp, ...warped, blend: masks.blend, factor: blendFactor, gains: gainsOnWindow, strength: settings.strength });
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
