/**
 * Every face of a clip, tracked once and kept: the app's previews and its render read the same
 * tracked faces for a frame, so a preview is the render's frame (a tracker run from frame 0 is
 * the only way to know a face's smoothed landmarks on frame k), and a render runs no face model
 * at all. Landmarks are kept packed (468 × x, y, z as Float32, 5.6 kB a face a frame: 100 MB for
 * ten minutes of one face at 30 fps) and unpacked only for the frame being edited.
 */
import type { JobContext, Progress } from '../context';
import { rawFrameBytes, type EvenDimensionMode, type TimeRange } from '../media/ffmpeg-args';
import type { LocatedMediaTool } from '../media/locate-ffmpeg';
import type { FacePipeline } from '../vision/faces/face-pipeline';
import type { Box, Landmark } from '../vision/faces/face-types';
import { FaceTracker, type TrackedFace, type TrackerStats } from '../vision/tracking/face-tracker';
import type { FaceTrackerSettings } from '../vision/tracking/tracker-settings';
import { BoundedQueue } from './bounded-queue';
import { frameColourOf, RgbScratch, type FrameColour } from './video-frame';
import { decodeFrames, FrameBuffers, type DecodedFrame } from './frame-decoder';
import { RenderRate } from './render-progress';

interface PackedFace {
  trackId: number;
  box: Box;
  score: number;
  source: TrackedFace['source'];
  points: Float32Array;
}

export interface TrackSummary {
  trackId: number;
  firstFrame: number;
  lastFrame: number;
  /** Frames the face is on (a face lost for a while and found again has fewer than last − first + 1). */
  frames: number;
  /** Its box on the frame where it is largest: the best picture of that face. */
  box: Box;
}

export class ClipTracks {
  readonly #frames: PackedFace[][] = [];

  constructor(
    readonly settings: FaceTracker['settings'],
    readonly stats: TrackerStats = { frames: 0, detectorRuns: 0, landmarkRuns: 0, tracksStarted: 0, reidentified: 0 },
  ) {}

  get frameCount(): number {
    return this.#frames.length;
  }

  add(frame: number, faces: readonly TrackedFace[]): void {
    this.#frames[frame] = faces.map((face) => ({ trackId: face.trackId, box: face.box, score: face.score, source: face.source, points: pack(face.landmarks) }));
  }

  /** The tracked faces on `frame` (none past the clip's end), in track id order. */
  facesAt(frame: number): TrackedFace[] {
    return (this.#frames[frame] ?? []).map((f) => ({ trackId: f.trackId, box: f.box, score: f.score, source: f.source, landmarks: unpack(f.points) }));
  }

  /** The box of track `trackId` on `frame`, without unpacking landmarks. */
  boxAt(frame: number, trackId: number): Box | undefined {
    return this.#frames[frame]?.find((f) => f.trackId === trackId)?.box;
  }

  trackIdsAt(frame: number): number[] {
    return (this.#frames[frame] ?? []).map((f) => f.trackId);
  }

  summaries(): TrackSummary[] {
    const byId = new Map<number, TrackSummary & { area: number }>();
    this.#frames.forEach((faces, frame) => {
      for (const face of faces ?? []) {
        const area = face.box.width * face.box.height;
        const known = byId.get(face.trackId);
        if (!known) {
          byId.set(face.trackId, { trackId: face.trackId, firstFrame: frame, lastFrame: frame, frames: 1, box: face.box, area });
          continue;
        }
        known.lastFrame = frame;
        known.frames++;
        if (area > known.area) Object.assign(known, { box: face.box, area });
      }
    });
    return [...byId.values()].sort((a, b) => a.trackId - b.trackId).map(({ area: _area, ...summary }) => summary);
  }
}

function pack(points: readonly Landmark[]): Float32Array {
  const out = new Float32Array(points.length * 3);
  points.forEach((p, i) => out.set([p.x, p.y, p.z], i * 3));
  return out;
}

function unpack(packed: Float32Array): Landmark[] {
  const points: Landmark[] = new Array<Landmark>(packed.length / 3);
  for (let i = 0; i < points.length; i++) points[i] = { x: packed[i * 3]!, y: packed[i * 3 + 1]!, z: packed[i * 3 + 2]! };
  return points;
}

