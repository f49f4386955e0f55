/**
 * The frame processor `seam video` and the app use: a FaceTracker follows the faces through the
 * clip (smoothed landmarks, stable ids) and each frame's FrameAnalysis is seeded with those
 * faces, so the edit steps (runSteps, as for a photo) see the same smoothed face frame after
 * frame and nothing flickers. With `track`, only that face is handed to the steps; the others
 * are left as they are. A frame without the face is passed through untouched.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SeamError } from '../../shared/errors';
import type { JobContext } from '../context';
import { createProcessContext, ProcessorInstances, runSteps, type EditStep } from '../edit/edit-photo';
import type { EditDeps } from '../edit/processor';
import { getProcessor } from '../edit/registry';
import { FaceTracker } from '../vision/tracking/face-tracker';
import type { FaceTrackerSettings } from '../vision/tracking/tracker-settings';
import { editWindow, shiftedFace, stepsFaceReach } from './face-window';
import type { FrameObserver, FrameProcessor } from './frame-processor';
import { leftToRight, trackedToAnalyzedFace } from './tracked-faces';
import { RgbScratch } from './video-frame';

export interface TrackedEditOptions {
  steps: readonly EditStep[];
  /** Edit only this face track (ids as `seam track` prints them). */
  track?: number;
  tracker?: Partial<FaceTrackerSettings>;
}

export interface TrackedEditStats {
  /** Frames the steps ran on. */
  editedFrames: number;
  /** Frames passed through because the face (or any face) was not there. */
  framesWithoutFace: number;
  trackIds: Set<number>;
}

export interface TrackedEdit {
  /** For renderVideo's processorKey: the steps, the track, the tracker settings and the photos' identities. */
  key: string;
  process: FrameProcessor;
  /** For renderVideo's replayFrame: the tracker sees kept frames too, so ids and smoothing match. */
  replay: FrameObserver;
  stats: TrackedEditStats;
  /** Provenance lines of the steps, for the output's metadata. */
  operations: string[];
  /** Releases the processor instances kept for the clip. */
  dispose(): Promise<void>;
}

export async function createTrackedEdit(deps: EditDeps, options: TrackedEditOptions, ctx: JobContext): Promise<TrackedEdit> {
  const prepared = options.steps.map((step) => {
    const module = getProcessor(step.processor);
    return { module, options: module.parseOptions(step.options) as Record<string, unknown> };
  });
  const tracker = new FaceTracker(deps.analyzer.faces, options.tracker ?? {}, deps.logger);
  // Progress comes from the render, not from each step of each frame.
  const processContext = createProcessContext(deps, { logger: ctx.logger, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  const stats: TrackedEditStats = { editedFrames: 0, framesWithoutFace: 0, trackIds: new Set() };
  // Kept for the whole clip, so a processor's per-source caches serve every frame.
  const instances = new ProcessorInstances(deps);

  const faceReach = stepsFaceReach(options.steps);
  // The tracker keeps no pixels past a frame: one RGB buffer serves every frame.
  const trackerPixels = new RgbScratch();
  // The tracker converts only what it reads (the crops around its faces; the whole frame when its
  // detector runs); the steps convert only the window they can reach (face-window.ts), and only
  // what they changed is written back.
  const process: FrameProcessor = async (frame, index, seconds) => {
    const tracked = await tracker.next(frame.lazyRgb(trackerPixels), index, seconds, ctx.signal);
    for (const face of tracked) stats.trackIds.add(face.trackId);
    const chosen = options.track === undefined ? tracked : tracked.filter((face) => face.trackId === options.track);
    const window = chosen.length > 0 ? editWindow(frame, chosen, faceReach) : null;
    if (!window) {
      stats.framesWithoutFace++;
      return;
    }
    await frame.editRgb(window, async (rgb) => {
      const faces = leftToRight(chosen).map((face) => trackedToAnalyzedFace(shiftedFace(face, window)));
      const analysis = deps.analyzer.analyze(rgb, { faces });
      const result = await runSteps(deps, rgb, options.steps, processContext, { analysis, frameIndex: index, instances });
      return result.image;
    });
    stats.editedFrames++;
  };
  const replay: FrameObserver = async (frame, index, seconds) => {
    for (const face of await tracker.next(frame.lazyRgb(trackerPixels), index, seconds, ctx.signal)) stats.trackIds.add(face.trackId);
  };

  const photos = await photoIdentities(prepared);
  const key = JSON.stringify({ steps: options.steps, track: options.track ?? null, tracker: tracker.settings, photos });
  return { key, process, replay, stats, operations: prepared.map(({ module, options: o }) => module.describe(o)), dispose: () => instances.disposeAll() };
}

/** Size and modification time of every photo the steps name: a changed source photo means a different render. */
export async function photoIdentities(prepared: Array<{ module: ReturnType<typeof getProcessor>; options: Record<string, unknown> }>) {
  const identities: Array<{ path: string; size: number; mtimeMs: number }> = [];
  for (const { module, options } of prepared) {
    for (const field of module.descriptor.fields) {
      const value = options[field.key];
      if (field.kind !== 'photo' || typeof value !== 'string' || value.startsWith('image:')) continue;
      const info = await stat(value).catch(() => undefined);
      // Checked before the clip is decoded, rather than at the first frame with a face.
      if (!info?.isFile()) throw new SeamError('BAD_INPUT', `${module.descriptor.title}: no such photo ${value} (option ${field.key}).`, { option: field.key });
      identities.push({ path: resolve(value), size: info.size, mtimeMs: Math.round(info.mtimeMs) });
    }
  }
  return identities;
}
