/**
 * The contract's video methods (src/shared/video-contract.ts) over OpenVideos and the video
 * pipeline. A clip arrives as an upload and is opened by its file id; photos a plan's steps name
 * must be photos open in the editor ("image:<id>"), never paths. A preview of a frame with a plan
 * and the render run the same per-frame code (plan-edit.ts) on the same kept face tracks.
 * Renders go to <dataDir>/renders/<renderId>/, where the id is a hash of the clip's content, the
 * plan and the settings: the same render asked again after a cancel or a crash finds its work
 * folder and keeps the finished segments.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { extname, basename, join } from 'node:path';
import type { CallContext, EngineHandlers } from '../../shared/contract';
import { SeamError } from '../../shared/errors';
import type { VideoEditPlan } from '../../shared/video-contract';
import { appVersion } from '../app-info';
import type { JobContext, Logger } from '../context';
import type { EditDeps, LoadedPhoto } from '../edit/processor';
import { getProcessor } from '../edit/registry';
import { availableVideoCodecs, requireVideoEncoder } from '../media/ffmpeg-encoders';
import { locateMediaTools } from '../media/locate-ffmpeg';
import { resolveVideoQuality } from '../media/video-codec-args';
import type { SeamPaths } from '../paths';
import type { UploadedFiles } from '../uploads/uploaded-files';
import { giveAway } from '../host/transfer';
import { trackClip, type ClipTracks } from '../video/clip-tracks';
import { planKey, validatePlan } from '../video/edit-plan';
import { createPlanEdit, type PlanFrameResult } from '../video/plan-edit';
import { fingerprintSource } from '../video/render-journal';
import { renderVideo } from '../video/render-video';
import { autoStepWorkers } from '../video/step-runner';
import { createVideoEditDeps } from '../video/video-edit-deps';
import { inspectVideo, readFrame, seekPointOf, thumbnails } from '../video/video-source';
import { toRgba } from './open-images';
import { removeStaleEntries } from '../fs/stale-entries';
import { OpenVideos, type OpenVideo } from './open-videos';

type VideoHandlers = Pick<
  EngineHandlers,
  'openVideo' | 'videoThumbnails' | 'trackVideo' | 'videoFrame' | 'renderVideo' | 'videoCodecs' | 'readRender' | 'discardRender' | 'closeVideo'
>;

export interface VideoHandlerDeps {
  paths: SeamPaths;
  logger: Logger;
  uploads: UploadedFiles;
  /** Resolves "image:<id>" to a photo open in the editor (OpenImages.resolveReference). */
  openedPhoto?: (reference: string) => LoadedPhoto | undefined;
  /** Defaults to EditDeps whose inference threads do not spin (video-edit-deps.ts). */
  editDeps?: EditDeps;
}

interface FinishedRender {
  path: string;
  name: string;
  size: number;
  result: Awaited<ReturnType<VideoHandlers['renderVideo']>>;
}

const CONTAINER_EXTENSION = { mp4: 'mp4', mov: 'mov', mkv: 'mkv' } as const;
/**
 * Resumable segments of 4 s: a cancel or a crash loses at most that much work, while a segment's
 * own ffmpeg start and first keyframe stay a few percent of its cost.
 */
const RENDER_SEGMENT_SECONDS = 4;

