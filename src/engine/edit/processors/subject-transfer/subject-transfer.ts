/**
 * The subject-transfer processor (SCAM's task, done by compositing): the whole person from a
 * source photo put into the photo being edited, at the old person's place and size (or in a box
 * the user draws), toned to the new scene, with the area the old person leaves uncovered filled
 * from the background around it. The source's cut-out is prepared once per instance, so every
 * frame of a clip reuses it.
 */
import { SeamError } from '../../../../shared/errors';
import type { OptionBox, ProcessorDescriptor } from '../../../../shared/processor-options';
import type { AnalyzedFace } from '../../../vision/faces/face-pipeline';
import type { Box } from '../../../vision/faces/face-types';
import type { ColorStats } from '../../pixel/color/color-stats';
import { regionLabStats } from '../../pixel/color/transfer-color';
import { describeOptions, optionsParser } from '../../options';
import { defineProcessor, type LoadedPhoto, type ProcessContext } from '../../processor';
import { compositeSubject } from './composite-subject';
import { backgroundStats, cutOutSubject, harmonizingTransform, recolorCutout, type SubjectCutout } from './cutout';
import { alphaBox, placeSubject } from './placement';

export interface SubjectTransferOptions {
  source: string;
  box?: OptionBox;
  sourceFace: number;
  targetFace: number;
  harmonize: number;
  feather: number;
  keepTarget: boolean;
}

export const subjectTransferDescriptor: ProcessorDescriptor = {
  id: 'subject-transfer',
  title: 'Subject transfer',
  description: 'Puts the whole person from another photo into this one, where the person here stands (or in a box you draw), and fills in the background they leave uncovered.',
  fields: [
    { kind: 'photo', key: 'source', label: 'Person from', required: true },
    { kind: 'box', key: 'box', label: 'Place in box', help: 'Optional: the person is fitted into this rectangle, standing on its bottom edge.' },
    { kind: 'face', key: 'sourceFace', label: 'Face in the source', default: -1, help: 'Sizes the person by this face (-1: the largest).' },
    { kind: 'face', key: 'targetFace', label: 'Face here', default: -1, help: 'The face whose place the new person takes (-1: the largest).' },
    { kind: 'number', key: 'harmonize', label: 'Match scene tone', min: 0, max: 1, step: 0.01, default: 0.5, help: "How far the person's exposure and colour cast move toward this photo's." },
    { kind: 'number', key: 'feather', label: 'Edge softness', min: 0, max: 10, step: 0.5, default: 1, unit: 'px' },
    { kind: 'boolean', key: 'keepTarget', label: 'Keep the person already here', default: false, help: 'Add the new person instead of replacing the old one.' },
  ],
};

const parseOptions = optionsParser<SubjectTransferOptions>(subjectTransferDescriptor);

interface PreparedSource {
  photo: LoadedPhoto;
  cutout: SubjectCutout;
  person: Box;
  faces: AnalyzedFace[];
  /** Lab statistics of the source's background and of the person (for toning). */
  background: ColorStats | null;
  personStats: ColorStats | null;
}

export const subjectTransfer = defineProcessor<SubjectTransferOptions>({
  descriptor: subjectTransferDescriptor,
  models: ['face_detection_short_range', 'face_detection_full_range', 'face_landmark', 'selfie_segmentation', 'selfie_segmentation_landscape'],
  parseOptions,
  describe: (options) => describeOptions('subject-transfer', { ...options }),
  create() {
    const sources = new Map<string, Promise<PreparedSource>>();
    const prepare = (path: string, ctx: ProcessContext) => {
      let prepared = sources.get(path);
      if (!prepared) {
        prepared = prepareSource(path, ctx);
        prepared.catch(() => sources.delete(path));
        sources.set(path, prepared);
      }
      return prepared;
    };
    return {
      async process(frame, options, ctx) {
        const { width, height } = frame.image;
        const box = options.box;
        if (box && (box.x >= width || box.y >= height || box.x + box.width <= 0 || box.y + box.height <= 0)) {
          throw new SeamError('BAD_INPUT', `The box ${box.x},${box.y},${box.width},${box.height} lies outside the ${width}×${height} picture.`);
        }
        const source = await prepare(options.source, ctx);
        const person = await frame.analysis.person(ctx.signal);
        const targetPerson = alphaBox(person.alpha, width, height);
        if (!targetPerson && !options.box) {
          throw new SeamError('NOT_FOUND', 'No person found in the photo being edited: give a box where the new person should stand.', { photo: 'target' });
        }
        const notes: string[] = [];
        const needFaces = !options.box;
        const sourceFace = needFaces ? chooseFace(source.faces, options.sourceFace, 'the source photo', notes) : null;
        const targetFace = needFaces ? chooseFace(await frame.analysis.faces(ctx.signal), options.targetFace, 'this photo', notes) : null;
        const placement = placeSubject(
          { width: source.photo.image.width, height: source.photo.image.height, person: source.person, face: sourceFace },
          { width, height, person: targetPerson, face: targetFace },
          options.box,
        );
        if (placement.basis === 'person') notes.push('No face to size the person by in one of the photos; they were matched by height instead.');
        notes.push(...placement.notes);
        let cutout = source.cutout;
        const targetBackground = options.harmonize > 0 ? backgroundStats(frame.image, person.alpha) : null;
        if (source.background && targetBackground && source.personStats) {
          cutout = recolorCutout(cutout, harmonizingTransform(source.background, targetBackground, source.personStats.mean, options.harmonize));
        }
        ctx.signal?.throwIfAborted();
        const result = compositeSubject(frame.image, cutout, placement, { feather: options.feather, remove: options.keepTarget ? null : person.alpha });
        if (result.uncoveredShare > 0.001) {
          notes.push(`${(100 * result.uncoveredShare).toFixed(1)}% of the picture, where the old person stood, was filled in from the background around it.`);
        }
        return { image: result.image, region: result.region, notes };
      },
      async dispose() {
        sources.clear();
      },
    };
  },
});

async function prepareSource(path: string, ctx: ProcessContext): Promise<PreparedSource> {
  const photo = await ctx.loadPhoto(path);
  const { width, height } = photo.image;
  const segmentation = await photo.analysis.person(ctx.signal);
  const person = alphaBox(segmentation.alpha, width, height);
  const cutout = person ? cutOutSubject(photo.image, segmentation.alpha) : null;
  if (!person || !cutout) throw new SeamError('NOT_FOUND', `No person found in ${photo.path}: choose a photo that shows the person to move.`);
  const faces = await photo.analysis.faces(ctx.signal);
  return { photo, cutout, person, faces, background: backgroundStats(photo.image, segmentation.alpha), personStats: regionLabStats(cutout.image, cutout.alpha) };
}

/** The face by index (-1: the largest); null with a note when there is none. */
function chooseFace(faces: readonly AnalyzedFace[], index: number, where: string, notes: string[]): Box | null {
  if (faces.length === 0) return null;
  if (index >= 0 && index < faces.length) return faces[index]!.detection.box;
  if (index >= faces.length) notes.push(`There is no face ${index} in ${where}; the largest face was used.`);
  const area = (f: AnalyzedFace) => f.detection.box.width * f.detection.box.height;
  return faces.reduce((best, f) => (area(f) > area(best) ? f : best)).detection.box;
}
