/**
 * What the pipeline does to each frame, as plain functions so any caller (the CLI's tracked edit
 * steps, a test that draws a box, the identity) can be passed in.
 */
import type { RasterImage } from '../image/image';

/**
 * Edits one frame. `frame` is upright 8-bit RGB (channels 3) at the clip's display size; the
 * result must have the same size and channels (it may be `frame` itself, edited in place).
 * `index` counts from the first frame rendered (the start of the range); `timestampSeconds` is
 * the frame's time from that first frame (index / rate for a constant-rate clip, the frame's own
 * time for a variable-rate one). Frames arrive in order, one at a time.
 */
export type FrameProcessor = (frame: RasterImage, index: number, timestampSeconds: number) => Promise<RasterImage>;

/**
 * Sees a frame without editing it: on resume, the frames of segments finished by the earlier run
 * are shown to this instead of being edited again, so a stateful processor (the face tracker,
 * its smoothing and its track ids) reaches the first unfinished frame in the same state as an
 * uninterrupted run would.
 */
export type FrameObserver = (frame: RasterImage, index: number, timestampSeconds: number) => Promise<void>;

export const identityFrameProcessor: FrameProcessor = (frame) => Promise.resolve(frame);
