/**
 * One tracked face: its id, the raw landmarks the next frame's crop is built from, the smoothed
 * landmarks that are reported, and the signature used to recognise it after an occlusion.
 */
import type { PixelSource } from '../image-ops/pixel-source';
import type { Box, FaceLandmarks, Landmark } from '../faces/face-types';
import { meshBox } from '../faces/landmark-crop';
import { blendSignature, faceSignature, type FaceSignature } from './face-signature';
import { OneEuroVectorFilter, type OneEuroSettings } from './one-euro-filter';

/** How this frame's landmarks were found: from the detector, or from the previous frame's landmarks. */
export type TrackSource = 'detector' | 'landmarks';

export class FaceTrack {
  /** Consecutive frames this face was not found in (0: found in the latest frame). */
  missed = 0;
  lastSeenFrame: number;
  landmarks: readonly Landmark[];
  smoothed: readonly Landmark[];
  presence: number;
  source: TrackSource;
  signature: FaceSignature;
  private readonly filter: OneEuroVectorFilter | null;

  constructor(
    readonly id: number,
    readonly firstFrame: number,
    image: PixelSource,
    observation: FaceLandmarks,
    timeSeconds: number,
    source: TrackSource,
    smoothing: OneEuroSettings | null,
  ) {
    this.filter = smoothing ? new OneEuroVectorFilter(observation.points.length * 3, smoothing) : null;
    this.lastSeenFrame = firstFrame;
    this.landmarks = observation.points;
    this.smoothed = this.smooth(observation.points, timeSeconds);
    this.presence = observation.presence;
    this.source = source;
    this.signature = faceSignature(image, observation.points);
  }

  observe(frameIndex: number, timeSeconds: number, image: PixelSource, observation: FaceLandmarks, source: TrackSource): void {
    // After a gap the filter would drag the face from where it was last seen: start it afresh.
    if (this.missed > 0) this.filter?.reset();
    this.missed = 0;
    this.lastSeenFrame = frameIndex;
    this.landmarks = observation.points;
    this.smoothed = this.smooth(observation.points, timeSeconds);
    this.presence = observation.presence;
    this.source = source;
    this.signature = blendSignature(this.signature, faceSignature(image, observation.points));
  }

  /** Box of the reported (smoothed) mesh. */
  box(): Box {
    return meshBox(this.smoothed);
  }

  private smooth(points: readonly Landmark[], timeSeconds: number): readonly Landmark[] {
    if (!this.filter) return points;
    const flat = new Float64Array(points.length * 3);
    points.forEach((p, i) => {
      flat[3 * i] = p.x;
      flat[3 * i + 1] = p.y;
      flat[3 * i + 2] = p.z;
    });
    const box = meshBox(points);
    const filtered = this.filter.apply(flat, timeSeconds, Math.max(box.width, box.height));
    return points.map((_, i) => ({ x: filtered[3 * i]!, y: filtered[3 * i + 1]!, z: filtered[3 * i + 2]! }));
  }
}
