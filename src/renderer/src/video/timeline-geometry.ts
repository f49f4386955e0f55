/**
 * Where frames sit on the timeline strip. Each frame owns an equal slot of the strip's width, so
 * frame → x → frame round-trips for every frame however many frames share a pixel, and a range
 * of frames is drawn from the start of its first slot to the end of its last.
 */

export function clampFrame(frame: number, frameCount: number): number {
  if (frameCount <= 0) return 0;
  return Math.min(frameCount - 1, Math.max(0, Math.round(frame)));
}

/** The x (in strip pixels) of the start of a frame's slot; `frameCount` gives the strip's end. */
export function frameStartX(frame: number, frameCount: number, width: number): number {
  if (frameCount <= 0) return 0;
  return (Math.min(Math.max(frame, 0), frameCount) / frameCount) * width;
}

/** The x of the middle of a frame's slot: where the playhead is drawn. */
export function frameToX(frame: number, frameCount: number, width: number): number {
  return frameStartX(clampFrame(frame, frameCount) + 0.5, frameCount, width);
}

/** The frame whose slot holds x; x outside the strip gives the first or last frame. */
export function xToFrame(x: number, frameCount: number, width: number): number {
  if (frameCount <= 0 || width <= 0) return 0;
  return Math.min(frameCount - 1, Math.max(0, Math.floor((x / width) * frameCount)));
}

/** The span of strip pixels a range of frames (both included) covers. */
export function rangeToSpan(fromFrame: number, toFrame: number, frameCount: number, width: number): { x: number; width: number } {
  const x = frameStartX(clampFrame(fromFrame, frameCount), frameCount, width);
  const end = frameStartX(clampFrame(toFrame, frameCount) + 1, frameCount, width);
  return { x, width: Math.max(0, end - x) };
}

/**
 * The frame a key moves the playhead to: ←/→ one frame, Shift+←/→ ten, Home/End the first and
 * last; null for any other key.
 */
export function frameForKey(key: string, shift: boolean, frame: number, frameCount: number): number | null {
  const step = shift ? 10 : 1;
  switch (key) {
    case 'ArrowLeft':
      return clampFrame(frame - step, frameCount);
    case 'ArrowRight':
      return clampFrame(frame + step, frameCount);
    case 'Home':
      return 0;
    case 'End':
      return clampFrame(frameCount - 1, frameCount);
    default:
      return null;
  }
}

/** How many thumbnails fill the strip at their aspect ratio (at least one, at most the contract's 200). */
export function thumbnailCount(stripWidth: number, thumbHeight: number, aspect: number, frameCount: number): number {
  const perThumb = Math.max(1, thumbHeight * (aspect > 0 ? aspect : 16 / 9));
  return Math.max(1, Math.min(200, frameCount, Math.ceil(stripWidth / perThumb)));
}

/** "0:03.12 · frame 78 of 100" parts: the time of a frame at the clip's rate. */
export function frameTime(frame: number, frameRate: string): number {
  const rate = parseFrameRate(frameRate);
  return rate > 0 ? frame / rate : 0;
}

export function parseFrameRate(frameRate: string): number {
  const [num, den] = frameRate.split('/').map(Number);
  if (num === undefined || !Number.isFinite(num)) return 0;
  const rate = den === undefined ? num : den > 0 ? num / den : 0;
  return Number.isFinite(rate) && rate > 0 ? rate : 0;
}

/** m:ss.cc (or h:mm:ss.cc), as a video editor's time readout. */
export function formatClock(seconds: number): string {
  const centis = Math.max(0, Math.round(seconds * 100));
  const h = Math.floor(centis / 360_000);
  const m = Math.floor((centis % 360_000) / 6000);
  const s = Math.floor((centis % 6000) / 100);
  const cs = centis % 100;
  const tail = `${String(s).padStart(2, '0')}.${String(cs).padStart(2, '0')}`;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${tail}` : `${m}:${tail}`;
}
