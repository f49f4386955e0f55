/**
 * The neural region-style processor: SEAN's own editing (Zhu et al. 2020) inside Seam. Each face
 * is cropped the CelebA-HQ way, SEAN's encoder turns the crop and its labels into one style code
 * per region, the weighted regions' codes move toward a reference photo's (or a mix of two) by
 * their alpha, SEAN's generator redraws the crop from the codes with noise drawn from `seed`, and
 * the redrawn weighted regions are blended back into the photo. The same options (seed included,
 * which the edit step stores) render the same pixels.
 *
 * Unlike the analytic region style, this synthesises texture (curls, strands, skin) instead of
 * moving statistics; it draws at 256 × 256 only, and needs SEAN's checkpoint imported by the user.
 */
import { SeamError } from '../../../../shared/errors';
import { LABELS, labelId, type LabelName } from '../../../../shared/labels';
import type { ProcessorDescriptor } from '../../../../shared/processor-options';
import type { RasterImage } from '../../../image/image';
import type { LabelMap } from '../../../vision/label-map/label-map';
import { softLabelMask } from '../../../vision/label-map/soft-masks';
import { alignFaceFromLandmarks, type FaceAlignment } from '../../../vision/face-align/face-alignment';
import { pasteAligned } from '../../../vision/face-align/paste-aligned';
import { warpAlignedLabels, warpAlignedPixels } from '../../../vision/face-align/warp-aligned';
import { describeOptions, optionsParser } from '../../options';
import { styleReferenceFields } from '../../style-reference-fields';
import { defineProcessor, type ProcessContext } from '../../processor';
import { labelTitle, mixCodes, mixReferences, presentLabels, referenceCodes, type EncodedCrop, type ReferenceCodes } from './mix-codes';
import { findSeanModels, SEAN_CODE_LENGTH, SEAN_SIZE, SeanRunner } from './sean-models';
import { generatedCrop, oneHotLabels, toPlanar } from './sean-tensors';

export interface NeuralRegionStyleOptions {
  reference: string;
  reference2?: string;
  mix: number;
  regions: Record<LabelName, number>;
  seed: number;
}

/** Regions that reach past the head crop: they change only inside it. */
const BEYOND_CROP: ReadonlySet<LabelName> = new Set(['background', 'cloth']);

export const neuralRegionStyleDescriptor: ProcessorDescriptor = {
  id: 'neural-region-style',
  title: 'Neural region style',
  description:
    "Redraws chosen face and hair regions with SEAN's generator in the style of a reference photo (or a mix of two): texture, not just colour. Needs SEAN's CelebA-HQ checkpoint imported in the model manager.",
  fields: [
    ...styleReferenceFields("How far each region's style code moves toward the reference's; a region above 0 is redrawn by the generator, 0 leaves it as it is."),
    {
      kind: 'seed',
      key: 'seed',
      label: 'Variation',
      default: 0,
      help: "The generator's noise comes from this number: the same seed redraws the same pixels, another seed another variation.",
    },
  ],
};

const parseOptions = optionsParser<NeuralRegionStyleOptions>(neuralRegionStyleDescriptor);

interface AlignedFace {
  alignment: FaceAlignment;
  labels: Uint8Array;
  oneHot: Float32Array;
  encoded: EncodedCrop;
}

/** Crops, one-hots and encodes one face. */
async function encodeFace(runner: SeanRunner, image: RasterImage, labelMap: LabelMap, alignment: FaceAlignment, signal?: AbortSignal): Promise<AlignedFace> {
  const labels = warpAlignedLabels(labelMap, alignment);
  const oneHot = oneHotLabels(labels, SEAN_SIZE);
  const pixels = toPlanar(warpAlignedPixels(image, alignment, [-1, 1]), SEAN_SIZE);
  const codes = await runner.encode(pixels, oneHot, signal);
  return { alignment, labels, oneHot, encoded: { codes, present: presentLabels(labels, SEAN_SIZE) } };
}

