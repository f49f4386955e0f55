/**
 * What the processors know about a frame: its faces (detections + 468 landmarks), the person
 * alpha and the semantic label map, each computed on first use and kept, so a chain of edits or
 * a slider drag analyses the frame once. Large photos are searched for faces on a proxy of at
 * most DETECT_MAX_SIDE pixels (detection cost must not grow with a 12-megapixel photo; 960 keeps
 * the full-range tiles to four on a 4:3 proxy, and faces from about 200 px wide in a 4000-pixel
 * photo are still found), while the
 * landmarks are read from the full-resolution crop. A proxy is never made so small that the
 * detector would search it without its tiles (TILE_ABOVE_PIXELS): a 1280×720 screenshot halved
 * to 640×360 would be searched whole, and a 70-pixel webcam face in it would be lost.
 */
import type { Logger } from '../context';
import type { RasterImage } from '../image/image';
import type { SessionPool } from '../inference/session-pool';
import type { SeamPaths } from '../paths';
import { FacePipeline, type AnalyzedFace } from '../vision/faces/face-pipeline';
import { TILE_ABOVE_PIXELS } from '../vision/faces/face-detector';
import type { FaceDetection } from '../vision/faces/face-types';
import { boxDownsample } from '../vision/image-ops/box-downsample';
import type { LabelMap } from '../vision/label-map/label-map';
import { LandmarkSemanticParser } from '../vision/label-map/landmark-parser';
import { parserFaces } from '../vision/label-map/parse-photo';
import type { SemanticParser } from '../vision/label-map/semantic-parser';
import type { PersonSegmentation, PersonSegmenter } from '../vision/segmentation/person-segmenter';
import { createPersonSegmenter } from '../vision/segmentation/segment-photo';
import { VisionModels } from '../vision/vision-models';

export const DETECT_MAX_SIDE = 960;

export interface AnalyzerDeps {
  paths: Pick<SeamPaths, 'builtInModelsDir'>;
  pool: SessionPool;
  logger: Logger;
  parser?: SemanticParser;
}

/** Builds FrameAnalysis objects; holds the models, shared by every frame. */
export class FrameAnalyzer {
  readonly faces: FacePipeline;
  readonly segmenter: PersonSegmenter;
  readonly parser: SemanticParser;

  constructor(deps: AnalyzerDeps) {
    const models = new VisionModels(deps);
    this.faces = FacePipeline.create({ ...deps, models });
    this.segmenter = createPersonSegmenter({ ...deps, models });
    this.parser = deps.parser ?? new LandmarkSemanticParser();
  }

  /** `known` seeds what is already known: faces from a tracker, labels the user painted. */
  analyze(image: RasterImage, known: KnownAnalysis = {}): FrameAnalysis {
    return new FrameAnalysis(this, image, known);
  }
}

export interface KnownAnalysis {
  faces?: AnalyzedFace[];
  labels?: LabelMap;
}

export class FrameAnalysis {
  #faces: Promise<AnalyzedFace[]> | undefined;
  #person: Promise<PersonSegmentation> | undefined;
  #labels: Promise<LabelMap> | undefined;

  constructor(
    private readonly analyzer: FrameAnalyzer,
    readonly image: RasterImage,
    known: KnownAnalysis = {},
  ) {
    if (known.faces) this.#faces = Promise.resolve(known.faces);
    if (known.labels) {
      if (known.labels.width !== image.width || known.labels.height !== image.height) {
        throw new RangeError(`label map ${known.labels.width}×${known.labels.height} does not match the image ${image.width}×${image.height}`);
      }
      this.#labels = Promise.resolve(known.labels);
    }
  }

  /** Faces left to right, each with its landmarks (null when the mesh rejected the detection). */
  faces(signal?: AbortSignal): Promise<AnalyzedFace[]> {
    this.#faces ??= detectAndMesh(this.analyzer.faces, this.image, signal);
    return this.#faces;
  }

  /** Faces whose mesh was found, in the same left-to-right order. */
  async meshedFaces(signal?: AbortSignal): Promise<Array<AnalyzedFace & { landmarks: NonNullable<AnalyzedFace['landmarks']> }>> {
    return (await this.faces(signal)).filter((f): f is AnalyzedFace & { landmarks: NonNullable<AnalyzedFace['landmarks']> } => f.landmarks !== null);
  }

  person(signal?: AbortSignal): Promise<PersonSegmentation> {
    this.#person ??= this.analyzer.segmenter.segment(this.image, signal ? { signal } : {});
    return this.#person;
  }

  labels(signal?: AbortSignal): Promise<LabelMap> {
    this.#labels ??= (async () => {
      const [faces, person] = await Promise.all([this.faces(signal), this.person(signal)]);
      return this.analyzer.parser.parse(this.image, parserFaces(faces), person, signal ? { signal } : {});
    })();
    return this.#labels;
  }
}

async function detectAndMesh(pipeline: FacePipeline, image: RasterImage, signal?: AbortSignal): Promise<AnalyzedFace[]> {
  const opts = signal ? { signal } : {};
  const factor = detectionProxyFactor(Math.max(image.width, image.height));
  if (factor === 1) return pipeline.analyze(image, opts);
  const proxy = boxDownsample(image, { left: 0, top: 0, width: image.width, height: image.height }, factor);
  const detections = await pipeline.detect(proxy, opts);
  const faces: AnalyzedFace[] = [];
  for (const small of detections) {
    const detection = scaleDetection(small, factor);
    faces.push({ detection, landmarks: await pipeline.landmarksFor(image, detection, opts) });
  }
  return faces;
}

/** How much a photo is shrunk for the face search: to at most DETECT_MAX_SIDE, but never to a size the detector searches without tiles. */
export function detectionProxyFactor(longSide: number): number {
  let factor = Math.max(1, Math.ceil(longSide / DETECT_MAX_SIDE));
  while (factor > 1 && Math.ceil(longSide / factor) <= TILE_ABOVE_PIXELS) factor--;
  return factor;
}

function scaleDetection(d: FaceDetection, factor: number): FaceDetection {
  const keypoints = Object.fromEntries(
    Object.entries(d.keypoints).map(([name, p]) => [name, { x: p.x * factor, y: p.y * factor }]),
  ) as FaceDetection['keypoints'];
  return {
    ...d,
    box: { x: d.box.x * factor, y: d.box.y * factor, width: d.box.width * factor, height: d.box.height * factor },
    keypoints,
  };
}
