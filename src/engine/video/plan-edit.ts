/**
 * A VideoEditPlan applied to one frame, the same code for the app's preview of a frame
 * (videoFrame) and for every frame of its render, so the preview is the render's frame. The faces
 * come from the clip's kept tracks (ClipTracks), never from a model run here; on frame G:
 *
 * 1. the target in force (plan target, range overrides) picks the tracked faces to edit;
 * 2. the steps, with keyframed options at their values on G, run on those faces (each step sees
 *    the tracked faces, not a fresh detection on the previous step's output);
 * 3. mask corrections painted within `spanFrames` of G on a track that is on G follow its box
 *    (mask-follow.ts): the edit is blended in by m, out = src + (edit − src) · m, where m starts
 *    at 1, each `exclude` multiplies it by (1 − mask) and each `include` raises it to the mask
 *    (so an include over an exclude gives the edit back);
 * 4. an `include` on a track the target leaves out edits that face too, but only inside the
 *    mask: a second pass of the steps on that face, blended in by the mask.
 *
 * Processor instances are kept for the whole clip (their caches, e.g. the swap's source face,
 * serve every frame), one set per step position. The steps run through a StepRunner: on the
 * engine's thread, or in step workers for a render on a machine with cores to spare, several
 * frames at once (frames share no state here: faces come from the kept tracks).
 *
 * Only the part of the frame the edit can reach is converted to RGB and edited: around the faces
 * it edits when every step's processor says how far from a face it reads and writes
 * (ProcessorModule.faceReach), else the whole frame. A frame with no face to edit is not
 * converted at all. Previews go through the same code, so they stay the render's frames.
 */
import { stepsAtFrame } from '../../shared/keyframes';
import type { VideoEditPlan } from '../../shared/video-contract';
import type { JobContext } from '../context';
import type { EditStep } from '../edit/edit-photo';
import type { EditDeps, LoadedPhoto } from '../edit/processor';
import { cloneImage, type RasterImage } from '../image/image';
import type { Region } from '../vision/image-ops/box-downsample';
import type { TrackedFace } from '../vision/tracking/face-tracker';
import type { ClipTracks } from './clip-tracks';
import { choiceTakes, targetAt } from './edit-plan';
import { editWindow, shiftedFace, stepsFaceReach } from './face-window';
import type { FrameProcessor } from './frame-processor';
import { boxSimilarity, followMask, maskBounds } from './mask-follow';
import { createStepRunner, framesInFlightFor } from './step-runner';
import { leftToRight, trackedToAnalyzedFace } from './tracked-faces';
import type { VideoFrame } from './video-frame';

export interface PlanFrameResult {
  /** The part of the frame that was converted and edited (null: none, the frame is untouched). */
  window: Region | null;
  /** 0..255 over `window` (window-sized): where the edit may have changed the frame. */
  region: Uint8Array;
  notes: string[];
  faces: TrackedFace[];
}

export interface PlanEdit {
  /** Edits clip frame `frame` in place, as the render does. */
  editFrame(image: VideoFrame, frame: number): Promise<PlanFrameResult>;
  /** For renderVideo: `firstFrame` is the clip frame its index 0 is (the start of a range). */
  processor(firstFrame: number): FrameProcessor;
  /** For renderVideo's framesInFlight: how many frames the processor takes at once. */
  framesInFlight: number;
  dispose(): Promise<void>;
}

export interface PlanEditOptions {
  plan: VideoEditPlan;
  tracks: ClipTracks;
  /** Resolves a step's "image:<id>" photo option to a photo open in the editor. */
  openedPhoto?: (reference: string) => LoadedPhoto | undefined;
  /** Worker threads for the steps (default 0: the engine's thread, as for a preview); a render passes autoStepWorkers(). */
  stepWorkers?: number;
}

interface ActiveMask {
  trackId: number;
  mode: 'exclude' | 'include';
  weights: Uint8Array;
}

