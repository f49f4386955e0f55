/**
 * The one shape every editing capability has. A processor module describes its options (the
 * renderer draws its controls from them, the CLI and the contract validate with them), names
 * the models it needs, and creates instances that process one frame at a time — a photo, or
 * each frame of a clip. Instances may keep per-source caches (the source face of a swap is
 * analysed once, not per frame) and release them in dispose().
 */
import type { ProcessorDescriptor } from '../../shared/processor-options';
import type { JobContext, Logger } from '../context';
import type { RasterImage } from '../image/image';
import type { SessionPool } from '../inference/session-pool';
import type { SeamPaths } from '../paths';
import type { FrameAnalysis, FrameAnalyzer } from './frame-analysis';

export interface EditDeps {
  paths: SeamPaths;
  pool: SessionPool;
  logger: Logger;
  analyzer: FrameAnalyzer;
}

/** A photo named in a processor's options (a swap's source, a style reference), decoded and analysable. */
export interface LoadedPhoto {
  path: string;
  image: RasterImage;
  analysis: FrameAnalysis;
}

export interface ProcessContext extends JobContext {
  /** Decodes and analyses a photo by path; cached for the whole job (every frame of a clip). */
  loadPhoto(path: string): Promise<LoadedPhoto>;
}

export interface Frame {
  image: RasterImage;
  analysis: FrameAnalysis;
  /** Frame number within a clip; 0 for a photo. */
  index: number;
}

export interface ProcessResult {
  /** The edited frame, final (feathered edges already blended in): same size and channels as the input. */
  image: RasterImage;
  /**
   * Where this step may have changed pixels, 0..255 per pixel (soft at feathered edges). Outside
   * it the output equals the input exactly; the editor shows the image only where it is non-zero
   * (not as an alpha: the image is already blended) and tests check it.
   */
  region: Uint8Array;
  /** Things the user should know, e.g. "target face 2 not found; face 0 used". */
  notes: string[];
}

export interface ProcessorInstance<Options> {
  process(frame: Frame, options: Options, ctx: ProcessContext): Promise<ProcessResult>;
  dispose(): Promise<void>;
}

export interface ProcessorModule<Options = unknown> {
  descriptor: ProcessorDescriptor;
  /** Model ids from the manifest this processor runs (for the model manager and doctor). */
  models: readonly string[];
  /**
   * How far from the faces it edits this processor reads and changes pixels, as a fraction of a
   * face's landmark box size (0: only inside the box). Absent: anywhere in the frame (it looks at
   * the whole picture). Video edits convert and edit only that part of each frame, so a processor
   * that states a reach must give the same result on a crop that holds it as on the whole frame.
   */
  faceReach?: number;
  /** Validates raw options (from the CLI, the UI, a project file); throws BAD_INPUT naming the option. */
  parseOptions(raw: unknown): Options;
  /** One line for the output's provenance metadata, e.g. "face-swap source=a.jpg targetFace=0". */
  describe(options: Options): string;
  create(deps: EditDeps): ProcessorInstance<Options>;
}

/**
 * Registers a module under its erased type. Options are opaque outside the module: every value
 * that reaches process() and describe() came from the same module's parseOptions.
 */
export function defineProcessor<Options>(module: ProcessorModule<Options>): ProcessorModule<unknown> {
  return module as unknown as ProcessorModule<unknown>;
}
