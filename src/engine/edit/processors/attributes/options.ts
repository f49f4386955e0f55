/**
 * The attribute sliders. Geometry sliders follow Photoshop's Face-Aware Liquify: −100..100, 0
 * leaves the face as it is. Eyes are linked by construction: `eyeSize` (and the other shared eye
 * sliders) move both eyes, and the per-eye sliders (`rightEyeSize`, …; the subject's right, on the
 * image's left in an unmirrored photo) add to it for one eye, the sum clamped to ±100. A UI that
 * shows a link toggle drives the shared slider while linked and the per-eye ones while not;
 * nothing here depends on a hidden toggle state.
 *
 * Faces: every face by default, one by one (`allFaces`), or the one `face` names, as the face-swap
 * processor chooses its target.
 */
import type { OptionField } from '../../../../shared/processor-options';

function slider(key: string, label: string, group: string, help: string, min = -100, max = 100, unit?: string): OptionField {
  return { kind: 'number', key, label, group, help, min, max, step: 1, default: 0, ...(unit ? { unit } : {}) };
}

export const EYE_SLIDERS = ['eyeSize', 'eyeHeight', 'eyeWidth', 'eyeTilt', 'eyeDistance'] as const;
export type EyeSlider = (typeof EYE_SLIDERS)[number];

const EYE_FIELDS: OptionField[] = [
  slider('eyeSize', 'Eye size', 'Eyes', 'Both eyes larger (+) or smaller (−), scaled about their centres.'),
  slider('eyeHeight', 'Eye height', 'Eyes', 'Eyes opened taller (+) or narrowed (−).'),
  slider('eyeWidth', 'Eye width', 'Eyes', 'Eyes wider (+) or narrower (−) along their axis.'),
  slider('eyeTilt', 'Eye tilt', 'Eyes', 'Outer corners raised (+) or lowered (−).'),
  slider('eyeDistance', 'Eye distance', 'Eyes', 'Eyes moved apart (+) or closer (−).'),
];

/** "rightEyeSize" from ("right", "eyeSize"). */
export function perEyeKey(side: 'right' | 'left', slider: EyeSlider): PerEyeKey {
  return `${side}${slider[0]!.toUpperCase()}${slider.slice(1)}` as PerEyeKey;
}

const PER_EYE_FIELDS: OptionField[] = (['right', 'left'] as const).flatMap((side) =>
  EYE_FIELDS.map((f) =>
    slider(perEyeKey(side, f.key as EyeSlider), `${f.label} (${side})`, 'One eye', `Added to ${f.label.toLowerCase()} for the subject's ${side} eye only.`),
  ),
);

export const GEOMETRY_FIELDS: OptionField[] = [
  ...EYE_FIELDS,
  ...PER_EYE_FIELDS,
  slider('noseHeight', 'Nose height', 'Nose', 'Nose tip raised (+, a shorter nose) or lowered (−).'),
  slider('noseWidth', 'Nose width', 'Nose', 'Nose wider (+) or narrower (−).'),
  slider('smile', 'Smile', 'Mouth', 'Mouth corners raised and drawn out (+) or lowered (−).'),
  slider('upperLip', 'Upper lip', 'Mouth', 'Upper lip fuller (+) or thinner (−).'),
  slider('lowerLip', 'Lower lip', 'Mouth', 'Lower lip fuller (+) or thinner (−).'),
  slider('mouthWidth', 'Mouth width', 'Mouth', 'Mouth wider (+) or narrower (−).'),
  slider('mouthHeight', 'Mouth height', 'Mouth', 'Mouth taller (+) or flatter (−).'),
  slider('forehead', 'Forehead height', 'Face shape', 'Forehead taller (+) or shorter (−), above the brows.'),
  slider('chinHeight', 'Chin height', 'Face shape', 'Chin longer (+) or shorter (−), below the lower lip.'),
  slider('jawline', 'Jawline', 'Face shape', 'Jaw angles out, a squarer jaw (+), or in, a slimmer jaw (−).'),
  slider('faceWidth', 'Face width', 'Face shape', 'Cheeks and jaw out (+) or in (−); the features stay.'),
];

