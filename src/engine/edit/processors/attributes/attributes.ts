/**
 * The attributes processor: Face-Aware-Liquify-style geometry sliders (one smooth, fold-guarded
 * displacement field per face, applied in one warp) and appearance sliders (hair, lips, skin,
 * brows, teeth through the label map's soft masks). See this folder's README for the method, the
 * slider strengths and the limits.
 */
import { SeamError } from '../../../../shared/errors';
import type { ProcessorDescriptor } from '../../../../shared/processor-options';
import { cloneImage, type RasterImage } from '../../../image/image';
import type { FrameAnalysis } from '../../frame-analysis';
import { describeOptions, optionsParser } from '../../options';
import { defineProcessor, type ProcessorModule } from '../../processor';
import type { FaceFrame } from './face-frame';
import { AttributeFrameState } from './frame-state';
import { warpFace } from './geometry';
import { ATTRIBUTE_FIELDS, hasAppearance, hasGeometry, SLIDER_KEYS, type AttributeOptions } from './options';

export const ATTRIBUTES_DESCRIPTOR: ProcessorDescriptor = {
  id: 'attributes',
  title: 'Face attributes',
  description: 'Reshape eyes, nose, mouth and face outline, and recolour hair, lips, skin, brows and teeth, face by face.',
  fields: ATTRIBUTE_FIELDS,
};

const parse = optionsParser<AttributeOptions>(ATTRIBUTES_DESCRIPTOR);

/** The photo's faces to edit, by index; throws NOT_FOUND when there is none and BAD_INPUT past the last. */
export function chooseFaces(faces: readonly FaceFrame[], options: AttributeOptions): number[] {
  const count = faces.length;
  if (count === 0) {
    throw new SeamError('NOT_FOUND', 'Face attributes: no face found in the photo. Use a photo where a face is clearly visible.', { faces: 0 });
  }
  if (options.allFaces) return Array.from({ length: count }, (_, i) => i);
  if (options.face === -1) return [largestFace(faces)];
  if (options.face >= count) {
    const faces = count === 1 ? 'only 1 face' : `${count} faces`;
    throw new SeamError('BAD_INPUT', `Face attributes: option face is ${options.face}, but the photo has ${faces} (numbered 0 to ${count - 1}, left to right).`, {
      option: 'face',
      faces: count,
    });
  }
  return [options.face];
}

const module: ProcessorModule<AttributeOptions> = {
  descriptor: ATTRIBUTES_DESCRIPTOR,
  models: ['face_detection_short_range', 'face_detection_full_range', 'face_landmark', 'selfie_segmentation', 'selfie_segmentation_landscape'],
  parseOptions: parse,
  describe(options) {
    // Only the sliders that were moved: forty zeros would bury the line.
    const moved = Object.fromEntries(SLIDER_KEYS.filter((k) => options[k] !== 0).map((k) => [k, options[k]]));
    return describeOptions('attributes', { ...moved, ...(options.allFaces ? {} : { face: options.face }) });
  },
  create() {
    const states = new WeakMap<FrameAnalysis, AttributeFrameState>();
    return {
      async process(frame, options, ctx) {
        const { image } = frame;
        const region = new Uint8Array(image.width * image.height);
        const geometry = hasGeometry(options);
        if (!geometry && !hasAppearance(options)) return { image: cloneImage(image), region, notes: [] };
        let state = states.get(frame.analysis);
        if (!state) states.set(frame.analysis, (state = new AttributeFrameState(frame.analysis)));
        const faces = await state.faces(ctx.signal);
        const chosen = chooseFaces(faces, options);
        let out: RasterImage;
        if (hasAppearance(options)) {
          const done = await state.appearanceResult(options, chosen, ctx.signal);
          out = { ...image, data: done.data.slice() };
          region.set(done.region);
        } else out = cloneImage(image);
        const notes: string[] = [];
        if (geometry) {
          for (const i of chosen) {
            ctx.signal?.throwIfAborted();
            const fold = warpFace(out, faces[i]!, options, region);
            if (fold && fold.scale < 1) {
              const which = faces.length > 1 ? `face ${i}` : 'the face';
              notes.push(`${which}: the shape sliders together would fold the picture; applied at ${Math.round(fold.scale * 100)} %`);
            }
          }
        }
        return { image: out, region, notes };
      },
      async dispose() {},
    };
  },
};

/** The index of the widest face (the oval's width, which the sliders scale with). */
function largestFace(faces: readonly { width: number }[]): number {
  let best = 0;
  for (let i = 1; i < faces.length; i++) if (faces[i]!.width > faces[best]!.width) best = i;
  return best;
}

export const attributesProcessor = defineProcessor(module);
