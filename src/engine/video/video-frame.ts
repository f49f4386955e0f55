/**
 * A clip's frame as the pipeline carries it: 8-bit YUV 4:2:0 (I420: the Y plane, then U, then V,
 * chroma planes ⌈w/2⌉×⌈h/2⌉), exactly as ffmpeg decodes it and as the encoder takes it. Nothing
 * converts a frame to RGB unless an edit needs its pixels, and then only the part it needs; only
 * the pixels an edit changed are written back. So a frame (or the part of it) no edit touched
 * reaches the encoder byte for byte as decoded, and the pipeline costs ffmpeg no colour
 * conversion at either end (rgb24 pipes cost a swscale pass each way and twice the bytes).
 *
 * Written by hand because no library converts part of an I420 buffer in place from Node: sharp
 * (libvips) takes no YUV input, and ffmpeg converts whole frames only.
 */
import type { RasterImage } from '../image/image';
import type { ColourTags } from '../media/probe-summary';
import type { Region } from '../vision/image-ops/box-downsample';
import type { PixelSource } from '../vision/image-ops/pixel-source';
import type { FramePixels } from '../vision/tracking/face-tracker';

/** Luma weights of the YUV matrices video uses (ITU-R BT.601, BT.709, BT.2020 non-constant). */
const MATRICES = {
  bt601: { kr: 0.299, kb: 0.114 },
  bt709: { kr: 0.2126, kb: 0.0722 },
  bt2020: { kr: 0.2627, kb: 0.0593 },
} as const;
export type YuvMatrix = keyof typeof MATRICES;

export interface FrameColour {
  matrix: YuvMatrix;
  /** Full range (0–255, "pc", JPEG) or limited (16–235 luma, 16–240 chroma, "tv"). */
  fullRange: boolean;
}

/**
 * How a decoded yuv420p frame's values mean colours, from the stream's tags. Untagged: BT.709
 * from 720 lines up, else BT.601 (what players assume). `yuvj` formats are full range, but the
 * decode to yuv420p has already brought them to limited range.
 */
export function frameColourOf(tags: ColourTags | undefined, height: number): FrameColour {
  const space = tags?.space ?? '';
  const matrix: YuvMatrix = space === 'bt709' ? 'bt709' : space.startsWith('bt2020') ? 'bt2020' : space === 'smpte170m' || space === 'bt470bg' ? 'bt601' : height >= 720 ? 'bt709' : 'bt601';
  return { matrix, fullRange: tags?.range === 'pc' };
}

/** Fixed-point tables for one matrix and range: 16 fractional bits, rounding folded into luma. */
class YuvTables {
  readonly lumaToRgb = new Int32Array(256);
  readonly vToRed = new Int32Array(256);
  readonly uToGreen = new Int32Array(256);
  readonly vToGreen = new Int32Array(256);
  readonly uToBlue = new Int32Array(256);
  /**
   * RGB (0–255) → Y, U and V before rounding: Y = yOffset + yR·r + yG·g + yB·b, and U, V = 128 +
   * the same form. Plain coefficients rather than functions, so writeRgb's loop does the
   * arithmetic inline.
   */
  readonly forward: { yOffset: number; yR: number; yG: number; yB: number; uR: number; uG: number; uB: number; vR: number; vG: number; vB: number };
  /**
   * Y, U, V (any real values: averages) → R, G, B (0–255, before clamping): R = luma·(Y − yOffset)
   * + vToRed·(V − 128), G = luma·(Y − yOffset) − uToGreen·(U − 128) − vToGreen·(V − 128),
   * B = luma·(Y − yOffset) + uToBlue·(U − 128). The tables' arithmetic, unrounded.
   */
  readonly inverse: { yOffset: number; luma: number; vToRed: number; uToGreen: number; vToGreen: number; uToBlue: number };

