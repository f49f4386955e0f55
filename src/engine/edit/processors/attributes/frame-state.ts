/**
 * What the processor keeps about one analysed frame while sliders move: the faces' frames, each
 * face's appearance data (Lab, masks, skin layers), and the last appearance result with the values
 * it was made for. A geometry slider update reuses all of it and only builds and applies the
 * field; an appearance update repaints the pixels under the masks of the sliders that moved. Kept
 * per FrameAnalysis (the frame's own memo of faces and labels), so a new photo or frame starts
 * afresh.
 */
import type { RasterImage } from '../../../image/image';
import type { FrameAnalysis } from '../../frame-analysis';
import { activeRegions, appearanceSettings, paintPixels } from './appearance/apply-appearance';
import { FaceAppearance } from './appearance/face-appearance';
import type { RegionName } from './appearance/region-masks';
import { faceFrame, type FaceFrame } from './face-frame';
import { APPEARANCE_KEYS, type AppearanceKey, type AttributeOptions } from './options';

interface AppearanceResult {
  /** The faces it was made for, and the appearance slider values, in APPEARANCE_KEYS order. */
  chosen: string;
  values: number[];
  data: Uint8Array;
  region: Uint8Array;
}

/** The mask each appearance slider paints through. */
const SLIDER_REGION: Record<AppearanceKey, RegionName> = {
  hairHue: 'hair',
  hairSaturation: 'hair',
  hairLightness: 'hair',
  lipHue: 'lips',
  lipSaturation: 'lips',
  lipLightness: 'lips',
  skinSmoothing: 'skinSmooth',
  skinTone: 'skinTone',
  skinBrightness: 'skinTone',
  browDarkness: 'brows',
  teethWhitening: 'teeth',
};

export class AttributeFrameState {
  #faces: Promise<FaceFrame[]> | undefined;
  #appearance: Promise<FaceAppearance[]> | undefined;
  #last: AppearanceResult | undefined;

  constructor(readonly analysis: FrameAnalysis) {}

  get image(): RasterImage {
    return this.analysis.image;
  }

  faces(signal?: AbortSignal): Promise<FaceFrame[]> {
    this.#faces ??= this.analysis.meshedFaces(signal).then((faces) => faces.map((f) => faceFrame(f.landmarks.points)));
    return this.#faces;
  }

  /** Every face's appearance data (made together: each face's masks need the others' places). */
  appearance(signal?: AbortSignal): Promise<FaceAppearance[]> {
    this.#appearance ??= (async () => {
      const [faces, labels] = await Promise.all([this.faces(signal), this.analysis.labels(signal)]);
      return faces.map((face, i) => new FaceAppearance(face, this.image, labels, faces.filter((_, j) => j !== i)));
    })();
    this.#appearance.catch(() => (this.#appearance = undefined));
    return this.#appearance;
  }

  /**
   * The frame with the appearance sliders applied to the chosen faces. The last result is kept and
   * updated in place: when only some sliders moved, only the pixels under their masks are
   * repainted (from the cached Lab, so the result is the same as a full repaint). Callers copy it.
   */
  async appearanceResult(options: AttributeOptions, chosen: readonly number[], signal?: AbortSignal): Promise<AppearanceResult> {
    const faces = await this.appearance(signal);
    const values = APPEARANCE_KEYS.map((k) => options[k]);
    const key = chosen.join(',');
    const settings = appearanceSettings(options);
    const { image } = this;
    const last = this.#last;
    if (last?.chosen === key) {
      const changed = [...new Set(APPEARANCE_KEYS.filter((k, i) => values[i] !== last.values[i]).map((k) => SLIDER_REGION[k]))];
      if (changed.length === 0) return last;
      const target = { ...image, data: last.data };
      for (const i of chosen) paintPixels(target, image.data, faces[i]!, settings, faces[i]!.pixelsOf(changed), last.region);
      last.values = values;
      return last;
    }
    const result = { chosen: key, values, data: image.data.slice(), region: new Uint8Array(image.width * image.height) };
    const active = activeRegions(settings);
    for (const i of chosen) {
      signal?.throwIfAborted();
      paintPixels({ ...image, data: result.data }, image.data, faces[i]!, settings, faces[i]!.pixelsOf(active), result.region);
    }
    this.#last = result;
    return result;
  }
}