export const APPEARANCE_FIELDS: OptionField[] = [
  slider('hairHue', 'Hair hue', 'Hair', 'Rotates the hair colour round the colour wheel.', -180, 180, '°'),
  slider('hairSaturation', 'Hair saturation', 'Hair', 'Hair colour stronger (+) or greyer (−).'),
  slider('hairLightness', 'Hair lightness', 'Hair', 'Hair lighter (+) or darker (−).'),
  slider('lipHue', 'Lip hue', 'Lips', 'Rotates the lip colour round the colour wheel.', -180, 180, '°'),
  slider('lipSaturation', 'Lip saturation', 'Lips', 'Lip colour stronger (+) or paler (−).'),
  slider('lipLightness', 'Lip lightness', 'Lips', 'Lips lighter (+) or darker (−).'),
  slider('skinSmoothing', 'Skin smoothing', 'Skin', 'Evens out blotches and shine; pores and edges stay.', 0, 100),
  slider('skinTone', 'Skin tone', 'Skin', 'Skin warmer (+) or cooler (−).'),
  slider('skinBrightness', 'Skin brightness', 'Skin', 'Skin lighter (+) or darker (−).'),
  slider('browDarkness', 'Brow darkness', 'Details', 'Brows darker (+) or lighter, towards the skin (−).'),
  slider('teethWhitening', 'Teeth whitening', 'Details', 'Teeth less yellow and brighter.', 0, 100),
];

export const FACE_FIELDS: OptionField[] = [
  { kind: 'boolean', key: 'allFaces', label: 'Every face', default: true, help: 'Edit every face in the photo, one by one; "Face" is then ignored.' },
  { kind: 'face', key: 'face', label: 'Face', default: -1, help: 'Which face to edit when not every face is (-1: the largest).' },
];

export const ATTRIBUTE_FIELDS: OptionField[] = [...GEOMETRY_FIELDS, ...APPEARANCE_FIELDS, ...FACE_FIELDS];

type PerEyeKey = `${'right' | 'left'}${Capitalize<EyeSlider>}`;
export type GeometryKey =
  | EyeSlider
  | PerEyeKey
  | 'noseHeight' | 'noseWidth' | 'smile' | 'upperLip' | 'lowerLip' | 'mouthWidth' | 'mouthHeight'
  | 'forehead' | 'chinHeight' | 'jawline' | 'faceWidth';
export type AppearanceKey =
  | 'hairHue' | 'hairSaturation' | 'hairLightness' | 'lipHue' | 'lipSaturation' | 'lipLightness'
  | 'skinSmoothing' | 'skinTone' | 'skinBrightness' | 'browDarkness' | 'teethWhitening';
export type SliderKey = GeometryKey | AppearanceKey;

/** What parseOptions returns: every slider's value, and which faces to edit. */
export type AttributeOptions = Record<SliderKey, number> & { allFaces: boolean; face: number };

export const GEOMETRY_KEYS = GEOMETRY_FIELDS.map((f) => f.key) as GeometryKey[];
export const APPEARANCE_KEYS = APPEARANCE_FIELDS.map((f) => f.key) as AppearanceKey[];
export const SLIDER_KEYS: readonly SliderKey[] = [...GEOMETRY_KEYS, ...APPEARANCE_KEYS];

export function hasGeometry(options: AttributeOptions): boolean {
  return GEOMETRY_KEYS.some((k) => options[k] !== 0);
}

export function hasAppearance(options: AttributeOptions): boolean {
  return APPEARANCE_KEYS.some((k) => options[k] !== 0);
}

/** One eye's value of a shared eye slider: the shared value plus the eye's own, clamped to ±100. */
export function eyeValue(options: AttributeOptions, side: 'right' | 'left', slider: EyeSlider): number {
  return Math.max(-100, Math.min(100, options[slider] + options[perEyeKey(side, slider)]));
}
