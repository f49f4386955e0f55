/**
 * Pictures of a label map: each label in SEAN's palette colour (src/shared/labels.ts), or that
 * colour blended over the photo, for `seam parse --color/--overlay` and for looking at results.
 */
import { SeamError } from '../../../shared/errors';
import { LABEL_COUNT, labelRgb } from '../../../shared/labels';
import type { RgbImage } from '../segmentation/guided-upsample';
import type { LabelMap } from './label-map';

const PALETTE = (() => {
  const table = new Uint8Array(256 * 3);
  for (let id = 0; id < LABEL_COUNT; id++) table.set(labelRgb(id), id * 3);
  return table;
})();

export interface RgbPicture {
  width: number;
  height: number;
  channels: 3;
  data: Uint8Array;
}

/** Each pixel in its label's palette colour. */
export function colorizeLabelMap(map: LabelMap): RgbPicture {
  const out = new Uint8Array(map.data.length * 3);
  for (let i = 0; i < map.data.length; i++) {
    const p = map.data[i]! * 3;
    out[i * 3] = PALETTE[p]!;
    out[i * 3 + 1] = PALETTE[p + 1]!;
    out[i * 3 + 2] = PALETTE[p + 2]!;
  }
  return { width: map.width, height: map.height, channels: 3, data: out };
}

/** The palette blended over the photo with `opacity` (0..1); background pixels keep the photo. */
export function overlayLabelMap(image: RgbImage, map: LabelMap, opacity = 0.5): RgbPicture {
  if (image.width !== map.width || image.height !== map.height) {
    throw new SeamError('BAD_INPUT', `Image is ${image.width}×${image.height} but the label map is ${map.width}×${map.height}.`);
  }
  const out = new Uint8Array(map.data.length * 3);
  for (let i = 0; i < map.data.length; i++) {
    const id = map.data[i]!;
    const s = i * image.channels;
    const k = id === 0 ? 0 : opacity;
    for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.round(image.data[s + c]! * (1 - k) + PALETTE[id * 3 + c]! * k);
  }
  return { width: map.width, height: map.height, channels: 3, data: out };
}
