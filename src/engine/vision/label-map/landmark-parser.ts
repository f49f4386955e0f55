/**
 * The built-in semantic parser: a CelebAMask-HQ label map drawn from the face mesh and the person
 * mask, with no learned parsing model. Inside each face oval the regions are polygons of
 * landmarks, painted in label-id order so the higher id wins where they overlap, as when
 * CelebAMask-HQ's per-part masks are merged (eyes over skin, lips over mouth). Outside the ovals
 * every person pixel is classified once by where it lies relative to its nearest face and whether
 * it has that face's skin colour: ears, neck, hair, else cloth. Those outer regions are
 * approximations; docs/LABEL-MAP.md says how each is made and where it fails.
 */
import { SeamError } from '../../../shared/errors';
import { labelId } from '../../../shared/labels';
import type { RgbImage } from '../segmentation/guided-upsample';
import { boxMean } from '../segmentation/box-filter';
import { faceGeometry, faceUp, hairZoneBox, inHairZone, type FaceGeometry } from './face-geometry';
import type { LabelMap } from './label-map';
import { fillPolygon, forEachOutlineSpan, forEachPolygonSpan, type Polygon } from './rasterize';
import type { ParseOptions, ParserFace, PersonAlpha, SemanticParser } from './semantic-parser';
import { EAR_SKIN_TEST, FOREHEAD_SKIN_TEST, isSkin, NECK_SKIN_TEST, sampleSkin, type SkinModel } from './skin-model';

const ID = {
  skin: labelId('skin'),
  nose: labelId('nose'),
  lEye: labelId('l_eye'),
  rEye: labelId('r_eye'),
  lBrow: labelId('l_brow'),
  rBrow: labelId('r_brow'),
  lEar: labelId('l_ear'),
  rEar: labelId('r_ear'),
  mouth: labelId('mouth'),
  uLip: labelId('u_lip'),
  lLip: labelId('l_lip'),
  hair: labelId('hair'),
  neck: labelId('neck'),
  cloth: labelId('cloth'),
} as const;

/** Person where the segmentation's probability is at least this. */
export const PERSON_THRESHOLD = 0.5;
/** Forehead hair is smoothed over a window of this radius (·W) so single pixels do not flip. */
const FOREHEAD_SMOOTHING = 0.02;
/** Forehead hair is sought this far (face heights) above the brows' top, clear of the brows. */
const FOREHEAD_MARGIN = 0.03;

/** Zones outside the face ovals, before the skin test decides; later codes win where zones overlap. */
const ZONE_FACE_EDGE = 1;
const ZONE_NECK = 2;
const ZONE_LEFT_EAR = 3;
const ZONE_RIGHT_EAR = 4;
/** The oval sits a little inside the visible face edge: skin this close outside it (·W) is still face. */
const FACE_EDGE_MARGIN = 0.05;

export class LandmarkSemanticParser implements SemanticParser {
  readonly id = 'landmarks/1';

  async parse(image: RgbImage, faces: readonly ParserFace[], person: PersonAlpha, options: ParseOptions = {}): Promise<LabelMap> {
    const { width, height } = image;
    if (person.width !== width || person.height !== height || person.alpha.length !== width * height) {
      throw new SeamError('BAD_INPUT', `The person mask is ${person.width}×${person.height}, the image ${width}×${height}.`);
    }
    options.signal?.throwIfAborted();
    const labels = new Uint8Array(width * height);
    const geometries = faces.map(faceGeometry);
    const skins = geometries.map((g) => sampleSkin(image, g.cheeks));

    paintFaceInteriors(labels, width, height, geometries);
    options.signal?.throwIfAborted();
    geometries.forEach((g, f) => {
      const skin = skins[f];
      if (skin) paintForeheadHair(labels, image, g, skin);
    });
    options.signal?.throwIfAborted();
    classifyOutsideFaces(labels, image, person.alpha, geometries, skins);

    options.logger?.debug('label map parsed', { parser: this.id, width, height, faces: faces.length });
    return { width, height, data: labels, personAlpha: person.alpha, faceCount: faces.length, parser: this.id };
  }
}

/**
 * Skin, nose, eyes, brows, mouth and lips of every face, in id order (all faces' skin first, then
 * all noses...), so a feature always wins over another face's skin where two faces overlap.
 */
