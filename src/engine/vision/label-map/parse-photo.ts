/**
 * The semantic label map of a photo on disk: faces (detector + mesh), person segmentation, then
 * the parser; and the map written as a picture. What `seam parse` and the app call. A photo with
 * no face still gets a map (background and person); `faces` is then empty and the caller says so.
 */
import { basename } from 'node:path';
import { appVersion } from '../../app-info';
import type { Logger } from '../../context';
import { decodeImage } from '../../image/decode';
import { encodeImageFile } from '../../image/encode';
import type { RasterImage } from '../../image/image';
import type { SessionPool } from '../../inference/session-pool';
import type { SeamPaths } from '../../paths';
import { FacePipeline, type AnalyzedFace } from '../faces/face-pipeline';
import type { PersonSegmentation } from '../segmentation/person-segmenter';
import { createPersonSegmenter, greyPicture } from '../segmentation/segment-photo';
import { VisionModels } from '../vision-models';
import type { LabelMap } from './label-map';
import { LandmarkSemanticParser } from './landmark-parser';
import { colorizeLabelMap, overlayLabelMap } from './palette';
import type { ParserFace, SemanticParser } from './semantic-parser';

export interface ParsePhotoDeps {
  paths: Pick<SeamPaths, 'builtInModelsDir'>;
  pool: SessionPool;
  logger: Logger;
  /** Defaults to the built-in landmark parser. */
  parser?: SemanticParser;
}

export interface ParsedPhoto {
  path: string;
  image: RasterImage;
  /** Every detected face; those the landmark model rejected have `landmarks: null` and no regions. */
  faces: AnalyzedFace[];
  segmentation: PersonSegmentation;
  labels: LabelMap;
}

/** The faces the parser can draw: each confirmed mesh, with the detector's ear tragions. */
export function parserFaces(faces: readonly AnalyzedFace[]): ParserFace[] {
  return faces.flatMap(({ detection, landmarks }) =>
    landmarks ? [{ points: landmarks.points, earTragions: { right: detection.keypoints.rightEarTragion, left: detection.keypoints.leftEarTragion } }] : [],
  );
}

export async function parsePhoto(deps: ParsePhotoDeps, path: string, options: { signal?: AbortSignal } = {}): Promise<ParsedPhoto> {
  const signal = options.signal;
  const image = await decodeImage(path, signal ? { signal } : {});
  const models = new VisionModels(deps);
  const faces = await FacePipeline.create({ ...deps, models }).analyze(image, signal ? { signal } : {});
  const segmentation = await createPersonSegmenter({ ...deps, models }).segment(image, signal ? { signal } : {});
  const parser = deps.parser ?? new LandmarkSemanticParser();
  const labels = await parser.parse(image, parserFaces(faces), segmentation, { logger: deps.logger, ...(signal ? { signal } : {}) });
  return { path, image, faces, segmentation, labels };
}

/** indices: label ids as grey levels (0..18); color: SEAN's palette; overlay: the palette over the photo. */
export type LabelPictureKind = 'indices' | 'color' | 'overlay';

export function labelPicture(photo: Pick<ParsedPhoto, 'image' | 'labels'>, kind: LabelPictureKind, opacity = 0.5): RasterImage {
  if (kind === 'color') return colorizeLabelMap(photo.labels);
  if (kind === 'overlay') return overlayLabelMap(photo.image, photo.labels, opacity);
  return greyPicture(photo.labels.data, photo.labels.width, photo.labels.height);
}

export async function writeLabelImage(outputPath: string, photo: ParsedPhoto, kind: LabelPictureKind): Promise<void> {
  await encodeImageFile(outputPath, labelPicture(photo, kind), {
    provenance: {
      software: `Seam ${appVersion()}`,
      operations: [
        `semantic label map (${kind}) of ${basename(photo.path)}: parser ${photo.labels.parser}, ${photo.labels.faceCount} face(s), person model ${photo.segmentation.modelId}`,
      ],
    },
    protect: [photo.path],
    grey: kind === 'indices',
  });
}
