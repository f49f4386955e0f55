/** The tracker's settings, their defaults, and their validation (BAD_INPUT naming the setting). */
import { SeamError } from '../../../shared/errors';
import type { DetectionStrategy } from '../faces/face-detector';
import { MIN_PRESENCE } from '../faces/face-landmarker';
import { oneEuroForSmoothing, type OneEuroSettings } from './one-euro-filter';

export interface FaceTrackerSettings {
  /** Run the detector every N frames to find faces that enter (0: only when a face is lost or none is followed). */
  detectEvery: number;
  /** Keep a lost face's id this many frames, so it gets it back when it reappears. */
  maxLostFrames: number;
  /** Landmark smoothing, 0 (off) … 1 (heavy). Ignored when `oneEuro` is given. */
  smoothing: number;
  /** Explicit One Euro settings (null: off); overrides `smoothing`. */
  oneEuro?: OneEuroSettings | null;
  minPresence: number;
  /** Follow at most this many faces at once. */
  maxFaces: number;
  detection: DetectionStrategy;
}

export const DEFAULT_TRACKER_SETTINGS: Readonly<FaceTrackerSettings> = {
  detectEvery: 10,
  maxLostFrames: 15,
  smoothing: 0.5,
  minPresence: MIN_PRESENCE,
  maxFaces: 8,
  detection: 'auto',
};

function wholeNumber(value: number, name: string, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new SeamError('BAD_INPUT', `${name} must be a whole number ≥ ${min}, got ${value}.`);
  return value;
}

export function resolveTrackerSettings(partial: Partial<FaceTrackerSettings> = {}): FaceTrackerSettings & { oneEuro: OneEuroSettings | null } {
  const s = { ...DEFAULT_TRACKER_SETTINGS, ...partial };
  wholeNumber(s.detectEvery, 'detectEvery (--detect-every)', 0);
  wholeNumber(s.maxLostFrames, 'maxLostFrames', 0);
  wholeNumber(s.maxFaces, 'maxFaces', 1);
  if (!(s.smoothing >= 0 && s.smoothing <= 1)) throw new SeamError('BAD_INPUT', `smoothing (--smoothing) must be from 0 to 1, got ${s.smoothing}.`);
  if (!(s.minPresence > 0 && s.minPresence < 1)) throw new SeamError('BAD_INPUT', `minPresence must be between 0 and 1, got ${s.minPresence}.`);
  const oneEuro = partial.oneEuro !== undefined ? partial.oneEuro : oneEuroForSmoothing(s.smoothing);
  if (oneEuro && !(oneEuro.minCutoff > 0 && oneEuro.beta >= 0 && oneEuro.derivativeCutoff > 0)) {
    throw new SeamError('BAD_INPUT', 'One Euro settings need minCutoff > 0, beta ≥ 0 and derivativeCutoff > 0.');
  }
  return { ...s, oneEuro };
}