export interface TrackClipOptions {
  ffmpeg: LocatedMediaTool;
  input: string;
  /** Frame size as the render decodes it: the upright display size made even (RenderPlan width, height). */
  width: number;
  height: number;
  /** How an odd display size is made even (RenderPlan's; absent: crop). */
  evenDimensions?: EvenDimensionMode;
  /** What the decoded values mean (the render plan's); absent: as untagged video of this height. */
  colour?: FrameColour;
  frameRateValue: number;
  /** Each frame's time from the first (a variable-rate clip); absent: index / rate. */
  frameTimes?: Float64Array;
  expectedFrames?: number;
  settings?: Partial<FaceTrackerSettings>;
  range?: TimeRange;
}

const PROGRESS_INTERVAL_MS = 250;
/** Decoded frames waiting for the tracker at most. */
const TRACK_QUEUE_FRAMES = 4;

/**
 * Decodes the clip once and follows its faces (FaceTracker, as `seam track` does), reporting
 * progress with frames done, total, speed and time left. Cancelled by ctx.signal (ffmpeg ends).
 */
export async function trackClip(pipeline: FacePipeline, options: TrackClipOptions, ctx: JobContext): Promise<ClipTracks> {
  const tracker = new FaceTracker(pipeline, options.settings ?? {}, ctx.logger);
  const tracks = new ClipTracks(tracker.settings, tracker.stats);
  const stop = new AbortController();
  const forward = () => stop.abort();
  if (ctx.signal?.aborted) forward();
  ctx.signal?.addEventListener('abort', forward, { once: true });
  const queue = new BoundedQueue<DecodedFrame>(TRACK_QUEUE_FRAMES);
  const colour = options.colour ?? frameColourOf(undefined, options.height);
  // A frame's buffer is given back once the tracker is done with it (it keeps no pixels).
  const buffers = new FrameBuffers(rawFrameBytes('yuv420p', options.width, options.height), TRACK_QUEUE_FRAMES + 2);
  const decoding = decodeFrames({ ffmpeg: options.ffmpeg, input: options.input, range: options.range ?? {}, width: options.width, height: options.height, evenDimensions: options.evenDimensions ?? 'crop', colour, queue, buffers, logger: ctx.logger, signal: stop.signal });
  decoding.catch(() => undefined);
  const rate = new RenderRate();
  // The tracker keeps no pixels past a frame: one RGB buffer serves every frame.
  const trackerPixels = new RgbScratch();
  let last = -Infinity;
  try {
    for (let frame = await queue.take(); frame; frame = await queue.take()) {
      const seconds = options.frameTimes?.[frame.index] ?? frame.index / options.frameRateValue;
      // The same conversion the render's edits see, so the landmarks sit on the pixels they edit;
      // only the parts the tracker reads are converted.
      tracks.add(frame.index, await tracker.next(frame.image.lazyRgb(trackerPixels), frame.index, seconds, stop.signal));
      buffers.give(frame.image.yuv);
      rate.frameRendered();
      if (performance.now() - last >= PROGRESS_INTERVAL_MS) {
        last = performance.now();
        ctx.onProgress?.(trackProgress(frame.index + 1, rate.fps, options.expectedFrames));
      }
    }
    await decoding;
    ctx.onProgress?.(trackProgress(tracks.frameCount, rate.fps, tracks.frameCount));
    return tracks;
  } catch (error) {
    stop.abort();
    queue.abandon();
    await decoding.catch(() => undefined);
    throw error;
  } finally {
    ctx.signal?.removeEventListener('abort', forward);
  }
}

/** "frame 120/300 · 24.1 fps · ETA 0:07", as the render says it. */
export function trackProgress(done: number, fps: number, total?: number): Progress {
  const parts = [total !== undefined ? `frame ${done}/${total}` : `frame ${done}`, `${fps.toFixed(1)} fps`];
  if (total !== undefined && fps > 0) parts.push(`ETA ${Math.round(Math.max(0, total - done) / fps)} s`);
  return { stage: 'track', done, ...(total !== undefined ? { total } : {}), message: `Tracking faces: ${parts.join(' · ')}` };
}
