/**
 * What turns a photo, its faces and its person mask into a label map. The built-in parser draws
 * regions from the face mesh (landmark-parser.ts); a learned face parser (a BiSeNet-style network
 * trained on CelebAMask-HQ) can implement the same interface and replace it without the editor,
 * the CLI or the processors noticing.
 */
import type { Logger } from '../../context';
import type { RgbImage } from '../segmentation/guided-upsample';
import type { LabelMap } from './label-map';

export interface Point2 {
  x: number;
  y: number;
}

/** One face as the parser needs it. The face API's FaceLandmarks satisfies it as is. */
export interface ParserFace {
  /** The 468 MediaPipe face-mesh points, in image pixels (pixel (i, j) covers [i, i+1) × [j, j+1)). */
  points: readonly Point2[];
  /**
   * The detector's ear tragion keypoints (subject's right and left), when known. Without them the
   * ears are placed from the mesh's oval.
   */
  earTragions?: { right: Point2; left: Point2 };
}

/** The person segmentation at image size; PersonSegmentation satisfies it. */
export interface PersonAlpha {
  width: number;
  height: number;
  /** Probability in [0, 1] per pixel; ≥ 0.5 counts as person. */
  alpha: Float32Array;
}

export interface ParseOptions {
  logger?: Logger;
  signal?: AbortSignal;
}

export interface SemanticParser {
  /** Names the method and its version, recorded in the map (e.g. "landmarks/1"). */
  readonly id: string;
  parse(image: RgbImage, faces: readonly ParserFace[], person: PersonAlpha, options?: ParseOptions): Promise<LabelMap>;
}