/** The blend weight of one face: the weighted regions' soft masks, where this face is the nearest one. */
function faceWeight(labelMap: LabelMap, ids: readonly number[], faces: readonly FaceAlignment[], index: number): Float32Array {
  const own = faces[index]!;
  const feather = Math.max(2, Math.round(own.sideInImage / 128));
  const weight = new Float32Array(labelMap.width * labelMap.height);
  for (const id of ids) {
    const mask = softLabelMask(labelMap, id, { feather });
    for (let p = 0; p < weight.length; p++) weight[p] = Math.min(1, weight[p]! + mask[p]!);
  }
  if (faces.length > 1) {
    // A pixel belongs to the face whose crop centre is nearest, measured in that face's size, so
    // two crops never both redraw one pixel.
    const { width } = labelMap;
    const distance = (f: FaceAlignment, x: number, y: number) => Math.hypot(x - f.center.x, y - f.center.y) / f.sideInImage;
    for (let p = 0; p < weight.length; p++) {
      if (weight[p] === 0) continue;
      const x = (p % width) + 0.5;
      const y = Math.floor(p / width) + 0.5;
      const mine = distance(own, x, y);
      if (faces.some((f, j) => j !== index && distance(f, x, y) < mine)) weight[p] = 0;
    }
  }
  return weight;
}

const names = (ids: readonly number[]) => ids.map(labelTitle).join(', ');

