/**
 * The contract's model-manager methods: which models are installed, importing SEAN's checkpoint
 * from a file the page uploaded (by its file id: never a path from the page), removing a model the
 * user added. Importing reports progress events while it converts and checks the 1 GB checkpoint:
 * IMPORT_PROGRESS_STAGES, in that order (copy, hash and verify once per model).
 */
import { z } from 'zod';
import { FileIdSchema } from './upload-contract';

/** A model as the model manager lists it. */
export const ModelInfoSchema = z.object({
  id: z.string(),
  task: z.string(),
  builtIn: z.boolean(),
  /** Size of the .onnx file in bytes. */
  bytes: z.number(),
  licence: z.string(),
  /** Where it came from, in words: "npm @mediapipe/tasks-vision 0.10.x", "file latest_net_G.pth", a URL. */
  source: z.string(),
  /** ok / unverified: usable; missing or hash-mismatch: the file is gone or changed since it was installed. */
  status: z.enum(['ok', 'missing', 'hash-mismatch', 'unverified']),
  description: z.string().optional(),
});
export type ModelInfo = z.infer<typeof ModelInfoSchema>;

/** The tasks a user's ONNX model can be imported for (the engine checks its tensors against each). */
export const USER_MODEL_TASKS = [
  { task: 'face-detection', label: 'Face detection' },
  { task: 'face-landmarks', label: 'Face landmarks' },
  { task: 'person-segmentation', label: 'Person segmentation' },
  { task: 'style-encoder', label: 'Style encoder' },
  { task: 'style-generator', label: 'Style generator' },
] as const;
export type UserModelTask = (typeof USER_MODEL_TASKS)[number]['task'];
const UserModelTaskSchema = z.enum(USER_MODEL_TASKS.map((t) => t.task) as [UserModelTask, ...UserModelTask[]]);

/** The progress stages an import goes through: the two conversions, then the store's copy, hash and onnxruntime check. */
export const IMPORT_PROGRESS_STAGES = ['convert-encoder', 'convert-generator', 'copy', 'hash', 'verify'] as const;

export const modelMethods = {
  /** Every built-in and user model (sizes checked, hashes not: a generator is a gigabyte). */
  listModels: {
    args: z.tuple([]),
    result: z.array(ModelInfoSchema),
  },
  /** SEAN's latest_net_G.pth (uploaded first) → the encoder and generator user models, both or neither. */
  importSeanModel: {
    args: z.tuple([z.object({ fileId: FileIdSchema, fp16: z.boolean().default(false) }).strict()]),
    result: z.object({ models: z.array(ModelInfoSchema), checkpointFormat: z.enum(['legacy', 'zip']) }),
  },
  /**
   * An ONNX model (uploaded first) for one of the tasks, checked the way `seam models import`
   * checks it: loaded by onnxruntime, its inputs and outputs against the task's contract, one run.
   */
  importModel: {
    args: z.tuple([
      z
        .object({
          fileId: FileIdSchema,
          task: UserModelTaskSchema,
          id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a model id is lowercase letters, digits, dots, dashes and underscores').optional(),
        })
        .strict(),
    ]),
    result: ModelInfoSchema,
  },
  /** Removes a user model (built-in ones are refused). Resolves true when it was removed. */
  removeModel: {
    args: z.tuple([z.object({ id: z.string().min(1).max(64) }).strict()]),
    result: z.boolean(),
  },
} as const;
