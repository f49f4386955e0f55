/**
 * The appearance sliders applied to one face's pixels: per pixel, the cached Lab colour is
 * smoothed (skin), shifted (tone), recoloured (hair, lips), darkened or faded (brows) and whitened
 * (teeth), each through its own soft mask, and converted back to sRGB once. A pixel's result
 * depends only on its own masks and the slider values, so an update can repaint just the pixels
 * under the masks of the sliders that changed (frame-state.ts does) and leave the rest as they are.
 */
import type { RasterImage } from '../../../../image/image';
import { labToRgb } from '../../../pixel/color/color-space';
import type { AttributeOptions } from '../options';
import type { FaceAppearance } from './face-appearance';
import type { RegionName } from './region-masks';

/** A hue/saturation/lightness change in LCh: rotation of (a, b), chroma gain, lightness curve. */
interface ColorShift {
  cos: number;
  sin: number;
  chroma: number;
  /** +: fraction of the way to white; −: fraction of the way to black. */
  light: number;
}

export interface AppearanceSettings {
  hair: ColorShift | null;
  lips: ColorShift | null;
  /** Share of the blotch layer removed; the pore layer loses 40 % of this share. */
  smooth: number;
  tone: { a: number; b: number; l: number } | null;
  brows: number;
  teeth: number;
}

function colorShift(hue: number, saturation: number, lightness: number): ColorShift | null {
  if (hue === 0 && saturation === 0 && lightness === 0) return null;
  const s = saturation / 100;
  const rad = (hue * Math.PI) / 180;
  return { cos: Math.cos(rad), sin: Math.sin(rad), chroma: s >= 0 ? 1 + 1.5 * s : 1 + s, light: (lightness / 100) * 0.5 };
}

export function appearanceSettings(options: AttributeOptions): AppearanceSettings {
  const warm = options.skinTone / 100;
  const light = options.skinBrightness / 100;
  return {
    hair: colorShift(options.hairHue, options.hairSaturation, options.hairLightness),
    lips: colorShift(options.lipHue, options.lipSaturation, options.lipLightness),
    smooth: options.skinSmoothing / 100,
    tone: warm !== 0 || light !== 0 ? { a: 2.5 * warm, b: 8 * warm, l: 10 * light } : null,
    brows: options.browDarkness / 100,
    teeth: options.teethWhitening / 100,
  };
}

/** The regions whose sliders are set. */
export function activeRegions(s: AppearanceSettings): RegionName[] {
  const active: RegionName[] = [];
  if (s.hair) active.push('hair');
  if (s.lips) active.push('lips');
  if (s.smooth > 0) active.push('skinSmooth');
  if (s.tone) active.push('skinTone');
  if (s.brows !== 0) active.push('brows');
  if (s.teeth > 0) active.push('teeth');
  return active;
}

function smoothstep(t: number): number {
  const c = t <= 0 ? 0 : t >= 1 ? 1 : t;
  return c * c * (3 - 2 * c);
}

/**
 * Repaints the face's pixels listed in `pixels` (indices into the face's box) into `out`: each
 * from the cached Lab through every active slider, or, where no active slider's mask reaches,
 * back to `original` with its region mark cleared.
 */
export function paintPixels(out: RasterImage, original: Uint8Array, face: FaceAppearance, s: AppearanceSettings, pixels: Int32Array, region: Uint8Array): void {
  const { box, lab, masks } = face;
  const { hair, lips, smooth, tone, brows, teeth } = s;
  const layers = smooth > 0 ? face.skinLayers : null;
  const skin = brows !== 0 ? face.skinColor : null;
  const fineShare = 0.4 * smooth;
  const { width, channels, data } = out;
  const bw = box.x1 - box.x0;
  const ld = lab.data;
  for (let n = 0; n < pixels.length; n++) {
    const i = pixels[n]!;
    const by = (i / bw) | 0;
    const bx = i - by * bw;
    const p = (box.y0 + by) * width + box.x0 + bx;
    const o = p * channels;
    const mHair = hair ? masks.hair[i]! : 0;
    const mLips = lips ? masks.lips[i]! : 0;
    const mSmooth = layers ? masks.skinSmooth[i]! : 0;
    const mTone = tone ? masks.skinTone[i]! : 0;
    const mBrows = skin ? masks.brows[i]! : 0;
    const mTeeth = teeth > 0 ? masks.teeth[i]! : 0;
    if (mHair === 0 && mLips === 0 && mSmooth === 0 && mTone === 0 && mBrows === 0 && mTeeth === 0) {
      for (let c = 0; c < channels; c++) data[o + c] = original[o + c]!;
      region[p] = 0;
      continue;
    }
    const k = i * 3;
    let L = ld[k]!;
    let A = ld[k + 1]!;
    let B = ld[k + 2]!;
    if (layers && mSmooth > 0) {
      // The layers cover the skin mask's bounds, so every pixel with mSmooth > 0 is inside them.
      const j = ((by - layers.top) * layers.width + bx - layers.left) * 3;
      const c = layers.coarse;
      const f = layers.fine;
      L -= mSmooth * (smooth * c[j]! + fineShare * f[j]!);
      A -= mSmooth * (smooth * c[j + 1]! + fineShare * f[j + 1]!);
      B -= mSmooth * (smooth * c[j + 2]! + fineShare * f[j + 2]!);
    }
    if (tone && mTone > 0) {
      L += mTone * tone.l;
      A += mTone * tone.a;
      B += mTone * tone.b;
    }
    for (let pass = 0; pass < 2; pass++) {
      const shift = pass === 0 ? hair : lips;
      const m = pass === 0 ? mHair : mLips;
      if (!shift || m === 0) continue;
      const a = (A * shift.cos - B * shift.sin) * shift.chroma;
      const b = (A * shift.sin + B * shift.cos) * shift.chroma;
      const l = shift.light >= 0 ? L + shift.light * (100 - L) : L * (1 + shift.light);
      L += m * (l - L);
      A += m * (a - A);
      B += m * (b - B);
    }
    if (skin && mBrows > 0) {
      // Only what is darker than the skin counts as brow: the skin between the hairs stays.
      const hairness = mBrows * smoothstep((skin[0] - L) / 15);
      if (brows > 0) L -= hairness * brows * 0.35 * L;
      else {
        const t = hairness * -brows * 0.7;
        L += (skin[0] - L) * t;
        A += (skin[1] - A) * t;
        B += (skin[2] - B) * t;
      }
    }
    if (mTeeth > 0) {
      // Teeth are the bright, not-red part of the mouth: the tongue, gums and shadow stay.
      const w = mTeeth * teeth * smoothstep((L - 35) / 25) * (1 - smoothstep((A - 8) / 14));
      if (B > 0) B -= w * 0.8 * B;
      A -= w * 0.3 * A;
      L += w * 0.25 * (100 - L);
    }
    labToRgb(L, A, B, data, o);
    region[p] = 255;
  }
}