export const neuralRegionStyle = defineProcessor<NeuralRegionStyleOptions>({
  descriptor: neuralRegionStyleDescriptor,
  models: ['face_detection_short_range', 'face_detection_full_range', 'face_landmark', 'selfie_segmentation', 'selfie_segmentation_landscape', 'sean-celebahq-encoder', 'sean-celebahq-generator'],
  parseOptions,
  describe(options) {
    const regions = Object.fromEntries(LABELS.filter((l) => options.regions[l.name] > 0).map((l) => [l.name, options.regions[l.name]]));
    const { reference2, ...rest } = options;
    return describeOptions('neural-region-style', { ...rest, ...(reference2 ? { reference2 } : { mix: undefined }), regions });
  },
  create(deps) {
    const references = new Map<string, Promise<{ codes: ReferenceCodes; faces: number }>>();
    /** Per frame pixels and label map: each face's crop and codes, so a slider drag encodes once. */
    const targets = new WeakMap<Uint8Array, WeakMap<LabelMap, Map<string, Promise<AlignedFace>>>>();

    const referenceOf = (path: string, runner: SeanRunner, ctx: ProcessContext) => {
      const key = `${path}\u0000${runner.models.encoder.entry.sha256}`;
      let found = references.get(key);
      if (!found) {
        found = (async () => {
          const photo = await ctx.loadPhoto(path);
          const faces = await photo.analysis.meshedFaces(ctx.signal);
          if (faces.length === 0) throw new SeamError('NOT_FOUND', `No face found in the style photo ${photo.path}: neural region style takes its styles from a face. Choose a photo with a visible face.`);
          const labelMap = await photo.analysis.labels(ctx.signal);
          const alignments = faces.map((f) => alignFaceFromLandmarks(f.landmarks.points));
          const largest = alignments.reduce((a, b) => (b.sideInImage > a.sideInImage ? b : a));
          const face = await encodeFace(runner, photo.image, labelMap, largest, ctx.signal);
          return { codes: referenceCodes(face.encoded, SEAN_CODE_LENGTH), faces: faces.length };
        })();
        found.catch(() => references.delete(key));
        references.set(key, found);
      }
      return found;
    };

    const targetFace = (image: RasterImage, labelMap: LabelMap, alignment: FaceAlignment, index: number, runner: SeanRunner, signal?: AbortSignal) => {
      let byLabels = targets.get(image.data);
      if (!byLabels) targets.set(image.data, (byLabels = new WeakMap()));
      let byFace = byLabels.get(labelMap);
      if (!byFace) byLabels.set(labelMap, (byFace = new Map()));
      const key = `${runner.models.encoder.entry.sha256}:${index}`;
      let face = byFace.get(key);
      if (!face) {
        face = encodeFace(runner, image, labelMap, alignment, signal);
        const cache = byFace;
        face.catch(() => cache.delete(key));
        byFace.set(key, face);
      }
      return face;
    };

    return {
      async process(frame, options, ctx) {
        const { image } = frame;
        const weighted = LABELS.filter((l) => options.regions[l.name] > 0).map((l) => l.name);
        if (weighted.length === 0) {
          return { image: { ...image, data: image.data.slice() }, region: new Uint8Array(image.width * image.height), notes: ['Neural region style: every region is at 0; nothing changed.'] };
        }
        const runner = new SeanRunner(await findSeanModels(deps.paths), deps.pool);
        const faces = await frame.analysis.meshedFaces(ctx.signal);
        if (faces.length === 0) {
          throw new SeamError('NOT_FOUND', 'No face found in the photo being edited: neural region style redraws a face and its hair, so it needs one.', { photo: 'target' });
        }
        const labelMap = await frame.analysis.labels(ctx.signal);
        const first = await referenceOf(options.reference, runner, ctx);
        const second = options.reference2 && options.mix > 0 ? await referenceOf(options.reference2, runner, ctx) : null;
        const styles = mixReferences(first.codes, second?.codes ?? null, options.mix);
        const alphas = LABELS.map((l) => options.regions[l.name]);

        const notes: string[] = [];
        if (first.faces > 1 || (second?.faces ?? 0) > 1) notes.push('Neural region style: a style photo has more than one face; its largest face was used.');
        for (const [id, from] of first.codes.borrowed) {
          if (alphas[id]! > 0) notes.push(`Neural region style: the style photo has no ${labelTitle(id)}; the ${labelTitle(from)}'s style was used for it.`);
        }
        if (weighted.some((name) => BEYOND_CROP.has(name))) {
          notes.push('Neural region style: SEAN sees only the head crop, so background and clothes change only inside it, fading out at its edge.');
        }

        const alignments = faces.map((f) => alignFaceFromLandmarks(f.landmarks.points));
        const weightedIds = weighted.map((name) => labelId(name));
        let current = image;
        const region = new Uint8Array(image.width * image.height);
        for (const [index, alignment] of alignments.entries()) {
          ctx.signal?.throwIfAborted();
          ctx.onProgress?.({ stage: 'neural-region-style', done: index, total: alignments.length, message: `face ${index + 1} of ${alignments.length}` });
          const face = await targetFace(image, labelMap, alignment, index, runner, ctx.signal);
          const mixed = mixCodes(face.encoded, styles, alphas, SEAN_CODE_LENGTH);
          const who = alignments.length > 1 ? `face ${index + 1}` : 'the face';
          if (mixed.absentInTarget.length > 0) notes.push(`Neural region style: ${who} has no ${names(mixed.absentInTarget)} in its crop; nothing to restyle there.`);
          if (mixed.keptOwn.length > 0) {
            notes.push(`Neural region style: the style photo has no ${names(mixed.keptOwn)}; ${who} keeps its own style code there (SEAN's dataset-mean codes were never published).`);
          }
          const redrawn = weightedIds.filter((id) => face.encoded.present[id]);
          if (redrawn.length === 0) continue;
          const generated = await runner.generate(face.oneHot, mixed.codes, options.seed, ctx.signal);
          const pasted = pasteAligned(current, generatedCrop(generated, SEAN_SIZE), alignment, faceWeight(labelMap, redrawn, alignments, index));
          current = pasted.image;
          for (let p = 0; p < region.length; p++) if (pasted.region[p]! > region[p]!) region[p] = pasted.region[p]!;
          if (alignment.sideInImage > SEAN_SIZE) {
            notes.push(
              `Neural region style: ${who} spans ${Math.round(alignment.sideInImage)} px in its crop, but SEAN draws ${SEAN_SIZE} × ${SEAN_SIZE}: the generated detail was enlarged ${(alignment.sideInImage / SEAN_SIZE).toFixed(1)}× and is softer than the photo around it.`,
            );
          }
        }
        return { image: current === image ? { ...image, data: image.data.slice() } : current, region, notes };
      },
      async dispose() {
        references.clear();
      },
    };
  },
});
