/**
 * What the pipeline does to each frame, as plain functions so any caller (the app's plan, the
 * CLI's tracked edit steps, a test that draws a box, the identity) can be passed in.
 */
import type { RasterImage } from '../image/image';
import type { VideoFrame } from './video-frame';

/**
 * Edits one frame in place. `frame` is the upright decoded frame at the clip's display size, in
 * YUV 4:2:0 (video-frame.ts): an edit converts the part it needs to RGB and writes back what it
 * changed (editAsRgb does that for a whole frame). `index` counts from the first frame rendered
 * (the start of the range); `timestampSeconds` is the frame's time from that first frame
 * (index / rate for a constant-rate clip, the frame's own time for a variable-rate one). Frames
 * arrive in order, one at a time.
 */
export type FrameProcessor = (frame: VideoFrame, index: number, timestampSeconds: number) => Promise<void>;

/**
 * Sees a frame without editing it: on resume, the frames of segments finished by the earlier run
 * are shown to this instead of being edited again, so a stateful processor (the face tracker,
 * its smoothing and its track ids) reaches the first unfinished frame in the same state as an
 * uninterrupted run would.
 */
export type FrameObserver = (frame: VideoFrame, index: number, timestampSeconds: number) => Promise<void>;

/** An edit of a whole frame in RGB: returns the edited frame (it may be `frame`, edited in place). */
export type RgbFrameEdit = (frame: RasterImage, index: number, timestampSeconds: number) => Promise<RasterImage>;

/** Leaves every frame as decoded: no pixel is converted or touched. */
export const identityFrameProcessor: FrameProcessor = () => Promise.resolve();

/**
 * A FrameProcessor from a whole-frame RGB edit: the frame is converted, edited, and the pixels
 * the edit changed are written back (the others keep their decoded bytes).
 */
export function editAsRgb(edit: RgbFrameEdit): FrameProcessor {
  return (frame, index, seconds) => frame.editRgb(frame.bounds, (rgb) => edit(rgb, index, seconds));
}