  constructor(colour: FrameColour) {
    const { kr, kb } = MATRICES[colour.matrix];
    const kg = 1 - kr - kb;
    const lumaScale = colour.fullRange ? 1 : 219 / 255;
    const chromaScale = colour.fullRange ? 1 : 224 / 255;
    const lumaOffset = colour.fullRange ? 0 : 16;
    const one = 1 << 16;
    for (let i = 0; i < 256; i++) {
      const c = (i - 128) / chromaScale;
      this.lumaToRgb[i] = Math.round(((i - lumaOffset) / lumaScale) * one) + (one >> 1);
      this.vToRed[i] = Math.round(2 * (1 - kr) * c * one);
      this.uToGreen[i] = Math.round(((2 * kb * (1 - kb)) / kg) * c * one);
      this.vToGreen[i] = Math.round(((2 * kr * (1 - kr)) / kg) * c * one);
      this.uToBlue[i] = Math.round(2 * (1 - kb) * c * one);
    }
    this.inverse = {
      yOffset: lumaOffset,
      luma: 1 / lumaScale,
      vToRed: (2 * (1 - kr)) / chromaScale,
      uToGreen: (2 * kb * (1 - kb)) / kg / chromaScale,
      vToGreen: (2 * kr * (1 - kr)) / kg / chromaScale,
      uToBlue: (2 * (1 - kb)) / chromaScale,
    };
    // U is the scaled B − Y', V the scaled R − Y' (Y' the unscaled luma), folded with the range.
    const uScale = chromaScale / (2 * (1 - kb));
    const vScale = chromaScale / (2 * (1 - kr));
    this.forward = {
      yOffset: lumaOffset,
      yR: kr * lumaScale,
      yG: kg * lumaScale,
      yB: kb * lumaScale,
      uR: -kr * uScale,
      uG: -kg * uScale,
      uB: (1 - kb) * uScale,
      vR: (1 - kr) * vScale,
      vG: -kg * vScale,
      vB: -kb * vScale,
    };
  }
}

const tablesCache = new Map<string, YuvTables>();
function tablesFor(colour: FrameColour): YuvTables {
  const key = `${colour.matrix}/${colour.fullRange}`;
  let tables = tablesCache.get(key);
  if (!tables) tablesCache.set(key, (tables = new YuvTables(colour)));
  return tables;
}

/** Bytes of an I420 frame of this size. */
export function i420Bytes(width: number, height: number): number {
  return width * height + 2 * Math.ceil(width / 2) * Math.ceil(height / 2);
}

export class VideoFrame {
  readonly #tables: YuvTables;

  constructor(
    readonly width: number,
    readonly height: number,
    /** I420 bytes; edits write into it. */
    readonly yuv: Uint8Array,
    readonly colour: FrameColour,
  ) {
    if (yuv.length !== i420Bytes(width, height)) throw new RangeError(`a ${width}×${height} I420 frame holds ${i420Bytes(width, height)} bytes, got ${yuv.length}`);
    this.#tables = tablesFor(colour);
  }

  /** The whole frame as a Region. */
  get bounds(): Region {
    return { left: 0, top: 0, width: this.width, height: this.height };
  }

  /**
   * `region` grown outwards to even edges (a 2×2 chroma block is never split between inside and
   * outside) and clipped to the frame; null when it misses the frame.
   */
  aligned(region: Region): Region | null {
    const left = Math.max(0, Math.floor(region.left / 2) * 2);
    const top = Math.max(0, Math.floor(region.top / 2) * 2);
    const right = Math.min(this.width, Math.ceil((region.left + region.width) / 2) * 2);
    const bottom = Math.min(this.height, Math.ceil((region.top + region.height) / 2) * 2);
    return right > left && bottom > top ? { left, top, width: right - left, height: bottom - top } : null;
  }

  /**
   * The pixels of `region` (an aligned one: see aligned()) as 8-bit RGB, chroma taken from its
   * 2×2 block (as ffmpeg's own unscaled conversion does).
   */
  toRgb(region: Region = this.bounds): RasterImage {
    const out = new Uint8Array(region.width * region.height * 3);
    this.convertInto(region, out, region.width, region.left, region.top);
    return { width: region.width, height: region.height, channels: 3, data: out };
  }

