/**
 * A VideoEditPlan from a JSON file, for `seam video --plan`: the contract's plan (steps, target,
 * overrides, keyframes, mask corrections) with each mask given as a grayscale image file (a path
 * relative to the plan file) instead of the contract's bytes, and photo options as paths. Then
 * the render the app makes: the clip's faces tracked once, the plan applied per frame.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import sharp from 'sharp';
import { SeamError } from '../../shared/errors';
import { VideoEditPlanSchema, type VideoEditPlan } from '../../shared/video-contract';
import type { JobContext } from '../context';
import type { EditDeps } from '../edit/processor';
import { getProcessor } from '../edit/registry';
import type { TimeRange } from '../media/ffmpeg-args';
import { locateMediaTools } from '../media/locate-ffmpeg';
import { trackClip } from './clip-tracks';
import { planKey, validatePlan } from './edit-plan';
import { createPlanEdit, type PlanEdit } from './plan-edit';
import { photoIdentities } from './tracked-edit';
import { inspectVideo } from './video-source';

export async function readPlanFile(path: string): Promise<VideoEditPlan> {
  const text = await readFile(path, 'utf8').catch(() => {
    throw new SeamError('BAD_INPUT', `Cannot read the plan ${path}.`);
  });
  let raw: { maskCorrections?: Array<Record<string, unknown>> } & Record<string, unknown>;
  try {
    raw = JSON.parse(text) as typeof raw;
  } catch (error) {
    throw new SeamError('BAD_INPUT', `The plan ${path} is not JSON: ${(error as Error).message}`);
  }
  const corrections = await Promise.all(
    (Array.isArray(raw.maskCorrections) ? raw.maskCorrections : []).map(async (c, i) => {
      if (typeof c.mask !== 'string') throw new SeamError('BAD_INPUT', `The plan ${path}: mask correction ${i + 1} needs "mask": "<grayscale image file>".`);
      const file = resolve(dirname(path), c.mask);
      const { data, info } = await sharp(file)
        .extractChannel(0)
        .raw()
        .toBuffer({ resolveWithObject: true })
        .catch((error: unknown) => {
          throw new SeamError('BAD_INPUT', `The plan ${path}: the mask ${file} of correction ${i + 1} is not an image (${(error as Error).message}).`);
        });
      return { ...c, mask: { width: info.width, height: info.height, data: new Uint8Array(data) } };
    }),
  );
  const parsed = VideoEditPlanSchema.safeParse({ ...raw, ...(corrections.length > 0 ? { maskCorrections: corrections } : {}) });
  if (!parsed.success) {
    const detail = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(plan)'}: ${issue.message}`).join('; ');
    throw new SeamError('BAD_INPUT', `The plan ${path} is not a video edit plan: ${detail}.`);
  }
  return parsed.data;
}

export interface PreparedPlanRender {
  edit: PlanEdit;
  /** For renderVideo: the plan's edit from the range's first frame on. */
  key: string;
  firstFrame: number;
  operations: string[];
  trackIds: number[];
}

/** Inspects the clip, tracks its faces (progress on ctx) and builds the per-frame edit for `range`. */
export async function preparePlanRender(
  deps: EditDeps & { bundledFfmpegDir: string },
  input: string,
  plan: VideoEditPlan,
  range: TimeRange,
  ctx: JobContext,
  /** Worker threads for the steps (PlanEditOptions.stepWorkers). */
  stepWorkers = 0,
): Promise<PreparedPlanRender> {
  const tools = await locateMediaTools({ bundledFfmpegDir: deps.bundledFfmpegDir });
  const source = await inspectVideo(tools, input, ctx);
  validatePlan(plan, { name: input, width: source.plan.width, height: source.plan.height, frameCount: source.frameCount });
  const prepared = plan.steps.map((step) => {
    const module = getProcessor(step.processor);
    return { module, options: module.parseOptions(step.options) as Record<string, unknown> };
  });
  const photos = await photoIdentities(prepared);
  const { plan: clip, frameTimes, frameCount } = source;
  const tracks = await trackClip(deps.analyzer.faces, { ffmpeg: tools.ffmpeg, input, width: clip.width, height: clip.height, evenDimensions: clip.evenDimensions, colour: clip.colour, frameRateValue: clip.frameRateValue, frameTimes, expectedFrames: frameCount }, ctx);
  // ffmpeg's input -ss keeps the frames at or after the start: the first of them is frame firstFrame.
  const start = (range.startSeconds ?? 0) - 5e-7;
  const firstFrame = Math.max(0, source.seekTimes.findIndex((t) => t >= start));
  const trackIds = tracks.summaries().map((t) => t.trackId);
  return {
    edit: createPlanEdit(deps, { plan, tracks, stepWorkers }, ctx),
    key: planKey(plan, { photos, tracker: tracks.settings }),
    firstFrame,
    operations: prepared.map(({ module, options }) => module.describe(options)),
    trackIds,
  };
}
