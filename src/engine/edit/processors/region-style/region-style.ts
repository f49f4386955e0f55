/**
 * The region-style processor: SEAN's per-region style swap and interpolation as a processor. Style
 * codes are measured on one reference photo (or two, mixed by a slider) and applied inside each
 * region of the photo being edited with that region's alpha. The codes of a reference are
 * measured once per instance, so a clip or a slider drag reuses them.
 */
import { SeamError } from '../../../../shared/errors';
import { LABELS, type LabelName } from '../../../../shared/labels';
import type { ProcessorDescriptor } from '../../../../shared/processor-options';
import type { ColorTransferMethod } from '../../pixel/color/color-transfer';
import { describeOptions, optionsParser } from '../../options';
import { styleReferenceFields } from '../../style-reference-fields';
import { defineProcessor, type ProcessContext } from '../../processor';
import { applyStyleCodes } from './apply-style-codes';
import { computeStyleCodes, mixStyleCodes, type RegionStyleCodes } from './style-codes';

export interface RegionStyleOptions {
  reference: string;
  reference2?: string;
  mix: number;
  regions: Record<LabelName, number>;
  detail: number;
  method: ColorTransferMethod;
}

/** Regions that exist without a face: the person's body and the background. */
const FACELESS_REGIONS: ReadonlySet<LabelName> = new Set(['background', 'cloth']);

export const regionStyleDescriptor: ProcessorDescriptor = {
  id: 'region-style',
  title: 'Region style',
  description: "Gives chosen regions (hair, skin, lips, clothes, background…) the colours and texture of the same regions in a reference photo, or a mix of two references.",
  fields: [
    ...styleReferenceFields('How much of the reference style each region takes; 0 leaves a region as it is.'),
    { kind: 'number', key: 'detail', label: 'Texture', min: 0, max: 1, step: 0.01, default: 1, help: "How much of the reference's texture strength to take (0: colours only)." },
    {
      kind: 'choice',
      key: 'method',
      label: 'Colour match',
      choices: [
        { value: 'mean-std', label: 'Per channel (robust)' },
        { value: 'covariance', label: 'Full covariance (tinted highlights)' },
      ],
      default: 'mean-std',
    },
  ],
};

const parseOptions = optionsParser<RegionStyleOptions>(regionStyleDescriptor);

export const regionStyle = defineProcessor<RegionStyleOptions>({
  descriptor: regionStyleDescriptor,
  models: ['face_detection_short_range', 'face_detection_full_range', 'face_landmark', 'selfie_segmentation', 'selfie_segmentation_landscape'],
  parseOptions,
  describe(options) {
    const regions = Object.fromEntries(LABELS.filter((l) => options.regions[l.name] > 0).map((l) => [l.name, options.regions[l.name]]));
    const { reference2, ...rest } = options;
    return describeOptions('region-style', { ...rest, ...(reference2 ? { reference2 } : { mix: undefined }), regions });
  },
  create() {
    const codesByPhoto = new Map<string, Promise<RegionStyleCodes>>();
    const codesOf = (reference: string, ctx: ProcessContext, needsFace: boolean): Promise<RegionStyleCodes> => {
      const key = `${reference}\u0000${needsFace}`;
      let codes = codesByPhoto.get(key);
      if (!codes) {
        codes = (async () => {
          const photo = await ctx.loadPhoto(reference);
          const labels = await photo.analysis.labels(ctx.signal);
          if (needsFace && labels.faceCount === 0) {
            throw new SeamError('NOT_FOUND', `No face found in the style photo ${photo.path}: face and hair regions need one. Choose a photo with a visible face.`);
          }
          return computeStyleCodes(photo.image, labels);
        })();
        codes.catch(() => codesByPhoto.delete(key));
        codesByPhoto.set(key, codes);
      }
      return codes;
    };
    return {
      async process(frame, options, ctx) {
        const weighted = LABELS.filter((l) => options.regions[l.name] > 0).map((l) => l.name);
        if (weighted.length === 0) {
          return { image: { ...frame.image, data: frame.image.data.slice() }, region: new Uint8Array(frame.image.width * frame.image.height), notes: ['Region style: every region is at 0; nothing changed.'] };
        }
        const needsFace = weighted.some((name) => !FACELESS_REGIONS.has(name));
        const labels = await frame.analysis.labels(ctx.signal);
        if (needsFace && labels.faceCount === 0) {
          throw new SeamError('NOT_FOUND', 'No face found in the photo being edited: face and hair regions need one.', { photo: 'target' });
        }
        const first = await codesOf(options.reference, ctx, needsFace);
        const codes =
          options.reference2 && options.mix > 0 ? mixStyleCodes(first, await codesOf(options.reference2, ctx, needsFace), options.mix) : first;
        ctx.signal?.throwIfAborted();
        return applyStyleCodes(frame.image, labels, codes, options.regions, { method: options.method, detail: options.detail });
      },
      async dispose() {
        codesByPhoto.clear();
      },
    };
  },
});