  /**
   * The frame as a FramePixels for the face tracker: a frame-sized RGB image whose regions are
   * converted only when asked for (the crops around followed faces on most frames, the whole
   * frame only when the detector runs). With `scratch`, its buffer is reused rather than a new
   * one allocated: the image is only valid until the next lazyRgb on the same scratch.
   */
  lazyRgb(scratch?: RgbScratch): FramePixels {
    const data = scratch ? scratch.fresh(this.width, this.height) : new Uint8Array(this.width * this.height * 3);
    // A warp that shrinks the frame averages it from the YUV planes, converted or not.
    const image: RasterImage & Pick<PixelSource, 'boxAverage'> = { width: this.width, height: this.height, channels: 3, data, boxAverage: (region, factor) => this.averageRgb(region, factor) };
    const done: Region[] = scratch?.filled ?? [];
    let whole = false;
    return {
      width: this.width,
      height: this.height,
      image,
      pixels: (box) => {
        if (whole) return image;
        const wanted = box ? this.aligned({ left: Math.floor(box.x), top: Math.floor(box.y), width: Math.ceil(box.width) + 1, height: Math.ceil(box.height) + 1 }) : this.bounds;
        if (!wanted || done.some((d) => contains(d, wanted))) return image;
        this.convertInto(wanted, image.data, this.width, 0, 0);
        done.push(wanted);
        whole = !box;
        return image;
      },
    };
  }

