/**
 * The face-swap processor: the face of a source photo put onto a face (or every face) of the
 * frame, keeping the frame's pose, expression geometry, light and colour. Landmark-driven and
 * model-free beyond the vision pipeline's 468-point mesh: see this folder's README for the method
 * and its limits.
 */
import { basename } from 'node:path';
import { SeamError } from '../../../../shared/errors';
import { cloneImage, type RasterImage } from '../../../image/image';
import { faceSignature, signatureDistance } from '../../../vision/tracking/face-signature';
import { describeOptions } from '../../options';
import { defineProcessor, type LoadedPhoto, type ProcessorModule } from '../../processor';
import { chooseFace, flatPoints, type MeshedFace } from './choose-faces';
import { FACE_SWAP_DESCRIPTOR, parseFaceSwapOptions, type FaceSwapOptions } from './face-swap-options';
import { openingNotes } from './openings';
import { swapFaceInto } from './swap-face';
import { SwapSource } from './swap-source';

const module: ProcessorModule<FaceSwapOptions> = {
  descriptor: FACE_SWAP_DESCRIPTOR,
  models: ['face_detection_short_range', 'face_detection_full_range', 'face_landmark'],
  // Everything happens in the target face's landmark box (swap-face.ts faceWindow): its warp,
  // masks, colour matching, and the cheek samples for skin.
  faceReach: 0,
  parseOptions: parseFaceSwapOptions,
  describe(options) {
    // The source's file name only: a provenance line should not publish the user's folders.
    return describeOptions('face-swap', {
      ...options,
      source: basename(options.source),
      ...(options.targetLike ? { targetLike: basename(options.targetLike) } : {}),
      keep: options.keep.join(',') || 'none',
    });
  },
  create() {
    // Per source face (an analysed photo's face objects stay the same while the photo is loaded):
    // what a swap needs from it that no frame changes, prepared once for a whole clip.
    const sources = new WeakMap<MeshedFace, SwapSource>();
    return {
      async process(frame, options, ctx) {
        const region = new Uint8Array(frame.image.width * frame.image.height);
        if (options.strength === 0) return { image: frame.image, region, notes: [] };
        const source = await ctx.loadPhoto(options.source);
        const sourceRole = { which: 'source', photo: `the source photo ${options.source}`, option: 'sourceFace' } as const;
        const sourceFace = chooseFace(await source.analysis.meshedFaces(ctx.signal), options.sourceFace, sourceRole);
        const faces = await frame.analysis.meshedFaces(ctx.signal);
        const targetRole = { which: 'target', photo: 'the photo being edited', option: 'targetFace' } as const;
        // allFaces still needs one face at least: chooseFace says so when there is none.
        const first =
          options.targetLike && !options.allFaces
            ? await faceMostLike(faces, frame.image, await ctx.loadPhoto(options.targetLike), ctx.signal)
            : chooseFace(faces, options.allFaces ? -1 : options.targetFace, targetRole);
        const targets: MeshedFace[] = options.allFaces ? faces : [first];
        const image = cloneImage(frame.image);
        let swapSource = sources.get(sourceFace);
        if (!swapSource) {
          swapSource = new SwapSource(source.image, flatPoints(sourceFace.landmarks));
          sources.set(sourceFace, swapSource);
        }
        const notes: string[] = [];
        for (const [i, target] of targets.entries()) {
          ctx.signal?.throwIfAborted();
          const settings = { keep: options.keep, strength: options.strength, colorMatch: options.colorMatch, blendFeather: options.blendFeather / 100 };
          const kept = swapFaceInto(image, region, swapSource, flatPoints(target.landmarks), settings);
          const which = targets.length > 1 ? `face ${i}` : 'the face';
          notes.push(...(kept ? openingNotes(which, kept) : [`${which} lies outside the picture; left as it is`]));
        }
        return { image, region, notes };
      },
      async dispose() {},
    };
  },
};

/**
 * The target face most like the largest face of `reference`, by the tracker's face signature
 * (mesh geometry in the face's own frame, and skin chromaticity). Not face recognition: it
 * tells apart the few people in one photo, which is what choosing whom to replace needs.
 */
async function faceMostLike(faces: MeshedFace[], image: RasterImage, reference: LoadedPhoto, signal?: AbortSignal): Promise<MeshedFace> {
  const role = { which: 'source', photo: `the reference photo ${reference.path}`, option: 'targetLike' } as const;
  const wanted = chooseFace(await reference.analysis.meshedFaces(signal), -1, role);
  const wantedSignature = faceSignature(reference.image, wanted.landmarks.points);
  if (faces.length === 0) throw new SeamError('NOT_FOUND', 'No face found in the photo being edited.');
  let best = faces[0]!;
  let bestDistance = Infinity;
  for (const face of faces) {
    const distance = signatureDistance(wantedSignature, faceSignature(image, face.landmarks.points));
    if (distance < bestDistance) [best, bestDistance] = [face, distance];
  }
  return best;
}

export const faceSwapProcessor = defineProcessor(module);
