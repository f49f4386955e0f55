/**
 * Faces followed through a video, frame by frame, the way MediaPipe's face mesh does it on
 * video: each face's crop comes from its landmarks in the previous frame, so the detector runs
 * only when a face is lost, when none is followed, and every `detectEvery` frames to catch faces
 * that enter. Each face keeps one id; one that vanishes (occlusion, a turn) for at most
 * `maxLostFrames` frames gets its id back when it reappears near where it was and looks alike.
 * Reported landmarks are smoothed with a One Euro filter; crops use the raw ones (no lag).
 *
 * When the detector runs, it searches the whole frame (at 720p: two models on the frame and one
 * on each of eight tiles, for faces too small for the frame-wide models), except on the periodic
 * check while every followed face is still seen: that check runs the frame-wide models and one
 * tile, the next tile each time. It was the tracker's largest cost (ten model runs every ten
 * frames, against one landmark run a frame), and what it looks for is a face entering: one big
 * enough for the frame-wide models (about 110 px at 720p) is still found within `detectEvery`
 * frames, a smaller one within `detectEvery` × the tile count.
 */
import type { Logger } from '../../context';
import type { FacePipeline } from '../faces/face-pipeline';
import type { Box, Landmark } from '../faces/face-types';
import { cropFromLandmarks } from '../faces/landmark-crop';
import type { PixelSource } from '../image-ops/pixel-source';
import { faceSignature, signaturePatches } from './face-signature';
import { FaceTrack, type TrackSource } from './face-track';
import { detectionCoversTrack, reidentify, sameFace, type NewFace } from './track-matching';
import { resolveTrackerSettings, type FaceTrackerSettings } from './tracker-settings';

export interface TrackedFace {
  trackId: number;
  /** Box of the (smoothed) 468-point mesh: forehead to chin, ear to ear. */
  box: Box;
  /** The landmark model's presence score for this frame. */
  score: number;
  source: TrackSource;
  /** Smoothed mesh points (raw when smoothing is off). */
  landmarks: readonly Landmark[];
}

/**
 * A frame whose pixels are made on demand: the tracker asks for the region around each face it
 * follows, and for the whole frame only when the detector runs (every `detectEvery` frames, or
 * when a face is lost). A video frame converts from YUV only what is asked (video-frame.ts).
 */
export interface FramePixels {
  width: number;
  height: number;
  /**
   * The frame as converted so far: only what pixels() was asked for is filled in, but its
   * boxAverage (where it has one) reads the whole frame. What a warp that shrinks gets.
   */
  image: PixelSource;
  /** The frame, with at least `region` (absent: all of it) filled in. */
  pixels(region?: Box): PixelSource;
}

/** How far beyond a landmark crop's own square the landmarker may read (its prefilter's reach). */
const CROP_READ_MARGIN = 0.05;

/** The axis-aligned box a rotated landmark crop reads, with a margin. */
function cropReadBox(crop: ReturnType<typeof cropFromLandmarks>): Box {
  const half = (crop.size / 2) * (Math.abs(Math.cos(crop.angle)) + Math.abs(Math.sin(crop.angle))) * (1 + CROP_READ_MARGIN) + 4;
  return { x: crop.centerX - half, y: crop.centerY - half, width: 2 * half, height: 2 * half };
}

function asFramePixels(image: PixelSource | FramePixels): FramePixels {
  return 'pixels' in image ? image : { width: image.width, height: image.height, image, pixels: () => image };
}

export interface TrackerStats {
  frames: number;
  detectorRuns: number;
  landmarkRuns: number;
  tracksStarted: number;
  reidentified: number;
}

export class FaceTracker {
  readonly settings: ReturnType<typeof resolveTrackerSettings>;
  readonly stats: TrackerStats = { frames: 0, detectorRuns: 0, landmarkRuns: 0, tracksStarted: 0, reidentified: 0 };
  private tracks: FaceTrack[] = [];
  private nextId = 1;
  private lastDetectFrame: number | undefined;
  /** Periodic checks so far: which tile the next one searches. */
  private periodicChecks = 0;

  constructor(
    private readonly pipeline: FacePipeline,
    settings: Partial<FaceTrackerSettings>,
    private readonly logger: Logger,
  ) {
    this.settings = resolveTrackerSettings(settings);
  }