  /**
   * `region` (inside the frame) averaged over factor×factor blocks, as float RGB: what
   * boxDownsample gives on the region converted to RGB, computed from the YUV planes without
   * converting a pixel of them. Each block's Y, U and V are averaged (a pixel's chroma is its 2×2
   * block's sample) and the means converted: the conversion is affine, so this is the mean of the
   * converted pixels, but for their rounding to 8 bits and their clamping (a mean, not a pixel,
   * is clamped), a fraction of a level. The tracker's face crops and detector inputs shrink a
   * 720p frame 2× to 10×: this reads each pixel's bytes once instead of converting it, writing
   * it and reading it back.
   */
  averageRgb(region: Region, factor: number): PixelSource & { data: Float32Array } {
    const { left, top, width, height } = region;
    if (left < 0 || top < 0 || left + width > this.width || top + height > this.height || width <= 0 || height <= 0 || !Number.isInteger(factor) || factor < 1) {
      throw new RangeError(`cannot average ${width}×${height} at (${left}, ${top}) by ${factor} in a ${this.width}×${this.height} frame`);
    }
    const { yOffset, luma, vToRed, uToGreen, vToGreen, uToBlue } = this.#tables.inverse;
    const yuv = this.yuv;
    const frameWidth = this.width;
    const chromaWidth = Math.ceil(frameWidth / 2);
    const uPlane = frameWidth * this.height;
    const vPlane = uPlane + chromaWidth * Math.ceil(this.height / 2);
    const outWidth = Math.ceil(width / factor);
    const outHeight = Math.ceil(height / factor);
    const out = new Float32Array(outWidth * outHeight * 3);
    // A block row is summed column by column first (plain runs along the planes' rows), then the
    // columns block by block; a pixel's chroma column is its 2×2 block's. Integer sums: exact.
    const chromaLeft = left >> 1;
    const chromaColumns = ((left + width - 1) >> 1) - chromaLeft + 1;
    const columnY = new Int32Array(width);
    const columnU = new Int32Array(chromaColumns);
    const columnV = new Int32Array(chromaColumns);
    const clamp = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : v);
    for (let oy = 0; oy < outHeight; oy++) {
      columnY.fill(0);
      columnU.fill(0);
      columnV.fill(0);
      const y0 = oy * factor;
      const y1 = Math.min(height, y0 + factor);
      // Two luma rows a pass: half the loads and stores of the column sums.
      let y = y0;
      for (; y + 1 < y1; y += 2) {
        const upper = (top + y) * frameWidth + left;
        const lower = upper + frameWidth;
        for (let x = 0; x < width; x++) columnY[x] = columnY[x]! + yuv[upper + x]! + yuv[lower + x]!;
      }
      if (y < y1) {
        const lumaRow = (top + y) * frameWidth + left;
        for (let x = 0; x < width; x++) columnY[x] = columnY[x]! + yuv[lumaRow + x]!;
      }
      // Each chroma row once, counted for as many of the block's luma rows as share it (one or
      // two): the same sums as adding it under every luma row, from half the reads.
      for (let chromaY = (top + y0) >> 1; chromaY <= (top + y1 - 1) >> 1; chromaY++) {
        const shared = Math.min(top + y1, 2 * chromaY + 2) - Math.max(top + y0, 2 * chromaY);
        const chromaRow = chromaY * chromaWidth + chromaLeft;
        for (let c = 0; c < chromaColumns; c++) {
          columnU[c] = columnU[c]! + shared * yuv[uPlane + chromaRow + c]!;
          columnV[c] = columnV[c]! + shared * yuv[vPlane + chromaRow + c]!;
        }
      }
      const rows = y1 - y0;
      let o = oy * outWidth * 3;
      for (let ox = 0; ox < outWidth; ox++, o += 3) {
        const x0 = ox * factor;
        const x1 = Math.min(width, x0 + factor);
        let sumY = 0;
        let sumU = 0;
        let sumV = 0;
        for (let x = x0; x < x1; x++) sumY += columnY[x]!;
        // The chroma columns as the rows above: each once, counted for the luma columns sharing it.
        for (let chromaX = (left + x0) >> 1; chromaX <= (left + x1 - 1) >> 1; chromaX++) {
          const shared = Math.min(left + x1, 2 * chromaX + 2) - Math.max(left + x0, 2 * chromaX);
          sumU += shared * columnU[chromaX - chromaLeft]!;
          sumV += shared * columnV[chromaX - chromaLeft]!;
        }
        const inv = 1 / (rows * (x1 - x0));
        const lumaTerm = luma * (sumY * inv - yOffset);
        const u = sumU * inv - 128;
        const v = sumV * inv - 128;
        out[o] = clamp(lumaTerm + vToRed * v);
        out[o + 1] = clamp(lumaTerm - uToGreen * u - vToGreen * v);
        out[o + 2] = clamp(lumaTerm + uToBlue * u);
      }
    }
    return { width: outWidth, height: outHeight, channels: 3, data: out };
  }

  /** Converts `region` into `out`, an RGB image `outWidth` wide whose top-left is frame pixel (outLeft, outTop). */
  private convertInto(region: Region, out: Uint8Array, outWidth: number, outLeft: number, outTop: number): void {
    const { left, top, width, height } = region;
    const { lumaToRgb, vToRed, uToGreen, vToGreen, uToBlue } = this.#tables;
    // Stores through a clamped view round towards zero and clamp to 0..255 (a plain store wraps).
    const rgb = new Uint8ClampedArray(out.buffer, out.byteOffset, out.byteLength);
    const yuv = this.yuv;
    const chromaWidth = Math.ceil(this.width / 2);
    const uPlane = this.width * this.height;
    const vPlane = uPlane + chromaWidth * Math.ceil(this.height / 2);
    // Two rows at a time: each chroma sample serves a 2×2 block, so its terms are looked up once.
    // A block cut by an odd frame edge is written pixel by pixel (`put` skips what is outside).
    const put = (o: number, lumaIndex: number, red: number, green: number, blue: number) => {
      const luma = lumaToRgb[yuv[lumaIndex]!]!;
      rgb[o] = (luma + red) >> 16;
      rgb[o + 1] = (luma + green) >> 16;
      rgb[o + 2] = (luma + blue) >> 16;
    };
    const fullColumns = width & ~1;
    for (let row = 0; row < height; row += 2) {
      const y = top + row;
      const pair = row + 1 < height;
      const lumaRow = y * this.width + left;
      const chromaRow = (y >> 1) * chromaWidth + (left >> 1);
      let o0 = ((y - outTop) * outWidth + left - outLeft) * 3;
      let o1 = o0 + outWidth * 3;
      for (let col = 0; col < width; col += 2) {
        const c = chromaRow + (col >> 1);
        const u = yuv[uPlane + c]!;
        const v = yuv[vPlane + c]!;
        const red = vToRed[v]!;
        const green = -uToGreen[u]! - vToGreen[v]!;
        const blue = uToBlue[u]!;
        const l = lumaRow + col;
        if (pair && col < fullColumns) {
          let luma = lumaToRgb[yuv[l]!]!;
          rgb[o0] = (luma + red) >> 16;
          rgb[o0 + 1] = (luma + green) >> 16;
          rgb[o0 + 2] = (luma + blue) >> 16;
          luma = lumaToRgb[yuv[l + 1]!]!;
          rgb[o0 + 3] = (luma + red) >> 16;
          rgb[o0 + 4] = (luma + green) >> 16;
          rgb[o0 + 5] = (luma + blue) >> 16;
          luma = lumaToRgb[yuv[l + this.width]!]!;
          rgb[o1] = (luma + red) >> 16;
          rgb[o1 + 1] = (luma + green) >> 16;
          rgb[o1 + 2] = (luma + blue) >> 16;
          luma = lumaToRgb[yuv[l + this.width + 1]!]!;
          rgb[o1 + 3] = (luma + red) >> 16;
          rgb[o1 + 4] = (luma + green) >> 16;
          rgb[o1 + 5] = (luma + blue) >> 16;
        } else {
          put(o0, l, red, green, blue);
          if (col + 1 < width) put(o0 + 3, l + 1, red, green, blue);
          if (pair) {
            put(o1, l + this.width, red, green, blue);
            if (col + 1 < width) put(o1 + 3, l + this.width + 1, red, green, blue);
          }
        }
        o0 += 6;
        o1 += 6;
      }
    }
  }

  /**
   * Runs an RGB edit on `region` (aligned) of the frame and writes back what it changed. The edit
   * gets the region's pixels and returns them edited (it may edit them in place and return them).
   */
  async editRgb(region: Region, edit: (rgb: RasterImage) => Promise<RasterImage>): Promise<void> {
    const rgb = this.toRgb(region);
    // Kept to tell what the edit changed, since it may work in place.
    const original = { ...rgb, data: rgb.data.slice() };
    this.writeRgb(region, original, await edit(rgb));
  }

  /**
   * Writes back the pixels of `region` (aligned, as given to toRgb) that `edited` changed from
   * `original` (both RGB of the region's size): their luma each, and the chroma of every 2×2
   * block with a changed pixel, from the block's average colour. Pixels unchanged in RGB keep
   * their YUV bytes exactly. Returns the number of pixels written.
   */
  writeRgb(region: Region, original: RasterImage, edited: RasterImage): number {
    const { left, top, width, height } = region;
    if (original.width !== width || original.height !== height || edited.width !== width || edited.height !== height || edited.channels !== 3 || original.channels !== 3) {
      throw new RangeError(`writeRgb wants two ${width}×${height} RGB images, got ${original.width}×${original.height}×${original.channels} and ${edited.width}×${edited.height}×${edited.channels}`);
    }
    const before = Buffer.from(original.data.buffer, original.data.byteOffset, original.data.byteLength);
    const after = Buffer.from(edited.data.buffer, edited.data.byteOffset, edited.data.byteLength);
    const { yOffset, yR, yG, yB, uR, uG, uB, vR, vG, vB } = this.#tables.forward;
    // Stores through a clamped view: a full-range chroma value may round to 256.
    const yuv = new Uint8ClampedArray(this.yuv.buffer, this.yuv.byteOffset, this.yuv.byteLength);
    const frameWidth = this.width;
    const chromaWidth = Math.ceil(frameWidth / 2);
    const uPlane = frameWidth * this.height;
    const vPlane = uPlane + chromaWidth * Math.ceil(this.height / 2);
    const rowBytes = width * 3;
    const a = edited.data;
    const b = original.data;
    // Luma offset plus the half that makes truncation round to nearest (every value is positive).
    const yBias = yOffset + 0.5;
    let written = 0;
    // Whole rows compared natively first: most rows of most frames are untouched.
    const rowChanged = (row: number) => row < height && before.compare(after, row * rowBytes, (row + 1) * rowBytes, row * rowBytes, (row + 1) * rowBytes) !== 0;
    for (let row = 0; row < height; row += 2) {
      const pair = row + 1 < height;
      if (!rowChanged(row) && !rowChanged(row + 1)) continue;
      const lumaRow = (top + row) * frameWidth + left;
      const chromaRow = ((top + row) >> 1) * chromaWidth + (left >> 1);
      for (let col = 0; col < width; col += 2) {
        const i0 = (row * width + col) * 3;
        const l0 = lumaRow + col;
        let changed = 0;
        let red: number;
        let green: number;
        let blue: number;
        let n: number;
        if (pair && col + 1 < width) {
          // A whole 2×2 block (all but an odd frame's last row or column), written out.
          const i1 = i0 + 3;
          const i2 = i0 + rowBytes;
          const i3 = i2 + 3;
          const r0 = a[i0]!, g0 = a[i0 + 1]!, b0 = a[i0 + 2]!;
          const r1 = a[i1]!, g1 = a[i1 + 1]!, b1 = a[i1 + 2]!;
          const r2 = a[i2]!, g2 = a[i2 + 1]!, b2 = a[i2 + 2]!;
          const r3 = a[i3]!, g3 = a[i3 + 1]!, b3 = a[i3 + 2]!;
          if (r0 !== b[i0] || g0 !== b[i0 + 1] || b0 !== b[i0 + 2]) {
            yuv[l0] = (yBias + yR * r0 + yG * g0 + yB * b0) | 0;
            changed++;
          }
          if (r1 !== b[i1] || g1 !== b[i1 + 1] || b1 !== b[i1 + 2]) {
            yuv[l0 + 1] = (yBias + yR * r1 + yG * g1 + yB * b1) | 0;
            changed++;
          }
          if (r2 !== b[i2] || g2 !== b[i2 + 1] || b2 !== b[i2 + 2]) {
            yuv[l0 + frameWidth] = (yBias + yR * r2 + yG * g2 + yB * b2) | 0;
            changed++;
          }
          if (r3 !== b[i3] || g3 !== b[i3 + 1] || b3 !== b[i3 + 2]) {
            yuv[l0 + frameWidth + 1] = (yBias + yR * r3 + yG * g3 + yB * b3) | 0;
            changed++;
          }
          if (changed === 0) continue;
          red = r0 + r1 + r2 + r3;
          green = g0 + g1 + g2 + g3;
          blue = b0 + b1 + b2 + b3;
          n = 4;
        } else {
          // A block cut by an odd frame edge: the pixels it holds.
          red = green = blue = n = 0;
          for (let k = 0; k < 4; k++) {
            const dx = k & 1;
            const dy = k >> 1;
            if ((dx === 1 && col + 1 >= width) || (dy === 1 && !pair)) continue;
            const i = i0 + dy * rowBytes + dx * 3;
            red += a[i]!;
            green += a[i + 1]!;
            blue += a[i + 2]!;
            n++;
            if (a[i] === b[i] && a[i + 1] === b[i + 1] && a[i + 2] === b[i + 2]) continue;
            yuv[l0 + dy * frameWidth + dx] = (yBias + yR * a[i]! + yG * a[i + 1]! + yB * a[i + 2]!) | 0;
            changed++;
          }
          if (changed === 0) continue;
        }
        written += changed;
        const c = chromaRow + (col >> 1);
        yuv[uPlane + c] = (128.5 + (uR * red + uG * green + uB * blue) / n) | 0;
        yuv[vPlane + c] = (128.5 + (vR * red + vG * green + vB * blue) / n) | 0;
      }
    }
    return written;
  }
}

