/**
 * The semantic label map: one CelebAMask-HQ label id per pixel (src/shared/labels.ts is the one
 * definition of the ids), at image size, plus the person probability it was cut from so layer
 * edges against the background can stay soft. Helpers here turn it into the binary masks the
 * editor's layers and the tests use.
 */
import { SeamError } from '../../../shared/errors';
import { LABEL_COUNT, LABELS, labelId, type LabelName } from '../../../shared/labels';

export interface LabelMap {
  width: number;
  height: number;
  /** One label id (0..18) per pixel, row-major. */
  data: Uint8Array;
  /** Person probability in [0, 1] at image size (the segmentation's alpha), for soft layer edges. */
  personAlpha?: Float32Array;
  /** Faces whose regions were painted. */
  faceCount: number;
  /** The parser that made the map, e.g. "landmarks/1". */
  parser: string;
}

export const BACKGROUND = labelId('background');

/** Accepts a label id or name. */
export type LabelRef = number | LabelName;

export function toLabelId(label: LabelRef): number {
  const id = typeof label === 'number' ? label : labelId(label);
  if (!Number.isInteger(id) || id < 0 || id >= LABEL_COUNT) throw new SeamError('BAD_INPUT', `Label id ${String(label)} is not in 0..${LABEL_COUNT - 1}.`);
  return id;
}

/** 255 where the pixel's label is one of `labels`, 0 elsewhere (one byte per pixel). */
export function labelMask(map: LabelMap, labels: LabelRef | readonly LabelRef[]): Uint8Array {
  const wanted = new Uint8Array(256);
  for (const label of Array.isArray(labels) ? labels : [labels]) wanted[toLabelId(label as LabelRef)] = 255;
  const out = new Uint8Array(map.data.length);
  for (let i = 0; i < out.length; i++) out[i] = wanted[map.data[i]!]!;
  return out;
}

/** Pixels per label id (index = id). */
export function labelPixelCounts(map: LabelMap): number[] {
  const counts = new Array<number>(LABEL_COUNT).fill(0);
  for (let i = 0; i < map.data.length; i++) counts[map.data[i]!]! += 1;
  return counts;
}

/** The ids that occur in the map, ascending, with their names. */
export function presentLabels(map: LabelMap): { id: number; name: LabelName; pixels: number }[] {
  return labelPixelCounts(map).flatMap((pixels, id) => (pixels > 0 ? [{ id, name: LABELS[id]!.name, pixels }] : []));
}

/** Throws when the map's size does not match its data or a pixel holds an id outside 0..18. */
export function assertValidLabelMap(map: LabelMap): void {
  if (map.data.length !== map.width * map.height) {
    throw new SeamError('BAD_INPUT', `Label map holds ${map.data.length} pixels, expected ${map.width}×${map.height}.`);
  }
  for (let i = 0; i < map.data.length; i++) {
    if (map.data[i]! >= LABEL_COUNT) throw new SeamError('BAD_INPUT', `Pixel ${i} holds label ${map.data[i]}, outside 0..${LABEL_COUNT - 1}.`);
  }
  if (map.personAlpha && map.personAlpha.length !== map.data.length) {
    throw new SeamError('BAD_INPUT', `Person alpha holds ${map.personAlpha.length} values, expected ${map.data.length}.`);
  }
}
