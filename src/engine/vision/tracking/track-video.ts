/**
 * Faces tracked through a video file: frames from ffmpeg, one FaceTracker, one result per
 * frame. `seam track` and the video pipeline call this.
 */
import type { JobContext } from '../../context';
import type { LocateOptions } from '../../media/locate-ffmpeg';
import type { FacePipeline } from '../faces/face-pipeline';
import { FaceTracker, type TrackedFace, type TrackerStats } from './face-tracker';
import type { FaceTrackerSettings } from './tracker-settings';
import { openVideo, readVideoFrames } from './video-frames';

export interface FrameTracks {
  index: number;
  timeSeconds: number;
  faces: TrackedFace[];
}

export interface VideoTracks {
  file: string;
  width: number;
  height: number;
  fps: number;
  frames: FrameTracks[];
  stats: TrackerStats;
  settings: FaceTracker['settings'];
}

export interface TrackVideoOptions extends LocateOptions {
  settings?: Partial<FaceTrackerSettings>;
  /** Called with each frame's result as soon as it is known (for streaming output or a preview). */
  onFrame?: (frame: FrameTracks) => void;
  /** Keep every frame's result in the returned object (default true; false for very long videos with onFrame). */
  keepFrames?: boolean;
}

export async function trackVideo(pipeline: FacePipeline, file: string, context: JobContext, options: TrackVideoOptions = {}): Promise<VideoTracks> {
  const source = await openVideo(file, { ...options, context });
  const tracker = new FaceTracker(pipeline, options.settings ?? {}, context.logger);
  const frames: FrameTracks[] = [];
  for await (const frame of readVideoFrames(source, { ...options, context })) {
    const faces = await tracker.next(frame.image, frame.index, frame.timeSeconds, context.signal);
    const result: FrameTracks = { index: frame.index, timeSeconds: frame.timeSeconds, faces };
    options.onFrame?.(result);
    if (options.keepFrames !== false) frames.push(result);
    context.onProgress?.({
      stage: 'track',
      done: frame.index + 1,
      ...(source.frameCount !== undefined ? { total: source.frameCount } : {}),
      message: `frame ${frame.index + 1}, ${faces.length} face(s)`,
    });
  }
  context.logger.debug('video tracked', { file, ...tracker.stats });
  return { file, width: source.width, height: source.height, fps: source.fps, frames, stats: { ...tracker.stats }, settings: tracker.settings };
}