/**
 * One frame-sized RGB buffer for lazyRgb, reused frame after frame by a caller that keeps no
 * frame's pixels past the next (the tracker: it reads a frame and keeps only landmarks). A new
 * 1280×720 RGB buffer per frame is 2.7 MB of allocation and garbage. Each frame starts as a new
 * zeroed buffer would: what the previous frame converted is cleared first, so a read outside the
 * converted regions sees zeros, never an earlier frame's pixels.
 */
export class RgbScratch {
  #data: Uint8Array | undefined;
  /** Regions the current frame converted (lazyRgb fills it). */
  filled: Region[] = [];

  /** The buffer for a width × height frame, all zeros. */
  fresh(width: number, height: number): Uint8Array {
    if (!this.#data || this.#data.length !== width * height * 3) {
      this.#data = new Uint8Array(width * height * 3);
    } else {
      for (const { left, top, width: w, height: h } of this.filled) {
        for (let y = top; y < top + h; y++) this.#data.fill(0, (y * width + left) * 3, (y * width + left + w) * 3);
      }
    }
    this.filled = [];
    return this.#data;
  }
}

function contains(outer: Region, inner: Region): boolean {
  return inner.left >= outer.left && inner.top >= outer.top && inner.left + inner.width <= outer.left + outer.width && inner.top + inner.height <= outer.top + outer.height;
}