export function createPlanEdit(deps: EditDeps, options: PlanEditOptions, ctx: JobContext): PlanEdit {
  const { plan, tracks } = options;
  const runner = createStepRunner(deps, { workers: options.stepWorkers ?? 0, steps: plan.steps, ...(options.openedPhoto ? { openedPhoto: options.openedPhoto } : {}) }, ctx);
  const corrections = plan.maskCorrections.map((c) => ({ ...c, bounds: maskBounds(c.mask) }));

  const runOn = async (image: RasterImage, faces: TrackedFace[], steps: readonly EditStep[], frame: number) => {
    const analyzed = leftToRight(faces).map(trackedToAnalyzedFace);
    let current = image;
    let region: Uint8Array | undefined;
    const notes: string[] = [];
    for (const [i, step] of steps.entries()) {
      const result = await runner.run({ image: current, faces: analyzed, steps: [step], frameIndex: frame, instanceSet: i });
      current = result.image;
      // One step's region is the answer as it is (a frame's worth of bytes not walked for nothing).
      if (!region) region = result.region;
      else for (let p = 0; p < region.length; p++) if (result.region[p]! > region[p]!) region[p] = result.region[p]!;
      notes.push(...result.notes);
    }
    return { image: current, region: region ?? new Uint8Array(image.width * image.height), notes };
  };

  const masksAt = (frame: number): ActiveMask[] => {
    const active: ActiveMask[] = [];
    for (const c of corrections) {
      if (Math.abs(frame - c.frame) > c.spanFrames) continue;
      const from = tracks.boxAt(c.frame, c.trackId);
      const to = tracks.boxAt(frame, c.trackId);
      if (!from || !to) continue;
      const weights = frame === c.frame ? c.mask.data : followMask(c.mask, boxSimilarity(from, to), c.bounds);
      active.push({ trackId: c.trackId, mode: c.mode, weights });
    }
    return active;
  };

  const faceReach = stepsFaceReach(plan.steps);

  /** The steps on the faces in RGB `image` (faces and masks in its coordinates). */
  const editRgb = async (image: RasterImage, faces: TrackedFace[], targeted: TrackedFace[], masks: ActiveMask[], frame: number) => {
    const steps = stepsAtFrame(plan.steps, plan.keyframes, frame);
    // Blending needs the source as it was; a processor may edit its input in place.
    const source = masks.length > 0 ? cloneImage(image) : image;
    const notes: string[] = [];
    let out = image;
    let region: Uint8Array = new Uint8Array(image.width * image.height);
    if (targeted.length > 0) {
      const edited = await runOn(image, targeted, steps, frame);
      notes.push(...edited.notes);
      out = edited.image;
      region = edited.region;
      const onTarget = masks.filter((m) => targeted.some((f) => f.trackId === m.trackId));
      if (onTarget.length > 0) out = blendCorrected(source, out, region, onTarget);
    }
    // Faces the target leaves out, edited only where an include on them says so.
    for (const face of faces) {
      if (targeted.includes(face)) continue;
      const includes = masks.filter((m) => m.trackId === face.trackId && m.mode === 'include');
      if (includes.length === 0) continue;
      const extra = await runOn(out, [face], steps, frame);
      notes.push(...extra.notes);
      const weights = maxOf(includes.map((m) => m.weights), image.width * image.height);
      out = blendByWeights(out, extra.image, weights);
      for (let p = 0; p < region.length; p++) region[p] = Math.max(region[p]!, Math.round((extra.region[p]! * weights[p]!) / 255));
    }
    return { image: out, region, notes };
  };

  const editFrame = async (frameImage: VideoFrame, frame: number): Promise<PlanFrameResult> => {
    const faces = tracks.facesAt(frame);
    const choice = targetAt(plan, frame);
    const targeted = faces.filter((f) => choiceTakes(choice, f.trackId));
    const masks = masksAt(frame);
    const included = faces.filter((f) => !targeted.includes(f) && masks.some((m) => m.trackId === f.trackId && m.mode === 'include'));
    const edited = [...targeted, ...included];
    if (edited.length === 0) return { window: null, region: new Uint8Array(0), notes: [], faces };
    const window = editWindow(frameImage, edited, faceReach);
    if (!window) return { window: null, region: new Uint8Array(0), notes: [], faces };
    const inWindow = (face: TrackedFace) => shiftedFace(face, window);
    const windowFaces = faces.map(inWindow);
    const pick = (some: TrackedFace[]) => some.map((f) => windowFaces[faces.indexOf(f)]!);
    const windowMasks = masks.map((m) => ({ ...m, weights: cropWeights(m.weights, frameImage.width, window) }));
    let result: { region: Uint8Array; notes: string[] } = { region: new Uint8Array(0), notes: [] };
    await frameImage.editRgb(window, async (rgb) => {
      const out = await editRgb(rgb, windowFaces, pick(targeted), windowMasks, frame);
      result = out;
      return out.image;
    });
    return { window, region: result.region, notes: result.notes, faces };
  };

  return {
    editFrame,
    processor: (firstFrame) => async (image, index) => {
      await editFrame(image, firstFrame + index);
    },
    framesInFlight: framesInFlightFor(runner),
    dispose: () => runner.dispose(),
  };
}

/** m = Π(1 − exclude), then max(m, include), in plan order; out = src + (edit − src)·m. `region` is scaled by m too. */
function blendCorrected(source: RasterImage, edited: RasterImage, region: Uint8Array, masks: ActiveMask[]): RasterImage {
  const pixels = source.width * source.height;
  const m = new Float32Array(pixels).fill(1);
  for (const mask of masks) {
    const w = mask.weights;
    if (mask.mode === 'exclude') for (let p = 0; p < pixels; p++) m[p] = m[p]! * (1 - w[p]! / 255);
    else for (let p = 0; p < pixels; p++) m[p] = Math.max(m[p]!, w[p]! / 255);
  }
  for (let p = 0; p < pixels; p++) region[p] = Math.round(region[p]! * m[p]!);
  return blend(source, edited, m);
}

function blendByWeights(under: RasterImage, over: RasterImage, weights: Uint8Array): RasterImage {
  const m = new Float32Array(weights.length);
  for (let p = 0; p < m.length; p++) m[p] = weights[p]! / 255;
  return blend(under, over, m);
}

function blend(source: RasterImage, edited: RasterImage, m: Float32Array): RasterImage {
  const c = source.channels;
  const out = new Uint8Array(source.data.length);
  const s = source.data;
  const e = edited.data;
  for (let p = 0; p < m.length; p++) {
    const w = m[p]!;
    for (let k = p * c; k < p * c + c; k++) out[k] = w === 1 ? e[k]! : w === 0 ? s[k]! : Math.round(s[k]! + (e[k]! - s[k]!) * w);
  }
  return { width: source.width, height: source.height, channels: source.channels, data: out };
}

function maxOf(all: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (const w of all) for (let p = 0; p < length; p++) if (w[p]! > out[p]!) out[p] = w[p]!;
  return out;
}

/** A frame-sized weight map cut to the window. */
function cropWeights(weights: Uint8Array, frameWidth: number, window: Region): Uint8Array {
  if (window.left === 0 && window.top === 0 && window.width === frameWidth && window.height * frameWidth === weights.length) return weights;
  const out = new Uint8Array(window.width * window.height);
  for (let y = 0; y < window.height; y++) {
    const from = (window.top + y) * frameWidth + window.left;
    out.set(weights.subarray(from, from + window.width), y * window.width);
  }
  return out;
}
