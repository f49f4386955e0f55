/**
 * The source face, prepared once for every frame it is swapped into: its points, its cheeks' skin
 * colour, and its pixels averaged down for warps that shrink it. None of these depends on the
 * frame, and a video swaps one source face into every frame of a clip (face-swap.ts keeps one
 * SwapSource per source face for as long as the processor lives).
 */
import type { RasterImage } from '../../../image/image';
import type { PixelSource } from '../../../vision/image-ops/pixel-source';
import { CHEEK_LEFT, CHEEK_RIGHT } from '../../../vision/face-mesh-regions';
import { sampleSkin, type SkinModel } from '../../../vision/label-map/skin-model';
import { pointsOnShrunk, prefilterFactor, shrinkSource, type ShrunkSource } from '../../pixel/warp/prefilter-source';
import { outline } from './face-frame';
import { fillMouthOpening } from './mouth-fill';

export class SwapSource {
  /** The source face's cheeks' skin colour (null when they cover no pixel): forehead-hair.ts. */
  readonly skin: SkinModel | null;
  readonly #shrunk = new Map<number, ShrunkSource | null>();
  #mouthFilled: SwapSource | undefined;

  constructor(
    readonly image: RasterImage,
    /** The source face's landmarks, flat x, y in source pixels. */
    readonly points: Float64Array,
  ) {
    this.skin = sampleSkin(image, cheeks(points));
  }

  /**
   * This source with its mouth's opening filled with its lips' colours (mouth-fill.ts): what a
   * closed target mouth is warped from. Made once, on the first frame that needs it.
   */
  withMouthFilled(): SwapSource {
    this.#mouthFilled ??= new SwapSource(fillMouthOpening(this.image, this.points), this.points);
    return this.#mouthFilled;
  }

  /**
   * What a warp of this source from `sourcePoints` (its landmarks, or a mesh made from them) to
   * `targetPoints` samples: the source itself, or, when the mesh shrinks it 2× or more, the
   * source averaged down (kept per factor) with the points moved onto it. Give the warp
   * `antialias: false` with it: the prefiltering is done.
   */
  warpInput(sourcePoints: ArrayLike<number>, targetPoints: ArrayLike<number>): { source: PixelSource; sourcePoints: ArrayLike<number> } {
    const factor = prefilterFactor(sourcePoints, targetPoints);
    if (factor < 2) return { source: this.image, sourcePoints };
    let shrunk = this.#shrunk.get(factor);
    if (shrunk === undefined) {
      shrunk = shrinkSource(this.image, this.points, factor);
      this.#shrunk.set(factor, shrunk);
    }
    return shrunk ? { source: shrunk.source, sourcePoints: pointsOnShrunk(sourcePoints, shrunk) } : { source: this.image, sourcePoints };
  }
}

/** A face's two cheeks as polygons in its photo. */
export function cheeks(points: ArrayLike<number>): number[][] {
  return [outline(points, CHEEK_RIGHT), outline(points, CHEEK_LEFT)];
}
