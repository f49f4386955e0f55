/**
 * Face detection with MediaPipe's two BlazeFace models. Each model sees the image letterboxed
 * into its input; its candidates are decoded, merged by weighted NMS and mapped back to image
 * pixels; the two models' faces are then merged by the same NMS. The short-range model is the
 * sharper one for faces that fill the frame; the full-range model finds the small, far ones,
 * and on large images it also looks at overlapping square tiles, where a small face is bigger
 * (a 40-pixel face in a 1280×720 frame is 6 input pixels whole, 16 in a 480-pixel tile).
 */
import type { Logger } from '../../context';
import { composeAffine, scaleTranslate } from '../image-ops/affine';
import { letterboxTransform } from '../image-ops/letterbox';
import type { PixelSource } from '../image-ops/pixel-source';
import { warpToTensor } from '../image-ops/warp';
import { outputBySize, type VisionModels } from '../vision-models';
import { decodeDetections, type CandidateFace } from './decode-detections';
import { FULL_RANGE, SHORT_RANGE, type DetectorConfig } from './detector-configs';
import { toFaceDetection, sortFacesLeftToRight } from './face-order';
import type { Box, FaceDetection } from './face-types';
import { weightedNonMaxSuppression } from './weighted-nms';

/**
 * auto: both models on the whole image, plus full-range tiles on images whose long side is more
 * than TILE_ABOVE_PIXELS; short-range / full-range: that model alone on the whole image; both:
 * both models, no tiles.
 */
export type DetectionStrategy = 'auto' | 'short-range' | 'full-range' | 'both';

export interface DetectFacesOptions {
  strategy?: DetectionStrategy;
  /** IoU above which detections are merged (default 0.3, MediaPipe's). */
  iouThreshold?: number;
  /** Keep at most this many faces, the highest scores (default: all). */
  maxFaces?: number;
  /**
   * 'auto' only: run one of the tiles, the (tileRound mod tile count)-th, instead of all of them
   * (default: all). A tracker that already follows its faces checks for newcomers this way, a
   * tile a check, so each check costs three model runs instead of ten at 720p.
   */
  tileRound?: number;
  signal?: AbortSignal;
}

/** Tiles are used in 'auto' when the long side exceeds this many pixels. */
export const TILE_ABOVE_PIXELS = 640;
export const NMS_IOU_THRESHOLD = 0.3;

export class FaceDetector {
  constructor(
    private readonly models: VisionModels,
    private readonly logger: Logger,
  ) {}

  async detect(image: PixelSource, options: DetectFacesOptions = {}): Promise<FaceDetection[]> {
    const strategy = options.strategy ?? 'auto';
    const iou = options.iouThreshold ?? NMS_IOU_THRESHOLD;
    const whole: Box = { x: 0, y: 0, width: image.width, height: image.height };
    const runs: Array<{ config: DetectorConfig; region: Box; tile: boolean }> = [];
    if (strategy !== 'full-range') runs.push({ config: SHORT_RANGE, region: whole, tile: false });
    if (strategy !== 'short-range') runs.push({ config: FULL_RANGE, region: whole, tile: false });
    if (strategy === 'auto' && Math.max(image.width, image.height) > TILE_ABOVE_PIXELS) {
      const tiles = squareTiles(image.width, image.height);
      const chosen = options.tileRound === undefined || tiles.length === 0 ? tiles : [tiles[options.tileRound % tiles.length]!];
      for (const region of chosen) runs.push({ config: FULL_RANGE, region, tile: true });
    }

    const perModel = new Map<DetectorConfig, CandidateFace[]>();
    for (const { config, region, tile } of runs) {
      let found = await this.runDetector(config, image, region, options.signal);
      // A face cut by a tile's inner edge is seen whole in a neighbouring tile; its half here
      // would only drag the merged box off the face.
      if (tile) found = found.filter((face) => !touchesInnerEdge(face, region, image.width, image.height));
      perModel.set(config, [...(perModel.get(config) ?? []), ...found]);
    }
    // Each model's anchors are merged among themselves first (MediaPipe's own step), then the
    // models' faces with each other, so neither model's anchor count outweighs the other's.
    const merged = weightedNonMaxSuppression(
      [...perModel.values()].flatMap((candidates) => weightedNonMaxSuppression(candidates, iou)),
      iou,
    );
    let faces = merged.filter((f) => f.xmax > f.xmin && f.ymax > f.ymin);
    if (options.maxFaces !== undefined) faces = [...faces].sort((a, b) => b.score - a.score).slice(0, options.maxFaces);
    this.logger.debug('faces detected', { strategy, runs: runs.length, faces: faces.length });
    return sortFacesLeftToRight(faces.map(toFaceDetection));
  }

  /** One model on one region of the image (the whole image, or a tile), in image pixels. */
  async runDetector(config: DetectorConfig, image: PixelSource, region: Box, signal?: AbortSignal): Promise<CandidateFace[]> {
    const size = config.inputSize;
    const letterbox = letterboxTransform(region.width, region.height, size, size);
    const inputToImage = composeAffine(scaleTranslate(1, 1, region.x, region.y), letterbox.dstToSrc);
    const data = warpToTensor(image, inputToImage, size, size, { range: [-1, 1], border: 'zero' });
    const outputs = await this.models.runImage(config.modelId, data, [1, size, size, 3], signal);
    const regressors = outputBySize(outputs, 16, `${config.name} box regressor`);
    const logits = outputBySize(outputs, 1, `${config.name} score`);
    return decodeDetections(regressors, logits, config, inputToImage);
  }
}

/** True when the face's box reaches within 1% of a tile edge that is not also the image's edge. */
function touchesInnerEdge(face: CandidateFace, tile: Box, imageWidth: number, imageHeight: number): boolean {
  const slack = tile.width * 0.01;
  return (
    (tile.x > 0 && face.xmin < tile.x + slack) ||
    (tile.y > 0 && face.ymin < tile.y + slack) ||
    (tile.x + tile.width < imageWidth && face.xmax > tile.x + tile.width - slack) ||
    (tile.y + tile.height < imageHeight && face.ymax > tile.y + tile.height - slack)
  );
}

/**
 * The full-range model finds faces down to about a twelfth of its input's side, so a 40-pixel
 * face needs a tile of at most ~480 pixels; on bigger images tiles grow with the image (half its
 * short side) to bound their number.
 */
export const MIN_TILE_PIXELS = 480;

export function tileSide(width: number, height: number): number {
  return Math.max(MIN_TILE_PIXELS, Math.round(Math.min(width, height) / 2));
}

/** Positions of `side`-long windows covering `length`, evenly spread, overlapping by at least a third. */
function tileOffsets(length: number, side: number): number[] {
  if (length <= side) return [0];
  const count = Math.ceil((length - side) / ((side * 2) / 3)) + 1;
  const step = (length - side) / (count - 1);
  return Array.from({ length: count }, (_, i) => Math.round(i * step));
}

/** Overlapping square tiles of the image (a face on a seam is whole in one of them); none when one tile would be the whole image. */
export function squareTiles(width: number, height: number, side = tileSide(width, height)): Box[] {
  const edge = Math.min(side, width, height);
  const xs = tileOffsets(width, edge);
  const ys = tileOffsets(height, edge);
  if (xs.length === 1 && ys.length === 1) return [];
  return ys.flatMap((y) => xs.map((x) => ({ x, y, width: edge, height: edge })));
}
