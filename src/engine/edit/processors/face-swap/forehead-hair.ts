/**
 * Hair over the forehead, in either face. The face mesh runs up to the hairline whether or not a
 * fringe covers it, so a source with bangs would paint them onto the target's bare forehead, and
 * a target's fringe or hat brim would be painted over with the source's skin. Above the brows,
 * every place that is not skin-coloured in the warped source or in the target (each subject's own
 * cheek colour, vision/label-map/skin-model.ts, as the label map tells forehead hair) keeps the
 * target, softly: the edge of a fringe fades rather than cuts. Worked on the shrunk grid:
 * hair that matters is a patch, not a strand.
 */
import type { RasterImage } from '../../../image/image';
import type { Region } from '../../../vision/image-ops/box-downsample';
import type { PixelSource } from '../../../vision/image-ops/pixel-source';
import { FACE_OVAL } from '../../../vision/face-mesh-regions';
import { FOREHEAD_SKIN_TEST, isSkin, sampleSkin, type SkinModel } from '../../../vision/label-map/skin-model';
import { fillPolygons } from '../../pixel/blend/feather-mask';
import { createPlane, type FloatPlane } from '../../pixel/blend/float-plane';
import { tripleBoxBlur, type ZeroSides } from '../../pixel/blend/gaussian-blur';
import type { MeshWarpResult } from '../../pixel/warp/mesh-warp';
import { browLine, outline } from './face-frame';
import { cheeks } from './swap-source';

/** How far the kept hair's edge fades into the new face, as a fraction of the face width. */
const HAIR_FEATHER = 0.1;
/** Blurred hair density at which the target is kept entirely. */
const HAIR_GAIN = 1.5;
/** Hair is looked for this far above the brows' top and higher (brows are not skin either). */
const BROW_MARGIN = 0.03;

export interface ForeheadInput {
  image: RasterImage;
  /** The source face's cheeks' skin colour (swap-source.ts). */
  sourceSkin: SkinModel | null;
  targetPoints: ArrayLike<number>;
  window: Region;
  factor: number;
  /** The target's window and the warped source, both on the shrunk grid (3 channels). */
  targetSmall: PixelSource;
  warpedSmall: MeshWarpResult;
  faceWidth: number;
  /** How the blur treats the window's sides (face-frame.ts windowEdges). */
  edges: ZeroSides;
}

/** On the shrunk grid: 1 where the target should stay because hair covers the forehead in either face. */
export function foreheadHair(input: ForeheadInput): FloatPlane {
  const { window, factor, targetSmall, warpedSmall, targetPoints, sourceSkin } = input;
  const targetSkin = sampleSkin(input.image, cheeks(targetPoints));
  const { width, height } = targetSmall;
  const hair = createPlane(width, height);
  if (!sourceSkin || !targetSkin) return hair;
  const oval = fillPolygons(width, height, [outline(targetPoints, FACE_OVAL, window)], 1 / factor);
  const { down, browTop } = browLine(targetPoints);
  const zoneEnd = browTop - BROW_MARGIN * input.faceWidth;
  const t = targetSmall.data;
  const s = warpedSmall.data;
  let found = false;
  for (let y = 0; y < height; y++) {
    const cy = window.top + (y + 0.5) * factor;
    for (let x = 0, p = y * width; x < width; x++, p++) {
      const cx = window.left + (x + 0.5) * factor;
      if (oval.data[p] === 0 || warpedSmall.coverage[p] === 0 || cx * down.x + cy * down.y >= zoneEnd) continue;
      const i = p * 3;
      const bare = isSkin(targetSkin, FOREHEAD_SKIN_TEST, t[i]!, t[i + 1]!, t[i + 2]!) && isSkin(sourceSkin, FOREHEAD_SKIN_TEST, s[i]!, s[i + 1]!, s[i + 2]!);
      if (!bare) {
        hair.data[p] = 1;
        found = true;
      }
    }
  }
  // Bare foreheads, the usual case: nothing to blur (a blur of zeros is zeros).
  if (!found) return hair;
  // The blurred density, not a ramp: a few stray pixels (a wrinkle, a highlight) hardly count,
  // a fringe counts fully a little inside its edge, and the edge of the kept part stays soft.
  const density = tripleBoxBlur(hair, Math.max(1, Math.round((HAIR_FEATHER * input.faceWidth) / 3 / factor)), input.edges);
  for (let i = 0; i < density.data.length; i++) density.data[i] = Math.min(1, HAIR_GAIN * density.data[i]!);
  return density;
}