  async next(frame: PixelSource | FramePixels, frameIndex: number, timeSeconds: number, signal?: AbortSignal): Promise<TrackedFace[]> {
    const { minPresence } = this.settings;
    const pixels = asFramePixels(frame);
    this.stats.frames++;
    const runsBefore = this.pipeline.landmarker.runs;
    const followed = this.tracks.filter((t) => t.missed === 0);
    const seen: FaceTrack[] = [];
    for (const track of followed) {
      const crop = cropFromLandmarks(track.landmarks);
      // A crop the landmarker averages down is read through the frame's boxAverage: nothing in
      // it is converted at full size.
      const image = this.pipeline.landmarker.readsAveraged(crop) ? pixels.image : pixels.pixels(cropReadBox(crop));
      const observation = await this.pipeline.landmarker.landmarks(image, crop, signal);
      if (observation.presence < minPresence) continue;
      // Two tracks that slid onto one face: the older keeps it.
      if (seen.some((other) => sameFace(other.landmarks, observation.points))) continue;
      // The signature reads full-size pixels: the few patches it samples.
      for (const patch of signaturePatches(observation.points)) pixels.pixels(patch);
      track.observe(frameIndex, timeSeconds, image, observation, 'landmarks');
      seen.push(track);
    }

    const lostSome = seen.length < followed.length;
    const due = this.settings.detectEvery > 0 && (this.lastDetectFrame === undefined || frameIndex - this.lastDetectFrame >= this.settings.detectEvery);
    if (seen.length === 0 || lostSome || due) {
      const tileRound = seen.length > 0 && !lostSome ? this.periodicChecks++ : undefined;
      await this.detectNewFaces(pixels.pixels(), frameIndex, timeSeconds, seen, tileRound, signal);
    }

    for (const track of this.tracks) if (!seen.includes(track)) track.missed++;
    this.tracks = this.tracks.filter((t) => t.missed <= this.settings.maxLostFrames);
    this.stats.landmarkRuns += this.pipeline.landmarker.runs - runsBefore;
    return seen
      .sort((a, b) => a.id - b.id)
      .map((t) => ({ trackId: t.id, box: t.box(), score: t.presence, source: t.source, landmarks: t.smoothed }));
  }

  /** `tileRound`: the periodic check's tile (face-detector.ts); absent: the whole search. */
  private async detectNewFaces(image: PixelSource, frameIndex: number, timeSeconds: number, seen: FaceTrack[], tileRound: number | undefined, signal?: AbortSignal): Promise<void> {
    this.lastDetectFrame = frameIndex;
    this.stats.detectorRuns++;
    const detections = await this.pipeline.detector.detect(image, { strategy: this.settings.detection, ...(tileRound !== undefined ? { tileRound } : {}), ...(signal ? { signal } : {}) });
    const fresh: Array<NewFace & { observation: NonNullable<Awaited<ReturnType<FacePipeline['landmarksFor']>>> }> = [];
    for (const detection of detections) {
      if (seen.length + fresh.length >= this.settings.maxFaces) break;
      if (seen.some((t) => detectionCoversTrack(detection, t.landmarks))) continue;
      const observation = await this.pipeline.landmarksFor(image, detection, { minPresence: this.settings.minPresence, ...(signal ? { signal } : {}) });
      if (!observation) continue;
      const points = observation.points;
      if (seen.some((t) => sameFace(t.landmarks, points)) || fresh.some((f) => sameFace(f.points, points))) continue;
      fresh.push({ points, signature: faceSignature(image, points), observation });
    }
    if (fresh.length === 0) return;

    const lost = this.tracks.filter((t) => !seen.includes(t));
    const continued = reidentify(fresh, lost);
    fresh.forEach((face, i) => {
      const track = continued[i];
      if (track) {
        this.logger.debug('face re-identified', { trackId: track.id, frame: frameIndex, missedFrames: track.missed });
        track.observe(frameIndex, timeSeconds, image, face.observation, 'detector');
        this.stats.reidentified++;
        seen.push(track);
        return;
      }
      const created = new FaceTrack(this.nextId++, frameIndex, image, face.observation, timeSeconds, 'detector', this.settings.oneEuro);
      this.stats.tracksStarted++;
      this.tracks.push(created);
      seen.push(created);
    });
  }
}
