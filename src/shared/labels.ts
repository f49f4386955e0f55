/**
 * The semantic label map's labels, in the CelebAMask-HQ order that SEAN, SMILE and SCAM's
 * checkpoints use: the index is the value stored in a label map. The colours are SEAN's UI palette.
 * This is the one definition; everything else imports it.
 */
export interface LabelDefinition {
  id: number;
  name: string;
  /** What a person would call it, for layer names and sliders. */
  title: string;
  /** #rrggbb, SEAN's UI colour for the label. */
  color: string;
}

export const LABELS = [
  { id: 0, name: 'background', title: 'Background', color: '#000000' },
  { id: 1, name: 'skin', title: 'Skin', color: '#cc0000' },
  { id: 2, name: 'nose', title: 'Nose', color: '#4c9900' },
  { id: 3, name: 'eye_g', title: 'Glasses', color: '#cccc00' },
  { id: 4, name: 'l_eye', title: 'Left eye', color: '#3333ff' },
  { id: 5, name: 'r_eye', title: 'Right eye', color: '#cc00cc' },
  { id: 6, name: 'l_brow', title: 'Left brow', color: '#00ffff' },
  { id: 7, name: 'r_brow', title: 'Right brow', color: '#33ffff' },
  { id: 8, name: 'l_ear', title: 'Left ear', color: '#663300' },
  { id: 9, name: 'r_ear', title: 'Right ear', color: '#ff0000' },
  { id: 10, name: 'mouth', title: 'Mouth', color: '#66cc00' },
  { id: 11, name: 'u_lip', title: 'Upper lip', color: '#ffff00' },
  { id: 12, name: 'l_lip', title: 'Lower lip', color: '#000099' },
  { id: 13, name: 'hair', title: 'Hair', color: '#0000cc' },
  { id: 14, name: 'hat', title: 'Hat', color: '#ff3399' },
  { id: 15, name: 'ear_r', title: 'Earring', color: '#00cccc' },
  { id: 16, name: 'neck_l', title: 'Necklace', color: '#003300' },
  { id: 17, name: 'neck', title: 'Neck', color: '#ff9933' },
  { id: 18, name: 'cloth', title: 'Clothes', color: '#00cc00' },
] as const satisfies readonly LabelDefinition[];

export type LabelName = (typeof LABELS)[number]['name'];
export const LABEL_COUNT = LABELS.length;

const byName = new Map<string, number>(LABELS.map((l) => [l.name, l.id]));

export function labelId(name: LabelName): number {
  return byName.get(name)!;
}

export function isLabelName(value: string): value is LabelName {
  return byName.has(value);
}

/** [r, g, b] of a label's palette colour. */
export function labelRgb(id: number): [number, number, number] {
  const hex = LABELS[id]?.color ?? '#000000';
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
}
