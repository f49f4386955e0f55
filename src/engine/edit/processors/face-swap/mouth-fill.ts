/**
 * The source photo with its open mouth filled in with its lips' colours: what a closed target
 * mouth is warped from (closed-mouth.ts). The closed-mouth mesh already samples the source's
 * lips away from their inner edge, but the mesh's inner lip points follow a smile only roughly:
 * on a small or smiling source face the corners of the opening (the dark gap beside the teeth)
 * and the teeth's edge reach the sampled band, and show as a dark fleck at a corner of the new
 * lips or a pale line along them. Filled, the opening holds nothing but lip colour for any
 * sample that strays into it.
 *
 * The fill is the push-pull membrane (pixel/fill/push-pull-fill.ts) over the inner lip contour
 * and the lip-area pixels far darker than the lips, on a crop around the lips: made once per
 * source face, not per frame. The contour is not grown: a smiling upper lip can be a pixel or
 * two thick, and growing the hole by even that much erased it (tried: the new lips lost their
 * parting line).
 */
import { cloneImage, type RasterImage } from '../../../image/image';
import { LIPS_OUTER, MOUTH_INTERIOR } from '../../../vision/face-mesh-regions';
import { MESH } from '../../../vision/faces/mesh-indices';
import { fillPolygons } from '../../pixel/blend/feather-mask';
import { pushPullFill } from '../../pixel/fill/push-pull-fill';
import { pointBounds } from '../../pixel/point-bounds';
import { outline } from './face-frame';

/** The crop around the lips, beyond their outer contour, as a share of the mouth's width: the ring the fill draws on. */
const RING_SHARE = 0.25;
/** A lip-area pixel darker than this share of the lips' median luma is the opening's (the gap at a corner), not lip. */
const DARK_SHARE = 0.6;

/** A copy of `image` with the mouth opening of the face at `points` (flat x, y) filled; the image itself when the mouth lies outside it. */
export function fillMouthOpening(image: RasterImage, points: ArrayLike<number>): RasterImage {
  const mouthWidth = Math.hypot(points[MESH.mouthLeft * 2]! - points[MESH.mouthRight * 2]!, points[MESH.mouthLeft * 2 + 1]! - points[MESH.mouthRight * 2 + 1]!);
  const lips = pointBounds(outline(points, LIPS_OUTER));
  const ring = RING_SHARE * mouthWidth;
  const left = Math.max(0, Math.floor(lips.minX - ring));
  const top = Math.max(0, Math.floor(lips.minY - ring));
  const right = Math.min(image.width, Math.ceil(lips.maxX + ring));
  const bottom = Math.min(image.height, Math.ceil(lips.maxY + ring));
  if (right <= left || bottom <= top) return image;
  const crop = { left, top, width: right - left, height: bottom - top };
  const hole = fillPolygons(image.width, image.height, [outline(points, MOUTH_INTERIOR)], 1, 0, crop);
  const lipArea = fillPolygons(image.width, image.height, [outline(points, LIPS_OUTER)], 1, 1, crop);
  const known = new Float32Array(hole.data.length);
  const pixels = new Float32Array(hole.data.length * 3);
  const luma = new Float32Array(hole.data.length);
  const { data, channels } = image;
  const lipLumas: number[] = [];
  for (let y = 0; y < crop.height; y++) {
    for (let x = 0; x < crop.width; x++) {
      const p = y * crop.width + x;
      const i = ((top + y) * image.width + left + x) * channels;
      for (let c = 0; c < 3; c++) pixels[p * 3 + c] = data[i + c]!;
      luma[p] = 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
      if (lipArea.data[p] === 1 && hole.data[p] === 0) lipLumas.push(luma[p]!);
    }
  }
  // The gap beside the teeth at a smile's corners lies outside the inner contour the mesh gives:
  // lip-area pixels far darker than the lips are part of the opening too.
  lipLumas.sort((a, b) => a - b);
  const dark = DARK_SHARE * (lipLumas[lipLumas.length >> 1] ?? 0);
  for (let p = 0; p < known.length; p++) known[p] = hole.data[p] === 1 || (lipArea.data[p] === 1 && luma[p]! < dark) ? 0 : 1;
  const filled = pushPullFill({ width: crop.width, height: crop.height, channels: 3, data: pixels }, known);
  const out = cloneImage(image);
  for (let p = 0; p < known.length; p++) {
    if (known[p] === 1) continue;
    const i = ((top + Math.floor(p / crop.width)) * image.width + left + (p % crop.width)) * channels;
    for (let c = 0; c < 3; c++) out.data[i + c] = Math.round(filled.data[p * 3 + c]!);
  }
  return out;
}
