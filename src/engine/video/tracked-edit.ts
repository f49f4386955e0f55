/**
 * The frame processor `seam video` and the app use: a FaceTracker follows the faces through the
 * clip (smoothed landmarks, stable ids) and each frame's FrameAnalysis is seeded with those
 * faces, so the edit steps (runSteps, as for a photo) see the same smoothed face frame after
 * frame and nothing flickers. With `track`, only that face is handed to the steps; the others
 * are left as they are. A frame without the face is passed through untouched.
 *
 * The tracker runs on the engine's thread, one frame after another in frame order; the steps run
 * through a StepRunner, in step workers when there are cores to spare (step-runner.ts), so the
 * steps of one frame run while the next frame is tracked.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SeamError } from '../../shared/errors';
import type { JobContext } from '../context';
import type { EditStep } from '../edit/edit-photo';
import type { EditDeps } from '../edit/processor';
import { getProcessor } from '../edit/registry';
import { FaceTracker } from '../vision/tracking/face-tracker';
import type { FaceTrackerSettings } from '../vision/tracking/tracker-settings';
import { editWindow, shiftedFace, stepsFaceReach } from './face-window';
import type { FrameObserver, FrameProcessor } from './frame-processor';
import { leftToRight, trackedToAnalyzedFace } from './tracked-faces';
import { createStepRunner, framesInFlightFor } from './step-runner';
import { RgbScratch, type VideoFrame } from './video-frame';

export interface TrackedEditOptions {
  steps: readonly EditStep[];
  /** Edit only this face track (ids as `seam track` prints them). */
  track?: number;
  tracker?: Partial<FaceTrackerSettings>;
  /** Worker threads for the steps (default 0: the engine's thread); `seam video` passes autoStepWorkers(). */
  stepWorkers?: number;
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
  /** For renderVideo's framesInFlight: how many frames `process` takes at once. */
  framesInFlight: number;
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
  const stats: TrackedEditStats = { editedFrames: 0, framesWithoutFace: 0, trackIds: new Set() };
  const photos = await photoIdentities(prepared);
  // Kept for the whole clip, so a processor's per-source caches serve every frame. Progress
  // comes from the render, not from each step of each frame.
  const runner = createStepRunner(deps, { workers: options.stepWorkers ?? 0, steps: options.steps }, ctx);

  const faceReach = stepsFaceReach(options.steps);
  // The tracker keeps no pixels past a frame: one RGB buffer serves every frame.
  const trackerPixels = new RgbScratch();
  // The tracker converts only what it reads (the crops around its faces; the whole frame when its
  // detector runs); the steps convert only the window they can reach (face-window.ts), and only
  // what they changed is written back.
  // Frames may be handed over before the previous one is edited: the tracker takes them in turn.
  let trackerTurn: Promise<unknown> = Promise.resolve();
  const track = (frame: VideoFrame, index: number, seconds: number) => {
    const turn = trackerTurn.then(() => tracker.next(frame.lazyRgb(trackerPixels), index, seconds, ctx.signal));
    trackerTurn = turn.catch(() => undefined);
    return turn;
  };
  const process: FrameProcessor = async (frame, index, seconds) => {
    const tracked = await track(frame, index, seconds);
    for (const face of tracked) stats.trackIds.add(face.trackId);
    const chosen = options.track === undefined ? tracked : tracked.filter((face) => face.trackId === options.track);
    const window = chosen.length > 0 ? editWindow(frame, chosen, faceReach) : null;
    if (!window) {
      stats.framesWithoutFace++;
      return;
    }
    await frame.editRgb(window, async (rgb) => {
      const faces = leftToRight(chosen).map((face) => trackedToAnalyzedFace(shiftedFace(face, window)));
      return (await runner.run({ image: rgb, faces, steps: options.steps, frameIndex: index, instanceSet: 0 })).image;
    });
    stats.editedFrames++;
  };
  const replay: FrameObserver = async (frame, index, seconds) => {
    for (const face of await track(frame, index, seconds)) stats.trackIds.add(face.trackId);
  };

  // Where the steps run is not part of the key: workers or not, the frames are the same.
  const key = JSON.stringify({ steps: options.steps, track: options.track ?? null, tracker: tracker.settings, photos });
  return {
    key,
    process,
    framesInFlight: framesInFlightFor(runner),
    replay,
    stats,
    operations: prepared.map(({ module, options: o }) => module.describe(o)),
    dispose: () => runner.dispose(),
  };
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
