/**
 * What one face's appearance sliders read, derived from the frame once and kept while the user
 * drags: the face's box, its pixels in Lab, the region masks, and (only once skin smoothing is
 * first asked for) the frequency-separated skin layers and the skin's reference colour.
 */
import type { RasterImage } from '../../../../image/image';
import { colorStats } from '../../../pixel/color/color-stats';
import { imageToLab, type LabImage } from '../../../pixel/color/color-space';
import type { PixelBox } from '../../../pixel/color/pixel-box';
import type { FaceFrame } from '../face-frame';
import { appearanceBox, regionMasks, type RegionMasks, type RegionName } from './region-masks';
import { skinLayers, type SkinLayers } from './skin-layers';
import type { LabelMap } from '../../../../vision/label-map/label-map';

export class FaceAppearance {
  readonly box: PixelBox;
  readonly lab: LabImage;
  readonly masks: RegionMasks;
  #layers: SkinLayers | undefined;
  #skinColor: [number, number, number] | undefined;
  readonly #pixels = new Map<RegionName, Int32Array>();
  /** Scratch for unions of pixel lists: a generation stamp per box pixel, and the list itself. */
  readonly #stamp: Uint32Array;
  readonly #union: Int32Array;
  #generation = 0;

  constructor(
    readonly face: FaceFrame,
    image: RasterImage,
    labels: LabelMap,
    others: readonly FaceFrame[],
  ) {
    this.box = appearanceBox(face, image.width, image.height);
    this.lab = imageToLab(image, this.box);
    this.masks = regionMasks(labels, this.box, face, others, this.lab.data);
    this.#stamp = new Uint32Array(this.lab.width * this.lab.height);
    this.#union = new Int32Array(this.lab.width * this.lab.height);
  }

  /** The box pixels (indices) where any of the regions' masks is non-zero, each once; valid until the next call. */
  pixelsOf(regions: readonly RegionName[]): Int32Array {
    const generation = ++this.#generation;
    let count = 0;
    for (const name of regions) {
      for (const i of this.#regionPixels(name)) {
        if (this.#stamp[i] === generation) continue;
        this.#stamp[i] = generation;
        this.#union[count++] = i;
      }
    }
    return this.#union.subarray(0, count);
  }

  #regionPixels(name: RegionName): Int32Array {
    let list = this.#pixels.get(name);
    if (!list) {
      const mask = this.masks[name];
      let count = 0;
      for (let i = 0; i < mask.length; i++) if (mask[i]! > 0) count++;
      list = new Int32Array(count);
      for (let i = 0, n = 0; i < mask.length; i++) if (mask[i]! > 0) list[n++] = i;
      this.#pixels.set(name, list);
    }
    return list;
  }

  get skinLayers(): SkinLayers {
    this.#layers ??= skinLayers(this.lab, this.masks.skinSmooth, this.face.width);
    return this.#layers;
  }

  /** The mean Lab of the face's skin (what lightened brows fade towards); a typical light skin when none is labelled. */
  get skinColor(): [number, number, number] {
    this.#skinColor ??= colorStats(this.lab.data, this.masks.skinSmooth)?.mean ?? [65, 12, 16];
    return this.#skinColor;
  }
}
