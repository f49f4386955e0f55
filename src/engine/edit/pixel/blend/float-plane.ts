/**
 * One float value per pixel (a mask, a weight, one channel of a colour field), and the two
 * resamplings the smooth ones go through: masks and colour fields are smooth by construction, so
 * they are computed on a copy a few times smaller and brought back bilinearly (their cost then
 * does not follow the face's size).
 */

export interface FloatPlane {
  width: number;
  height: number;
  data: Float32Array;
}

export function createPlane(width: number, height: number): FloatPlane {
  return { width, height, data: new Float32Array(width * height) };
}

/** Averages factor×factor blocks (blocks cut by the edge average what they hold). */
export function downsamplePlane(plane: FloatPlane, factor: number): FloatPlane {
  if (factor <= 1) return plane;
  const { width, height, data } = plane;
  const out = createPlane(Math.ceil(width / factor), Math.ceil(height / factor));
  const counts = new Float32Array(out.data.length);
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / factor) * out.width;
    for (let x = 0; x < width; x++) {
      const o = row + Math.floor(x / factor);
      out.data[o]! += data[y * width + x]!;
      counts[o]! += 1;
    }
  }
  for (let i = 0; i < out.data.length; i++) out.data[i] = out.data[i]! / counts[i]!;
  return out;
}

/**
 * Bilinear upsampling of a plane made at 1/factor of the full size, one full-size row at a time,
 * so a full-size pass can read several smooth fields without a full-size copy of any. A full-size
 * pixel centre x + 0.5 sits at (x + 0.5) / factor in the small plane (edges replicated). The two
 * small rows a full row lies between are widened once and kept, so consecutive rows (`factor` of
 * them share a pair) cost one multiply-add per pixel.
 */
export class RowUpsampler {
  readonly #x0: Int32Array;
  readonly #x1: Int32Array;
  readonly #fx: Float32Array;
  #upper = -1;
  #above: Float32Array;
  #below: Float32Array;

  constructor(
    readonly small: FloatPlane,
    readonly factor: number,
    readonly width: number,
  ) {
    this.#x0 = new Int32Array(width);
    this.#x1 = new Int32Array(width);
    this.#fx = new Float32Array(width);
    this.#above = new Float32Array(width);
    this.#below = new Float32Array(width);
    for (let x = 0; x < width; x++) {
      const px = Math.min(small.width - 1, Math.max(0, (x + 0.5) / factor - 0.5));
      this.#x0[x] = Math.floor(px);
      this.#x1[x] = Math.min(small.width - 1, this.#x0[x]! + 1);
      this.#fx[x] = px - this.#x0[x]!;
    }
  }

  /**
   * The two widened small rows full-size row y lies between, and its weight on the lower one:
   * row y is above + (below − above)·fy. For loops that fold the interpolation into their own
   * per-pixel work; the arrays are reused by the next call.
   */
  rowPair(y: number): { above: Float32Array; below: Float32Array; fy: number } {
    const { small } = this;
    const py = Math.min(small.height - 1, Math.max(0, (y + 0.5) / this.factor - 0.5));
    const upper = Math.floor(py);
    if (upper !== this.#upper) {
      if (this.#upper >= 0 && upper === this.#upper + 1) {
        [this.#above, this.#below] = [this.#below, this.#above];
      } else {
        this.#widen(upper, this.#above);
      }
      this.#widen(Math.min(small.height - 1, upper + 1), this.#below);
      this.#upper = upper;
    }
    return { above: this.#above, below: this.#below, fy: py - upper };
  }

  /** Full-size row y into `out` (width values). */
  row(y: number, out: Float32Array): Float32Array {
    const { above, below, fy } = this.rowPair(y);
    for (let x = 0; x < this.width; x++) out[x] = above[x]! + (below[x]! - above[x]!) * fy;
    return out;
  }

  #widen(smallRow: number, out: Float32Array): void {
    const d = this.small.data;
    const base = smallRow * this.small.width;
    const x0 = this.#x0;
    const x1 = this.#x1;
    const fx = this.#fx;
    for (let x = 0; x < this.width; x++) {
      const a = d[base + x0[x]!]!;
      out[x] = a + (d[base + x1[x]!]! - a) * fx[x]!;
    }
  }
}

/** The whole plane upsampled (see RowUpsampler) to width × height. */
export function upsamplePlane(small: FloatPlane, factor: number, width: number, height: number): FloatPlane {
  if (factor <= 1 && small.width === width && small.height === height) return small;
  const out = createPlane(width, height);
  const rows = new RowUpsampler(small, factor, width);
  for (let y = 0; y < height; y++) rows.row(y, out.data.subarray(y * width, (y + 1) * width));
  return out;
}
