/**
 * The contract's video methods. A clip reaches the engine as an upload (upload-contract.ts) and is
 * opened by its file id; the page then asks for thumbnails, for the face tracks of the whole clip,
 * for the processed preview of any one frame, and for a render (a job with progress, cancellable,
 * resumable), whose result it reads back in chunks to save. Every edit is one VideoEditPlan:
 * the photo edit steps, which face track they apply to, per-range overrides, keyframed slider
 * values, and mask corrections that follow a tracked face.
 */
import { z } from 'zod';
import { EditStepSchema } from './editor-contract';
import { FileIdSchema, MAX_UPLOAD_CHUNK_BYTES } from './upload-contract';
import { VIDEO_CODECS, VIDEO_CONTAINERS, videoQualityProblem } from './video-codecs';

export const VideoIdSchema = z.string().regex(/^vid-[0-9a-f]{12}$/, 'not a video id');
export const RenderIdSchema = z.string().regex(/^render-[0-9a-f]{12}$/, 'not a render id');

const Uint8 = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected a Uint8Array');
/** 10 hours at 240 fps: above any real clip, and a bound on every frame index a call may carry. */
const MAX_FRAME = 10 * 3600 * 240;
const FrameIndex = z.number().int().min(0).max(MAX_FRAME);
const TrackId = z.number().int().min(0).max(1_000_000);
const MAX_MASK_PIXELS = 40_000_000;

/** Which face track the edit applies to over a range of frames: a track id, every face, or none. */
export const TrackChoiceSchema = z.union([
  z.object({ kind: z.literal('track'), trackId: TrackId }).strict(),
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('none') }).strict(),
]);
export type TrackChoice = z.infer<typeof TrackChoiceSchema>;

/** From `fromFrame` to `toFrame` (both included) the choice replaces the plan's own. Later overrides win. */
export const RangeOverrideSchema = z
  .object({ fromFrame: FrameIndex, toFrame: FrameIndex, target: TrackChoiceSchema })
  .strict()
  .refine((o) => o.toFrame >= o.fromFrame, 'toFrame must not be before fromFrame');

/**
 * A slider value at one frame: option `key` of step `stepIndex` is `value` there, and between two
 * keyframes of the same option the value is interpolated linearly (held before the first and after
 * the last). Only number options are keyframed.
 */
export const KeyframeSchema = z
  .object({ stepIndex: z.number().int().min(0).max(15), key: z.string().min(1).max(64), frame: FrameIndex, value: z.number().finite() })
  .strict();

/**
 * A mask painted on one frame, at the clip's size (0..255): `exclude` keeps the source's pixels
 * where it is painted, `include` lets the edit reach there too. It is tied to a face track and
 * follows that face (moved and scaled with it) for `spanFrames` frames either side.
 */
export const MaskCorrectionSchema = z
  .object({
    frame: FrameIndex,
    trackId: TrackId,
    spanFrames: z.number().int().min(0).max(10_000),
    mode: z.enum(['exclude', 'include']),
    mask: z
      .object({ width: z.number().int().positive(), height: z.number().int().positive(), data: Uint8 })
      .strict()
      .refine((m) => m.width * m.height <= MAX_MASK_PIXELS && m.data.length === m.width * m.height, 'mask data must hold width × height values'),
  })
  .strict();

export const VideoEditPlanSchema = z
  .object({
    steps: z.array(EditStepSchema).min(1).max(16),
    /** The default for every frame no override covers. */
    target: TrackChoiceSchema.default({ kind: 'all' }),
    overrides: z.array(RangeOverrideSchema).max(1000).default([]),
    keyframes: z.array(KeyframeSchema).max(10_000).default([]),
    maskCorrections: z.array(MaskCorrectionSchema).max(64).default([]),
  })
  .strict();
export type VideoEditPlanInput = z.input<typeof VideoEditPlanSchema>;
export type VideoEditPlan = z.output<typeof VideoEditPlanSchema>;

export const VideoInfoSchema = z.object({
  videoId: VideoIdSchema,
  name: z.string(),
  /** Upright size (after the rotation the container asks for). */
  width: z.number().int(),
  height: z.number().int(),
  /** Frames in the clip (counted by decoding when the container does not say). */
  frameCount: z.number().int(),
  /** As ffprobe gives it, e.g. "30000/1001". */
  frameRate: z.string(),
  variableFrameRate: z.boolean(),
  durationSeconds: z.number(),
  rotation: z.number(),
  hasAudio: z.boolean(),
  codec: z.string(),
  /** What Seam does with this clip that the user should know: rotation applied, odd size cropped, 10-bit made 8-bit, variable rate kept. */
  notes: z.array(z.string()),
});
export type VideoInfo = z.infer<typeof VideoInfoSchema>;

const FaceBoxSchema = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });

export const videoMethods = {
  /** Opens an uploaded clip: probes it and refuses what Seam cannot render, with the reason. */
  openVideo: {
    args: z.tuple([z.object({ fileId: FileIdSchema }).strict()]),
    result: VideoInfoSchema,
  },
  /** `count` frames spread evenly over the clip, `height` pixels tall, as JPEG bytes. */
  videoThumbnails: {
    args: z.tuple([
      z.object({ videoId: VideoIdSchema, count: z.number().int().min(1).max(200), height: z.number().int().min(16).max(360) }).strict(),
    ]),
    result: z.object({
      thumbnails: z.array(z.object({ frame: z.number().int(), seconds: z.number(), width: z.number().int(), height: z.number().int(), jpeg: Uint8 })),
    }),
  },
  /** Follows every face through the clip (a job with progress); the result is kept for previews and renders. */
  trackVideo: {
    args: z.tuple([z.object({ videoId: VideoIdSchema }).strict()]),
    result: z.object({
      tracks: z.array(
        z.object({ trackId: z.number().int(), firstFrame: z.number().int(), lastFrame: z.number().int(), frames: z.number().int(), box: FaceBoxSchema }),
      ),
    }),
  },
  /**
   * One frame, upright, RGBA: the source's pixels, or with `plan` the edit as the render would
   * make it on that frame (overrides, keyframes and mask corrections applied). The faces on the
   * frame come with their track ids once trackVideo has run.
   */
  videoFrame: {
    args: z.tuple([z.object({ videoId: VideoIdSchema, frame: FrameIndex, plan: VideoEditPlanSchema.optional() }).strict()]),
    result: z.object({
      frame: z.number().int(),
      seconds: z.number(),
      width: z.number().int(),
      height: z.number().int(),
      pixels: Uint8,
      /** 0..255: where the edit may have changed the frame (all zero without a plan). */
      region: Uint8,
      faces: z.array(z.object({ trackId: z.number().int().nullable(), box: FaceBoxSchema })),
      notes: z.array(z.string()),
    }),
  },
  /**
   * Renders the clip with the plan (a job: progress with frames, fps and time left; cancelJob
   * stops it). The same videoId, plan and settings after a cancel or a crash resume from the
   * finished segments. The output stays in the engine's folder until read and discarded.
   */
  renderVideo: {
    args: z.tuple([
      z
        .object({
          videoId: VideoIdSchema,
          plan: VideoEditPlanSchema,
          container: z.enum(VIDEO_CONTAINERS).default('mp4'),
          /** One of the codecs videoCodecs says this engine's ffmpeg has (the engine refuses the others). */
          codec: z.enum(VIDEO_CODECS).default('libx264'),
          /** On the codec's own scale (VIDEO_CODEC_FACTS); absent: the codec's default. Not for ProRes. */
          crf: z.number().int().min(0).max(63).optional(),
          /** One of the codec's presets (fastest first in VIDEO_CODEC_FACTS); absent: its default. */
          preset: z.string().max(32).optional(),
          /** ProRes only: proxy, lt, standard or hq; absent: hq. */
          profile: z.string().max(32).optional(),
          fromFrame: FrameIndex.optional(),
          toFrame: FrameIndex.optional(),
        })
        .strict()
        .superRefine((settings, ctx) => {
          // The codec decides which CRF range, which presets, whether a profile, and which files hold it.
          const problem = videoQualityProblem(settings, settings.container);
          if (problem) ctx.addIssue({ code: 'custom', path: [problem.option], message: problem.message });
        }),
    ]),
    result: z.object({
      renderId: RenderIdSchema,
      name: z.string(),
      size: z.number().int(),
      frames: z.number().int(),
      resumedFrames: z.number().int(),
      fps: z.number(),
      durationSeconds: z.number(),
      audio: z.string(),
      notes: z.array(z.string()),
    }),
  },
  /** The codecs renderVideo can write with this engine's ffmpeg (in VIDEO_CODECS order; libx264 first where it has it). */
  videoCodecs: {
    args: z.tuple([]),
    result: z.object({ codecs: z.array(z.enum(VIDEO_CODECS)) }),
  },
  /** Reads a finished render in chunks, so the page can save it however large it is. */
  readRender: {
    args: z.tuple([
      z.object({ renderId: RenderIdSchema, offset: z.number().int().min(0), length: z.number().int().min(1).max(MAX_UPLOAD_CHUNK_BYTES) }).strict(),
    ]),
    result: z.object({ bytes: Uint8, size: z.number().int() }),
  },
  discardRender: {
    args: z.tuple([z.object({ renderId: RenderIdSchema }).strict()]),
    result: z.boolean(),
  },
  closeVideo: {
    args: z.tuple([z.object({ videoId: VideoIdSchema }).strict()]),
    result: z.boolean(),
  },
} as const;
