/**
 * Vision on the CPU: face detection, landmarks and a tracked video frame at 720p and 1080p, as
 * the median of `runs` timed calls after two warm-up calls. The frames are the astronaut
 * portrait scaled to the frame's height on a grey canvas (one face, about a quarter of the frame
 * high), so every stage has real work to do.
 *
 * Segmentation and label-map rows come from bench/segmentation-rows.ts through ROW_SOURCES: a
 * VisionRowSource gets the same frames, pool and context; more groups are added to that list.
 *
 * `npm run bench vision [--runs N]`; standalone: `npx tsx bench/vision.bench.ts [runs]`.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { silentLogger } from '../src/engine/context';
import type { RasterImage } from '../src/engine/image/image';
import { SessionPool } from '../src/engine/inference/session-pool';
import { resolvePaths, type SeamPaths } from '../src/engine/paths';
import { FacePipeline } from '../src/engine/vision/faces/face-pipeline';
import { cropFromDetection } from '../src/engine/vision/faces/landmark-crop';
import { letterboxToTensor } from '../src/engine/vision/image-ops/letterbox';
import { FaceTracker } from '../src/engine/vision/tracking/face-tracker';
import { median, timeRuns, type BenchContext, type BenchRow, type BenchmarkDefinition } from './harness';
import { segmentationBenchRows } from './segmentation-rows';

export interface VisionBenchFrame {
  label: '720p' | '1080p';
  image: RasterImage;
}

export interface VisionBenchDeps {
  paths: SeamPaths;
  /** CPU-only pool shared by every row source. */
  pool: SessionPool;
}

/** One group of rows: the face rows below, segmentation's when it adds its own. */
export type VisionRowSource = (frames: readonly VisionBenchFrame[], ctx: BenchContext, deps: VisionBenchDeps) => Promise<BenchRow[]>;

const SIZES = [
  { label: '720p', width: 1280, height: 720 },
  { label: '1080p', width: 1920, height: 1080 },
] as const;

/** The benchmark frames: the portrait scaled to the frame height, centred on grey. */
export async function visionBenchFrames(): Promise<VisionBenchFrame[]> {
  const portrait = fileURLToPath(new URL('../test/fixtures/media/astronaut.png', import.meta.url));
  return Promise.all(
    SIZES.map(async ({ label, width, height }) => {
      const scaled = await sharp(portrait).resize(height, height).png().toBuffer();
      const { data } = await sharp({ create: { width, height, channels: 3, background: { r: 128, g: 128, b: 128 } } })
        .composite([{ input: scaled, left: Math.round((width - height) / 2), top: 0 }])
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      return { label, image: { width, height, channels: 3 as const, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) } };
    }),
  );
}

const round = (ms: number) => Math.round(ms * 100) / 100;

export const faceRows: VisionRowSource = async (frames, ctx, deps) => {
  const pipeline = FacePipeline.create({ paths: deps.paths, pool: deps.pool, logger: silentLogger });
  const rows: BenchRow[] = [];
  for (const { label, image } of frames) {
    const time = async (stage: string, fn: () => Promise<unknown> | unknown, note = '') => {
      const ms = median(await timeRuns(fn, ctx.runs));
      rows.push({ stage, frame: label, medianMs: round(ms), note });
      ctx.log(`${label} ${stage}: ${ms.toFixed(2)} ms`);
    };
    const [face] = await pipeline.detect(image);
    if (!face) throw new Error(`no face found in the ${label} bench frame`);

    await time('letterbox 128 (JS only)', () => letterboxToTensor(image, 128, 128, [-1, 1]), 'antialiased warp into the detector input');
    await time('detect short-range', () => pipeline.detect(image, { strategy: 'short-range' }));
    await time('detect both models', () => pipeline.detect(image, { strategy: 'both' }));
    await time('detect auto (both + full-range tiles)', () => pipeline.detect(image), 'what `seam detect` runs');
    await time('landmarks, 1 face, 1 pass', () => pipeline.landmarker.landmarks(image, cropFromDetection(face)));
    await time('landmarks, 1 face, refined', () => pipeline.landmarksFor(image, face), 'what `seam landmarks` runs per face');

    // A tracked frame in steady state: crop from the previous landmarks, no detector (detectEvery 0).
    const tracker = new FaceTracker(pipeline, { detectEvery: 0, smoothing: 0.5 }, silentLogger);
    let index = 0;
    await tracker.next(image, index++, 0);
    await time('tracked frame, 1 face (no detector)', () => tracker.next(image, index++, index / 25), 'landmarks + smoothing');
  }
  return rows;
};

/** Every group of rows, in order: faces here, segmentation and the label map from segmentation-rows.ts. */
const ROW_SOURCES: VisionRowSource[] = [faceRows, segmentationBenchRows];

async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const pool = new SessionPool({ providers: ['cpu'], logger: silentLogger });
  try {
    const frames = await visionBenchFrames();
    const deps = { paths: resolvePaths(), pool };
    const rows: BenchRow[] = [];
    for (const source of ROW_SOURCES) rows.push(...(await source(frames, ctx, deps)));
    return rows;
  } finally {
    await pool.releaseAll();
  }
}

const definition: BenchmarkDefinition = {
  name: 'vision',
  description: 'face detection, landmarks, tracking, segmentation and label map per frame at 720p/1080p, CPU, median ms',
  run,
};
export default definition;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runs = Number(process.argv[2] ?? 10);
  const rows = await run({ runs, log: (line) => process.stdout.write(`${line}\n`) });
  console.table(rows);
}
