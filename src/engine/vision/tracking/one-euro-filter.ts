/**
 * The One Euro filter (Casiez, Roussel, Vogel, CHI 2012): a low-pass filter whose cutoff rises
 * with speed, so a still face stops shimmering while a moving one is followed without visible
 * lag. One filter state per coordinate, kept in typed arrays (a face mesh is 468 × 3 values).
 *
 * Speeds are measured in face sizes per second (values divided by a scale, as MediaPipe's
 * landmark smoothing does), so the same settings work for a face of 50 or 500 pixels.
 */

export interface OneEuroSettings {
  /** Hz: the cutoff when still. Lower is smoother (and slower to settle). */
  minCutoff: number;
  /** How much the cutoff rises per (face size per second) of speed. Higher follows fast motion more tightly. */
  beta: number;
  /** Hz: the cutoff for the speed estimate itself. */
  derivativeCutoff: number;
}

function alpha(cutoffHz: number, dtSeconds: number): number {
  const tau = 1 / (2 * Math.PI * cutoffHz);
  return 1 / (1 + tau / dtSeconds);
}

export class OneEuroVectorFilter {
  private readonly value: Float64Array;
  private readonly speed: Float64Array;
  private lastTime: number | undefined;

  constructor(
    readonly length: number,
    private readonly settings: OneEuroSettings,
  ) {
    this.value = new Float64Array(length);
    this.speed = new Float64Array(length);
  }

  /** Filters `input` (length values) taken at `timeSeconds`; `scale` is the face size the speeds are measured in. */
  apply(input: ArrayLike<number>, timeSeconds: number, scale = 1): Float64Array {
    if (input.length !== this.length) throw new RangeError(`expected ${this.length} values, got ${input.length}`);
    const out = new Float64Array(this.length);
    const dt = this.lastTime === undefined ? 0 : timeSeconds - this.lastTime;
    if (this.lastTime === undefined || !(dt > 0)) {
      // First sample (or a repeated timestamp): nothing to filter against yet.
      for (let i = 0; i < this.length; i++) {
        this.value[i] = input[i]!;
        out[i] = input[i]!;
      }
      if (this.lastTime === undefined) this.speed.fill(0);
      this.lastTime = timeSeconds;
      return out;
    }
    const { minCutoff, beta, derivativeCutoff } = this.settings;
    const aSpeed = alpha(derivativeCutoff, dt);
    const invScale = 1 / Math.max(scale, 1e-9);
    for (let i = 0; i < this.length; i++) {
      const previous = this.value[i]!;
      const rawSpeed = ((input[i]! - previous) * invScale) / dt;
      const speed = this.speed[i]! + aSpeed * (rawSpeed - this.speed[i]!);
      this.speed[i] = speed;
      const cutoff = minCutoff + beta * Math.abs(speed);
      const filtered = previous + alpha(cutoff, dt) * (input[i]! - previous);
      this.value[i] = filtered;
      out[i] = filtered;
    }
    this.lastTime = timeSeconds;
    return out;
  }

  /** Forget the history (after a gap: smoothing across it would drag the face from where it was). */
  reset(): void {
    this.lastTime = undefined;
  }
}

/**
 * The user's "smoothing amount" (0..1) as One Euro settings; 0 is off (null). Both knobs move
 * log-linearly: the still-face cutoff from 4 Hz to 0.05 Hz (MediaPipe's face-mesh setting) and
 * beta from 80 (MediaPipe's) to 5. Measured on the test clip and a synthetic pan, 0.5 cuts the
 * still-face jitter by more than half and lags a face moving 1.4 face sizes per second by under
 * a pixel; 1 is for a seated speaker (a fifth of the jitter, ~2 % of the face size behind in fast motion).
 */
export function oneEuroForSmoothing(amount: number): OneEuroSettings | null {
  if (!(amount >= 0 && amount <= 1)) throw new RangeError(`smoothing must be between 0 and 1, got ${amount}`);
  if (amount === 0) return null;
  const logLerp = (from: number, to: number) => Math.exp(Math.log(from) + (Math.log(to) - Math.log(from)) * amount);
  return { minCutoff: logLerp(4, 0.05), beta: logLerp(80, 5), derivativeCutoff: 1 };
}
