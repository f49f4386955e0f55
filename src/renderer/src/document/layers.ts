/**
 * The layers of a photo document. Mask layers (semantic regions found by the engine, and masks
 * the user adds) hold a tiled coverage mask and show as a coloured overlay; edit layers hold one
 * processor's options and show that processor's result over the photo.
 */
import { LABELS, labelRgb } from '../../../shared/labels';
import type { TiledMask } from '../masks/tiled-mask';

export type Rgb = readonly [number, number, number];

interface LayerBase {
  readonly id: string;
  name: string;
  visible: boolean;
  /** 0..1 */
  opacity: number;
  /** A locked layer refuses paint and property changes other than unlocking. */
  locked: boolean;
  /** Heading the layer is listed under: "Face 1", "Scene", "Masks", "Edits". */
  group: string;
}

export interface MaskLayer extends LayerBase {
  kind: 'semantic' | 'mask';
  mask: TiledMask;
  rgb: Rgb;
  /** The label id a semantic layer stands for (labels.ts); null for a user mask. */
  label: number | null;
  /** Which face a semantic layer belongs to (-1: the scene); null for a user mask. */
  face: number | null;
}

export interface EditLayer extends LayerBase {
  kind: 'edit';
  processor: string;
  options: Record<string, unknown>;
  /** The mask layer whose coverage limits where this edit changes pixels; null: everywhere. */
  limitTo: string | null;
}

export type Layer = MaskLayer | EditLayer;

export function isMaskLayer(layer: Layer | null | undefined): layer is MaskLayer {
  return layer?.kind === 'semantic' || layer?.kind === 'mask';
}

/** What the panels see of a layer: plain, immutable data. */
export interface LayerView {
  id: string;
  kind: Layer['kind'];
  name: string;
  group: string;
  visible: boolean;
  /** Drawn now: visible, or the solo layer while one is soloed. */
  shown: boolean;
  solo: boolean;
  active: boolean;
  opacity: number;
  locked: boolean;
  /** #rrggbb swatch for mask layers, null for edits. */
  color: string | null;
  processor: string | null;
  options: Readonly<Record<string, unknown>> | null;
  /** An edit's mask layer id, or null. */
  limitTo: string | null;
}

export function labelTitle(label: number): string {
  return LABELS[label]?.title ?? `Label ${label}`;
}

export function labelColour(label: number): Rgb {
  return labelRgb(label);
}

export function rgbToHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** Colours for user masks, distinct from SEAN's palette so a painted mask is not mistaken for a region. */
export const USER_MASK_COLOURS: readonly Rgb[] = [
  [255, 64, 64],
  [64, 200, 255],
  [255, 200, 0],
  [180, 90, 255],
  [0, 220, 140],
  [255, 120, 200],
];