export function createVideoHandlers(deps: VideoHandlerDeps): VideoHandlers {
  const { paths, logger } = deps;
  const videos = new OpenVideos(paths.dataDir);
  const rendersFolder = join(paths.dataDir, 'renders');
  let editDeps = deps.editDeps;
  const edit = () => (editDeps ??= createVideoEditDeps(paths, logger));
  const tools = () => locateMediaTools({ bundledFfmpegDir: paths.bundledFfmpegDir });
  const renders = new Map<string, FinishedRender>();
  let rendersReady: Promise<void> | undefined;
  const prepareRenders = () =>
    (rendersReady ??= mkdir(rendersFolder, { recursive: true }).then(() => removeStaleEntries(rendersFolder)));

  const jobContext = (call: CallContext): JobContext => ({ logger, signal: call.signal, onProgress: (p) => call.emitProgress(p) });

  const openedPhoto = (reference: string): LoadedPhoto | undefined => deps.openedPhoto?.(reference);

  const ensureTracks = async (entry: OpenVideo, call: CallContext): Promise<ClipTracks> => {
    if (entry.tracks) return entry.tracks;
    if (!entry.tracking) {
      const { ffmpeg } = await tools();
      const { plan, frameTimes, frameCount } = entry.source;
      entry.tracking = trackClip(
        edit().analyzer.faces,
        { ffmpeg, input: entry.path, width: plan.width, height: plan.height, evenDimensions: plan.evenDimensions, colour: plan.colour, frameRateValue: plan.frameRateValue, frameTimes, expectedFrames: frameCount },
        jobContext(call),
      );
      entry.tracking.then((tracks) => (entry.tracks = tracks)).catch(() => undefined).finally(() => (entry.tracking = undefined));
    }
    return named(entry, entry.tracking);
  };

  const checkedPlan = (entry: OpenVideo, plan: VideoEditPlan) => {
    validatePlan(plan, { name: entry.name, width: entry.source.plan.width, height: entry.source.plan.height, frameCount: entry.source.frameCount });
    return { photos: photoIdentities(plan, openedPhoto) };
  };

  return {
    openVideo: async ({ fileId }, call) => {
      const file = deps.uploads.get(fileId);
      const media = await tools();
      const entry = await videos.open(file, (path) => named({ name: file.name, path }, inspectVideo(media, path, jobContext(call))));
      const { source } = entry;
      const video = source.summary.video!;
      return {
        videoId: entry.id,
        name: entry.name,
        width: source.plan.width,
        height: source.plan.height,
        frameCount: source.frameCount,
        frameRate: source.plan.frameRate,
        variableFrameRate: source.plan.variableFrameRate,
        durationSeconds: source.durationSeconds,
        rotation: video.rotation,
        hasAudio: source.summary.audioStreams.length > 0,
        codec: video.codec,
        notes: source.notes.map((note) => note.replaceAll(entry.path, entry.name)),
      };
    },

    videoThumbnails: async ({ videoId, count, height }, call) => {
      const entry = videos.get(videoId);
      const { ffmpeg } = await tools();
      const shots = await named(entry, thumbnails(ffmpeg, entry.source, count, height, jobContext(call)));
      return { thumbnails: shots.map((shot) => ({ ...shot, jpeg: giveAway(shot.jpeg) })) };
    },

    trackVideo: async ({ videoId }, call) => {
      const entry = videos.get(videoId);
      const tracks = await ensureTracks(entry, call);
      return { tracks: tracks.summaries() };
    },

    videoFrame: async ({ videoId, frame, plan }, call) => {
      const entry = videos.get(videoId);
      const { ffmpeg } = await tools();
      const decoded = await named(entry, readFrame(ffmpeg, entry.source, frame, jobContext(call)));
      const seconds = entry.source.frameTimes[frame]!;
      const { width, height } = decoded;
      if (!plan) {
        const image = decoded.toRgb();
        const faces = entry.tracks
          ? entry.tracks.facesAt(frame).map((f) => ({ trackId: f.trackId, box: f.box }))
          : (await edit().analyzer.analyze(image).faces(call.signal)).map((f) => ({ trackId: null, box: f.detection.box }));
        const notes = entry.tracks ? [] : ['Faces are not tracked yet: their track ids come with trackVideo.'];
        return { frame, seconds, width, height, pixels: giveAway(toRgba(image)), region: giveAway(new Uint8Array(width * height)), faces, notes };
      }
      if (!entry.tracks) {
        throw new SeamError('BAD_INPUT', `The faces of ${entry.name} are not tracked yet: run trackVideo before previewing an edit, so the preview is what the render will be.`);
      }
      checkedPlan(entry, plan);
      const planEdit = createPlanEdit(edit(), { plan, tracks: entry.tracks, openedPhoto }, jobContext(call));
      try {
        // The render's own edit of the decoded frame; the page sees it as the render encodes it.
        const result = await planEdit.editFrame(decoded, frame);
        return {
          frame,
          seconds,
          width,
          height,
          pixels: giveAway(toRgba(decoded.toRgb())),
          region: giveAway(frameRegion(result, width, height)),
          faces: result.faces.map((f) => ({ trackId: f.trackId, box: f.box })),
          notes: [...new Set(result.notes)],
        };
      } finally {
        await planEdit.dispose();
      }
    },

    renderVideo: async (args, call) => {
      const entry = videos.get(args.videoId);
      const { plan, container } = args;
      const last = entry.source.frameCount - 1;
      const fromFrame = args.fromFrame ?? 0;
      const toFrame = Math.min(args.toFrame ?? last, last);
      if (fromFrame > last) throw new SeamError('BAD_INPUT', `${entry.name} has frames 0 to ${last}; the render cannot start at frame ${fromFrame}.`);
      if (toFrame < fromFrame) throw new SeamError('BAD_INPUT', `The render's last frame (${toFrame}) is before its first (${fromFrame}).`);
      // The codec's defaults filled in, so the same render asked with or without them is one render.
      const quality = resolveVideoQuality({ codec: args.codec, crf: args.crf, preset: args.preset, profile: args.profile });
      await requireVideoEncoder((await tools()).ffmpeg, quality.codec);
      const { photos } = checkedPlan(entry, plan);
      const tracks = await ensureTracks(entry, call);
      const key = planKey(plan, { photos, tracker: tracks.settings });
      const fingerprint = await fingerprintSource(entry.path);
      // In this key order (and without the fields a codec lacks) an x264 render keeps the id it always had.
      const settings = { container, codec: quality.codec, crf: quality.crf, preset: quality.preset, profile: quality.profile, fromFrame, toFrame };
      const renderId = `render-${sha256(JSON.stringify({ clip: [fingerprint.sizeBytes, fingerprint.headSha256], key, settings })).slice(0, 12)}`;
      const kept = renders.get(renderId);
      if (kept && (await stat(kept.path).catch(() => undefined))?.size === kept.size) return kept.result;

      await prepareRenders();
      const folder = join(rendersFolder, renderId);
      await mkdir(folder, { recursive: true });
      const name = `${basename(entry.name, extname(entry.name))}-seam.${CONTAINER_EXTENSION[container]}`;
      const output = join(folder, name);
      const range = {
        ...(fromFrame > 0 ? { startSeconds: seekPointOf(entry.source, fromFrame) } : {}),
        ...(toFrame < last ? { endSeconds: seekPointOf(entry.source, toFrame + 1) } : {}),
      };
      const planEdit = createPlanEdit(edit(), { plan, tracks, openedPhoto, stepWorkers: autoStepWorkers() }, jobContext(call));
      try {
        const operations = plan.steps.map((step) => getProcessor(step.processor).describe(getProcessor(step.processor).parseOptions(step.options)));
        const result = await cancelSaysResume(
          entry,
          renderVideo(
            { bundledFfmpegDir: paths.bundledFfmpegDir },
            {
              input: entry.path,
              output,
              frameProcessor: planEdit.processor(fromFrame),
              framesInFlight: planEdit.framesInFlight,
              processorKey: key,
              quality,
              range,
              segmentFrames: Math.max(1, Math.round(entry.source.plan.frameRateValue * RENDER_SEGMENT_SECONDS)),
              resume: true,
              metadata: { appVersion: appVersion(), extra: { description: operations.join('; ') } },
            },
            jobContext(call),
          ),
        );
        const { size } = await stat(output);
        const reply = {
          renderId,
          name,
          size,
          frames: result.frames,
          resumedFrames: result.resumedFrames,
          fps: result.fps,
          durationSeconds: result.durationSeconds,
          audio: result.audio,
          notes: result.notes.map((note) => note.replaceAll(entry.path, entry.name)),
        };
        renders.set(renderId, { path: output, name, size, result: reply });
        return reply;
      } finally {
        await planEdit.dispose();
      }
    },

    videoCodecs: async () => ({ codecs: await availableVideoCodecs((await tools()).ffmpeg) }),

    readRender: async ({ renderId, offset, length }) => {
      const render = renders.get(renderId);
      if (!render) throw new SeamError('NOT_FOUND', `No finished render ${renderId}: it was discarded or the engine restarted; render again.`);
      if (offset > render.size) throw new SeamError('BAD_INPUT', `${render.name} is ${render.size} bytes; cannot read from byte ${offset}.`);
      const handle = await open(render.path, 'r');
      try {
        const bytes = new Uint8Array(Math.min(length, render.size - offset));
        const { bytesRead } = await handle.read(bytes, 0, bytes.length, offset);
        return { bytes: giveAway(bytes.subarray(0, bytesRead)), size: render.size };
      } finally {
        await handle.close();
      }
    },

    discardRender: async ({ renderId }) => {
      const render = renders.get(renderId);
      if (!render) return false;
      renders.delete(renderId);
      await rm(join(rendersFolder, renderId), { recursive: true, force: true });
      return true;
    },

    closeVideo: async ({ videoId }) => videos.close(videoId),
  };
}

