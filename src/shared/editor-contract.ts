/**
 * The contract's editor methods: open a photo (its bytes, sent by the page), analyse it, preview
 * and export edits. Photos are referred to by the id the engine gives them; a processor option
 * that names a photo uses "image:<id>" for one that is open. Schemas bound every size so a
 * malformed or hostile call cannot make the engine allocate without limit.
 */
import { z } from 'zod';
import { ProcessorDescriptorSchema } from './processor-schema';

/** 200 MB: above any photo a camera writes, far below what would hurt the engine. */
export const MAX_IMAGE_BYTES = 200 * 1024 * 1024;
const MAX_PIXELS = 100_000_000;

export const ImageIdSchema = z.string().regex(/^img-[0-9a-z]{1,24}$/, 'not an image id');
// z.custom keeps the plain Uint8Array type (any backing buffer), which z.instanceof narrows.
const Uint8 = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected a Uint8Array');
const Float32 = z.custom<Float32Array>((value) => value instanceof Float32Array, 'expected a Float32Array');

/**
 * Where a step may change the photo: 0..255 per pixel at the photo's size (the engine checks the
 * size against the photo). Outside it the step's result is the step's input, byte for byte.
 */
export const EditMaskSchema = z
  .object({ width: z.number().int().positive(), height: z.number().int().positive(), data: Uint8 })
  .strict()
  .refine((m) => m.width * m.height <= MAX_PIXELS && m.data.length === m.width * m.height, 'mask data must hold width × height values');

export const EditStepSchema = z
  .object({
    processor: z.string().min(1).max(64),
    // Each processor validates its own options (ranges, choices) against its descriptor.
    options: z.record(z.string().max(64), z.unknown()),
    /** Optional, so calls from before masks limited edits stay valid. */
    mask: EditMaskSchema.optional(),
  })
  .strict();
export type EditStepInput = z.infer<typeof EditStepSchema>;

export const EditedLabelsSchema = z
  .object({ width: z.number().int().positive(), height: z.number().int().positive(), data: Uint8 })
  .strict()
  .refine((l) => l.width * l.height <= MAX_PIXELS && l.data.length === l.width * l.height, 'label data must hold width × height values');

const FaceSchema = z.object({
  box: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }),
  score: z.number(),
  /** 468 × (x, y) in image pixels, or null when the mesh rejected the detection. */
  landmarks: Float32.nullable(),
});

/** A rectangle of photo pixels, half-open: [x, x + width) × [y, y + height). */
const PreviewBoxSchema = z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int(), height: z.number().int() });

export const editorMethods = {
  listProcessors: {
    args: z.tuple([]),
    result: z.array(ProcessorDescriptorSchema),
  },
  openImage: {
    args: z.tuple([
      z
        .object({ name: z.string().min(1).max(255), bytes: Uint8.refine((b) => b.byteLength <= MAX_IMAGE_BYTES, 'file larger than 200 MB') })
        .strict(),
    ]),
    result: z.object({
      imageId: ImageIdSchema,
      name: z.string(),
      width: z.number().int(),
      height: z.number().int(),
      format: z.string(),
      /** RGBA, row-major, ready for ImageData. */
      pixels: Uint8,
    }),
  },
  analyzeImage: {
    args: z.tuple([z.object({ imageId: ImageIdSchema }).strict()]),
    result: z.object({
      faces: z.array(FaceSchema),
      labels: z.object({ width: z.number(), height: z.number(), data: Uint8 }),
      /** Person alpha 0..255 at image size. */
      person: Uint8,
    }),
  },
  previewEdit: {
    args: z.tuple([
      z
        .object({
          imageId: ImageIdSchema,
          steps: z.array(EditStepSchema).max(16),
          labels: EditedLabelsSchema.optional(),
          /**
           * Answer with only the box around the changed pixels (`box` in the result) instead of the
           * whole frame: a face edit on a 1080p photo is a few hundred kB instead of 10 MB. Optional,
           * so callers from before it still get whole frames.
           */
          crop: z.boolean().optional(),
        })
        .strict(),
    ]),
    result: z.object({
      /** The photo's size. */
      width: z.number().int(),
      height: z.number().int(),
      /**
       * With `crop`: where `pixels` and `region` sit in the photo (empty when nothing changed).
       * Without it, absent: they cover the whole photo.
       */
      box: PreviewBoxSchema.optional(),
      /** RGBA, row-major: the whole photo, or the box's pixels with `crop`. */
      pixels: Uint8,
      /** 0..255 per pixel of `pixels`: where the edit may have changed the photo. */
      region: Uint8,
      notes: z.array(z.string()),
      /** Milliseconds the engine spent computing this preview (the performance panel, `npm run bench ui`). */
      engineMs: z.number().optional(),
    }),
  },
  exportImage: {
    args: z.tuple([
      z
        .object({
          imageId: ImageIdSchema,
          steps: z.array(EditStepSchema).max(16),
          labels: EditedLabelsSchema.optional(),
          format: z.enum(['png', 'jpeg', 'webp']),
          quality: z.number().int().min(1).max(100).default(92),
        })
        .strict(),
    ]),
    result: z.object({ name: z.string(), bytes: Uint8, operations: z.array(z.string()) }),
  },
  closeImage: {
    args: z.tuple([z.object({ imageId: ImageIdSchema }).strict()]),
    result: z.boolean(),
  },
} as const;