function paintFaceInteriors(labels: Uint8Array, width: number, height: number, faces: readonly FaceGeometry[]): void {
  const fill = (polygon: Polygon, id: number) => fillPolygon(labels, width, height, polygon, id);
  const stroke = (polygon: Polygon, radius: number, id: number) =>
    forEachOutlineSpan(polygon, radius, width, height, (y, x0, x1) => labels.fill(id, y * width + x0, y * width + x1));
  // In ascending id order: 1 skin, 2 nose, 4/5 eyes, 6/7 brows, 10 mouth, 11/12 lips.
  const layers: Array<(g: FaceGeometry) => void> = [
    (g) => fill(g.oval, ID.skin),
    (g) => fill(g.nose, ID.nose),
    (g) => fill(g.leftEye, ID.lEye),
    (g) => fill(g.rightEye, ID.rEye),
    (g) => {
      fill(g.leftBrow, ID.lBrow);
      stroke(g.leftBrow, g.browStrokeRadius, ID.lBrow);
    },
    (g) => {
      fill(g.rightBrow, ID.rBrow);
      stroke(g.rightBrow, g.browStrokeRadius, ID.rBrow);
    },
    (g) => fill(g.mouth, ID.mouth),
    (g) => fill(g.upperLip, ID.uLip),
    (g) => fill(g.lowerLip, ID.lLip),
  ];
  for (const paint of layers) for (const g of faces) paint(g);
}

/**
 * Inside the oval, above the brows, pixels that are not the cheeks' skin and hang from the oval's
 * edge (fringes, bangs, a hairline the mesh put too high) become hair. The candidate mask is
 * smoothed so skin texture does not flip single pixels, and only regions connected to the oval's
 * edge are kept, so a wrinkle, a shadow or a glasses frame in mid-forehead stays skin.
 */
function paintForeheadHair(labels: Uint8Array, image: RgbImage, g: FaceGeometry, skin: SkinModel): void {
  const { width, height, channels, data } = image;
  // Work on the oval's bounding box only, one pixel larger so the edge's outside is in view.
  let x0 = width;
  let y0 = height;
  let x1 = 0;
  let y1 = 0;
  forEachPolygonSpan(g.oval, width, height, (y, a, b) => {
    x0 = Math.min(x0, a);
    x1 = Math.max(x1, b);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y + 1);
  });
  if (x1 <= x0 || y1 <= y0) return;
  const bw = x1 - x0;
  const bh = y1 - y0;
  const candidate = new Float32Array(bw * bh);
  const eligible = new Uint8Array(bw * bh);
  const threshold = g.browTopUp + FOREHEAD_MARGIN;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * width + x;
      if (labels[i] !== ID.skin || faceUp(g.frame, x + 0.5, y + 0.5) < threshold) continue;
      const b = (y - y0) * bw + (x - x0);
      eligible[b] = 1;
      const s = i * channels;
      if (!isSkin(skin, FOREHEAD_SKIN_TEST, data[s]!, data[s + 1]!, data[s + 2]!)) candidate[b] = 1;
    }
  }
  // The share of hair-coloured pixels among the eligible ones around each pixel (normalised, so
  // the oval's edge is not diluted by the pixels outside it).
  const radius = Math.max(1, Math.round(FOREHEAD_SMOOTHING * g.frame.width));
  const hairShare = boxMean(candidate, bw, bh, radius);
  const eligibleShare = boxMean(Float32Array.from(eligible), bw, bh, radius);
  const isHair = (b: number) => eligible[b] === 1 && hairShare[b]! >= 0.5 * eligibleShare[b]!;
  // Seeds: hair pixels with a 4-neighbour outside every oval (still unlabelled at this stage).
  const outside = (x: number, y: number) => x < 0 || y < 0 || x >= width || y >= height || labels[y * width + x] === 0;
  const queue: number[] = [];
  const kept = new Uint8Array(bw * bh);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      const b = by * bw + bx;
      if (!isHair(b)) continue;
      const x = bx + x0;
      const y = by + y0;
      if (outside(x - 1, y) || outside(x + 1, y) || outside(x, y - 1) || outside(x, y + 1)) {
        kept[b] = 1;
        queue.push(b);
      }
    }
  }
  while (queue.length > 0) {
    const b = queue.pop()!;
    const bx = b % bw;
    const by = (b - bx) / bw;
    const visit = (nb: number) => {
      if (!kept[nb] && isHair(nb)) {
        kept[nb] = 1;
        queue.push(nb);
      }
    };
    if (bx > 0) visit(b - 1);
    if (bx + 1 < bw) visit(b + 1);
    if (by > 0) visit(b - bw);
    if (by + 1 < bh) visit(b + bw);
  }
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) if (kept[by * bw + bx]) labels[(by + y0) * width + bx + x0] = ID.hair;
  }
}