/** A step's photos must be photos open in the editor; their pixels' hash goes into the render's key. */
function photoIdentities(plan: VideoEditPlan, openedPhoto: (reference: string) => LoadedPhoto | undefined): string[] {
  const identities: string[] = [];
  plan.steps.forEach((step, i) => {
    const module = getProcessor(step.processor);
    for (const field of module.descriptor.fields) {
      const value = step.options[field.key];
      if (field.kind !== 'photo' || value === undefined || value === null || value === '') continue;
      const photo = typeof value === 'string' ? openedPhoto(value) : undefined;
      if (!photo) {
        throw new SeamError('BAD_INPUT', `Step ${i + 1} (${module.descriptor.title}): "${field.label}" must be a photo open in Seam (image:<id>); ${JSON.stringify(value)} is not one.`, { option: field.key });
      }
      identities.push(sha256(photo.image.data));
    }
  });
  return identities;
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A cancelled render's message, without the engine's folders in it. */
async function cancelSaysResume<T>(entry: OpenVideo, work: Promise<T>): Promise<T> {
  try {
    return await named(entry, work);
  } catch (error) {
    if (error instanceof SeamError && error.code === 'CANCELLED') {
      throw new SeamError('CANCELLED', `Rendering ${entry.name} was cancelled; the finished segments are kept, and the same render asked again resumes from them.`);
    }
    throw error;
  }
}

/** The engine's own path for the clip never reaches the page: messages name the user's file. */
async function named<T>(entry: { name: string; path: string }, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof SeamError && error.message.includes(entry.path)) {
      throw new SeamError(error.code, error.message.replaceAll(entry.path, entry.name), error.details && { ...error.details, file: entry.name });
    }
    throw error;
  }
}

/** The edit's region (over its window) placed in a frame-sized map. */
function frameRegion(result: PlanFrameResult, width: number, height: number): Uint8Array {
  const region = new Uint8Array(width * height);
  const window = result.window;
  if (!window) return region;
  for (let y = 0; y < window.height; y++) region.set(result.region.subarray(y * window.width, (y + 1) * window.width), (window.top + y) * width + window.left);
  return region;
}
