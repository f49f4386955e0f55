/**
 * The subject's own skin colour, sampled from the cheeks the face mesh locates, used to tell
 * visible skin (ears, neck, forehead) from hair, collars and hats next to it. Hue is compared as
 * chromaticity (r, g) = (R, G) / (R + G + B), which shading does not change, so a neck in the
 * jaw's shadow still matches the lit cheeks; brightness (luma Y) is checked separately, loosely
 * for ears and necks, tightly for the forehead, which is lit like the cheeks. Deep shadow shifts
 * chromaticity too (darker skin is more saturated), so the neck is tested on hue alone.
 */
import { forEachPolygonSpan, type Polygon } from './rasterize';

export interface SkinModel {
  meanY: number;
  meanR: number;
  meanG: number;
  sdY: number;
  sdR: number;
  sdG: number;
  samples: number;
}

/** Floors on the spreads, so a very even cheek does not make the test hair-trigger. */
const MIN_SD_CHROMA = 0.012;
const MIN_SD_LUMA = 12;

interface Rgb {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

/** [luma 0..255, r chromaticity, g chromaticity]. */
export function lumaChroma(r: number, g: number, b: number): [number, number, number] {
  const sum = r + g + b + 1e-6;
  return [0.299 * r + 0.587 * g + 0.114 * b, r / sum, g / sum];
}

/** Mean and spread of the pixels inside the polygons; null when they cover no pixel. */
export function sampleSkin(image: Rgb, polygons: readonly Polygon[]): SkinModel | null {
  let n = 0;
  const sum = [0, 0, 0];
  const sq = [0, 0, 0];
  for (const polygon of polygons) {
    forEachPolygonSpan(polygon, image.width, image.height, (y, x0, x1) => {
      for (let x = x0; x < x1; x++) {
        const s = (y * image.width + x) * image.channels;
        const c = lumaChroma(image.data[s]!, image.data[s + 1]!, image.data[s + 2]!);
        for (let k = 0; k < 3; k++) {
          sum[k]! += c[k]!;
          sq[k]! += c[k]! * c[k]!;
        }
        n++;
      }
    });
  }
  if (n === 0) return null;
  const mean = sum.map((v) => v / n);
  const sd = sq.map((v, k) => Math.sqrt(Math.max(0, v / n - mean[k]! ** 2)));
  return {
    meanY: mean[0]!,
    meanR: mean[1]!,
    meanG: mean[2]!,
    sdY: Math.max(MIN_SD_LUMA, sd[0]!),
    sdR: Math.max(MIN_SD_CHROMA, sd[1]!),
    sdG: Math.max(MIN_SD_CHROMA, sd[2]!),
    samples: n,
  };
}

export interface SkinTest {
  /**
   * 'chroma': chromaticity within `chromaSd` standard deviations of the cheeks'. 'hue': the hue of
   * the cheeks (within `hueDegrees`) at any saturation from `minSaturationRatio` of theirs up —
   * shadowed skin keeps its hue but turns more saturated, which the chroma test rejects.
   */
  kind: 'chroma' | 'hue';
  chromaSd: number;
  hueDegrees: number;
  minSaturationRatio: number;
  /** Darkest accepted luma as a fraction of the cheeks' mean (shadows). */
  minLumaRatio: number;
  /** Luma limits in standard deviations around the cheeks' mean. */
  lumaSdBelow: number;
  lumaSdAbove: number;
}

/** For ears: the cheeks' colour in a moderate shade (brown hair of a similar hue is darker or more saturated). */
export const EAR_SKIN_TEST: SkinTest = { kind: 'chroma', chromaSd: 3.5, hueDegrees: 0, minSaturationRatio: 0, minLumaRatio: 0.3, lumaSdBelow: Infinity, lumaSdAbove: 3 };
/** For necks, often in the jaw's shadow: the cheeks' hue in any shade; collars (white, black, navy) fail on saturation or hue. */
export const NECK_SKIN_TEST: SkinTest = { kind: 'hue', chromaSd: 0, hueDegrees: 25, minSaturationRatio: 0.5, minLumaRatio: 0.12, lumaSdBelow: Infinity, lumaSdAbove: 3 };
/** For the forehead, lit like the cheeks: hair of a similar hue but another brightness is not skin. */
export const FOREHEAD_SKIN_TEST: SkinTest = { kind: 'chroma', chromaSd: 2, hueDegrees: 0, minSaturationRatio: 0, minLumaRatio: 0, lumaSdBelow: 2, lumaSdAbove: 2.5 };

const GREY = 1 / 3;

export function isSkin(model: SkinModel, test: SkinTest, r: number, g: number, b: number): boolean {
  const [y, cr, cg] = lumaChroma(r, g, b);
  if (y < model.meanY * test.minLumaRatio) return false;
  if (y < model.meanY - test.lumaSdBelow * model.sdY || y > model.meanY + test.lumaSdAbove * model.sdY) return false;
  if (test.kind === 'chroma') {
    const dr = (cr - model.meanR) / model.sdR;
    const dg = (cg - model.meanG) / model.sdG;
    return dr * dr + dg * dg <= test.chromaSd * test.chromaSd;
  }
  // Hue and saturation as the angle and length of the chromaticity's offset from grey.
  const mr = model.meanR - GREY;
  const mg = model.meanG - GREY;
  const pr = cr - GREY;
  const pg = cg - GREY;
  const modelSaturation = Math.hypot(mr, mg);
  const saturation = Math.hypot(pr, pg);
  if (saturation < test.minSaturationRatio * modelSaturation || saturation < 1e-6) return false;
  const cosine = (pr * mr + pg * mg) / (saturation * modelSaturation);
  return cosine >= Math.cos((test.hueDegrees * Math.PI) / 180);
}
