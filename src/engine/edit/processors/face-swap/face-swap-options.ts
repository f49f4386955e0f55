/**
 * The face swap's options: the descriptor the UI draws its controls from, the parsed type, and
 * the provenance line. Face indices count the faces Seam found a mesh for, left to right, as the
 * face picker shows them; -1 is the largest.
 */
import type { ProcessorDescriptor } from '../../../../shared/processor-options';
import { optionsParser } from '../../options';

export const KEEP_PARTS = ['mouth', 'eyes'] as const;
export type KeepPart = (typeof KEEP_PARTS)[number];

export interface FaceSwapOptions {
  source: string;
  sourceFace: number;
  targetFace: number;
  /** A photo of the person whose face to replace: the target face most like its largest face. */
  targetLike?: string;
  allFaces: boolean;
  keep: KeepPart[];
  strength: number;
  colorMatch: boolean;
  blendFeather: number;
}

export const FACE_SWAP_DESCRIPTOR: ProcessorDescriptor = {
  id: 'face-swap',
  title: 'Face swap',
  description: "Puts the face from another photo onto a face in this one, in this face's pose, light and colour.",
  fields: [
    { kind: 'photo', key: 'source', label: 'Source photo', required: true, help: 'The photo whose face is put in.' },
    { kind: 'face', key: 'sourceFace', label: 'Source face', default: -1, help: 'Which face of the source photo (-1: the largest).' },
    { kind: 'face', key: 'targetFace', label: 'Face to replace', default: -1, help: 'Which face of this photo (-1: the largest).' },
    {
      kind: 'photo',
      key: 'targetLike',
      label: 'Replace the face most like…',
      required: false,
      help: 'A photo of the person to replace: the face here most like theirs (geometry and skin tone) is chosen instead of "Face to replace".',
    },
    { kind: 'boolean', key: 'allFaces', label: 'Replace every face', default: false, help: 'Swap every face found here; "Face to replace" is then ignored.' },
    {
      kind: 'multi-choice',
      key: 'keep',
      label: 'Keep the original',
      choices: [
        { value: 'mouth', label: 'Mouth' },
        { value: 'eyes', label: 'Eyes' },
      ],
      default: [],
      help: "Keep this photo's mouth or eyes (their expression and gaze) inside the new face.",
    },
    { kind: 'number', key: 'strength', label: 'Strength', min: 0, max: 1, step: 0.05, default: 1, group: 'Blend', help: '0 leaves the photo as it is.' },
    { kind: 'boolean', key: 'colorMatch', label: 'Match colour and light', default: true, group: 'Blend' },
    {
      kind: 'number',
      key: 'blendFeather',
      label: 'Edge softness',
      min: 2,
      max: 30,
      step: 1,
      default: 10,
      unit: '% of face width',
      group: 'Blend',
      help: 'How wide the fade from the new face into the old one is, inside the face outline.',
    },
  ],
};

export const parseFaceSwapOptions = optionsParser<FaceSwapOptions>(FACE_SWAP_DESCRIPTOR);