/**
 * Every person pixel outside the face ovals, by its nearest face: in an ear zone, the neck zone or
 * just outside the oval, and of the face's skin colour → ear / neck / skin; in the hair zone above
 * the jaw → hair; otherwise → cloth (the body). With no face the whole person is cloth.
 * Non-person pixels stay background.
 */
function classifyOutsideFaces(
  labels: Uint8Array,
  image: RgbImage,
  alpha: Float32Array,
  faces: readonly FaceGeometry[],
  skins: readonly (SkinModel | null)[],
): void {
  const { width, height, channels, data } = image;
  const n = width * height;
  if (faces.length === 0) {
    for (let i = 0; i < n; i++) if (labels[i] === 0 && alpha[i]! >= PERSON_THRESHOLD) labels[i] = ID.cloth;
    return;
  }
  const owner = nearestFace(labels, alpha, width, height, faces);
  const zone = new Uint8Array(n);
  faces.forEach((g, f) => {
    const mark = (polygon: Polygon, code: number) =>
      forEachPolygonSpan(polygon, width, height, (y, x0, x1) => {
        for (let i = y * width + x0; i < y * width + x1; i++) if (owner[i] === f) zone[i] = code;
      });
    forEachOutlineSpan(g.oval, FACE_EDGE_MARGIN * g.frame.width, width, height, (y, x0, x1) => {
      for (let i = y * width + x0; i < y * width + x1; i++) if (owner[i] === f) zone[i] = ZONE_FACE_EDGE;
    });
    mark(g.neck, ZONE_NECK);
    mark(g.leftEar, ZONE_LEFT_EAR);
    mark(g.rightEar, ZONE_RIGHT_EAR);
  });
  const hairBoxes = faces.map(hairZoneBox);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (labels[i] !== 0 || alpha[i]! < PERSON_THRESHOLD) continue;
      const f = owner[i]!;
      const g = faces[f]!;
      const skin = skins[f];
      const z = zone[i]!;
      let label = 0;
      if (z !== 0 && skin) {
        const s = i * channels;
        const r = data[s]!;
        const gr = data[s + 1]!;
        const b = data[s + 2]!;
        if (z === ZONE_LEFT_EAR || z === ZONE_RIGHT_EAR) {
          if (isSkin(skin, EAR_SKIN_TEST, r, gr, b)) label = z === ZONE_LEFT_EAR ? ID.lEar : ID.rEar;
        } else if (z === ZONE_NECK) {
          if (isSkin(skin, NECK_SKIN_TEST, r, gr, b)) label = ID.neck;
        } else if (z === ZONE_FACE_EDGE) {
          // Only beside and below the eyes: above the brows the oval's edge is usually in the hair.
          if (faceUp(g.frame, x + 0.5, y + 0.5) < g.browTopUp && isSkin(skin, EAR_SKIN_TEST, r, gr, b)) label = ID.skin;
        }
      }
      if (label === 0) {
        const box = hairBoxes[f]!;
        const inBox = x >= box.x0 && x < box.x1 && y >= box.y0 && y < box.y1;
        label = inBox && inHairZone(g, x + 0.5, y + 0.5) ? ID.hair : ID.cloth;
      }
      labels[i] = label;
    }
  }
}

/** For each open person pixel, the index of the face whose centre is nearest in units of that face's height. */
function nearestFace(labels: Uint8Array, alpha: Float32Array, width: number, height: number, faces: readonly FaceGeometry[]): Uint16Array {
  const owner = new Uint16Array(width * height);
  if (faces.length === 1) return owner;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (labels[i] !== 0 || alpha[i]! < PERSON_THRESHOLD) continue;
      let best = 0;
      let bestDistance = Infinity;
      for (let f = 0; f < faces.length; f++) {
        const { cx, cy, height: faceHeight } = faces[f]!.frame;
        const dx = x + 0.5 - cx;
        const dy = y + 0.5 - cy;
        // Squared distance in face heights: same order as the distance, no square root.
        const d = (dx * dx + dy * dy) / (faceHeight * faceHeight);
        if (d < bestDistance) {
          bestDistance = d;
          best = f;
        }
      }
      owner[i] = best;
    }
  }
  return owner;
}
