/**
 * Photo analysis: detect every face, then read each one's landmarks from the detection's crop
 * and, by default, read them again from the crop the first landmarks give (the crop MediaPipe
 * uses on the next video frame: tighter and levelled on the eye corners, so the second pass is
 * usually the more accurate one).
 */
import type { Logger } from '../../context';
import type { SessionPool } from '../../inference/session-pool';
import type { SeamPaths } from '../../paths';
import type { PixelSource } from '../image-ops/pixel-source';
import { VisionModels } from '../vision-models';
import { FaceDetector, type DetectFacesOptions } from './face-detector';
import { FaceLandmarker, MIN_PRESENCE } from './face-landmarker';
import type { FaceDetection, FaceLandmarks } from './face-types';
import { cropFromDetection, cropFromLandmarks } from './landmark-crop';

export interface AnalyzedFace {
  detection: FaceDetection;
  /** null when the landmark model says the detection's crop holds no face (presence < 0.5). */
  landmarks: FaceLandmarks | null;
}

export interface AnalyzeFacesOptions extends DetectFacesOptions {
  /** Second landmark pass from the first pass's landmarks (default true). */
  refine?: boolean;
  minPresence?: number;
}

export class FacePipeline {
  constructor(
    readonly detector: FaceDetector,
    readonly landmarker: FaceLandmarker,
    private readonly logger: Logger,
  ) {}

  /** A pipeline over the built-in models, sharing `pool` (and `models`, when given) with the rest of the engine. */
  static create(deps: { paths: Pick<SeamPaths, 'builtInModelsDir'>; pool: SessionPool; logger: Logger; models?: VisionModels }): FacePipeline {
    const models = deps.models ?? new VisionModels(deps);
    return new FacePipeline(new FaceDetector(models, deps.logger), new FaceLandmarker(models), deps.logger);
  }

  detect(image: PixelSource, options: DetectFacesOptions = {}): Promise<FaceDetection[]> {
    return this.detector.detect(image, options);
  }

  async analyze(image: PixelSource, options: AnalyzeFacesOptions = {}): Promise<AnalyzedFace[]> {
    const detections = await this.detector.detect(image, options);
    const faces: AnalyzedFace[] = [];
    for (const detection of detections) {
      faces.push({ detection, landmarks: await this.landmarksFor(image, detection, options) });
    }
    return faces;
  }

  async landmarksFor(image: PixelSource, detection: FaceDetection, options: AnalyzeFacesOptions = {}): Promise<FaceLandmarks | null> {
    const minPresence = options.minPresence ?? MIN_PRESENCE;
    const first = await this.landmarker.landmarks(image, cropFromDetection(detection), options.signal);
    if (first.presence < minPresence) {
      this.logger.debug('landmark model rejected a detection', { presence: first.presence, box: detection.box });
      return null;
    }
    if (options.refine === false) return first;
    const second = await this.landmarker.landmarks(image, cropFromLandmarks(first.points), options.signal);
    // The refined crop is built from the first points; if it lost the face, the first pass stands.
    return second.presence >= minPresence ? second : first;
  }
}
