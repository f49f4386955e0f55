/**
 * Segmentation and label-map rows for the vision benchmark (bench/vision.bench.ts adds this
 * source to its ROW_SOURCES): on the same 720p/1080p frames, the selfie model's input resize,
 * the model run, the guided upsampling (against plain bilinear, the baseline measured in the same
 * run), the whole `segment` call, then the label map and the editor's soft layer masks.
 *
 * Standalone: `npx tsx bench/segmentation-rows.ts [runs]`.
 */
import { pathToFileURL } from 'node:url';
import { Tensor } from 'onnxruntime-node';
import { silentLogger } from '../src/engine/context';
import { SessionPool } from '../src/engine/inference/session-pool';
import { resolvePaths } from '../src/engine/paths';
import { FacePipeline } from '../src/engine/vision/faces/face-pipeline';
import { resizeToTensor } from '../src/engine/vision/image-ops/resize';
import { LandmarkSemanticParser } from '../src/engine/vision/label-map/landmark-parser';
import { parserFaces } from '../src/engine/vision/label-map/parse-photo';
import { softLabelMasks } from '../src/engine/vision/label-map/soft-masks';
import { bilinearUpsample, guidedUpsample } from '../src/engine/vision/segmentation/guided-upsample';
import { chooseSegmentationModel } from '../src/engine/vision/segmentation/model-choice';
import { PersonSegmenter } from '../src/engine/vision/segmentation/person-segmenter';
import { VisionModels } from '../src/engine/vision/vision-models';
import { median, timeRuns, type BenchContext, type BenchRow } from './harness';
import type { VisionBenchDeps, VisionBenchFrame } from './vision.bench';

const round = (ms: number) => Math.round(ms * 100) / 100;

export async function segmentationBenchRows(frames: readonly VisionBenchFrame[], ctx: BenchContext, deps: VisionBenchDeps): Promise<BenchRow[]> {
  const models = new VisionModels({ paths: deps.paths, pool: deps.pool, logger: silentLogger });
  const segmenter = new PersonSegmenter(models, silentLogger);
  const faces = FacePipeline.create({ paths: deps.paths, pool: deps.pool, logger: silentLogger });
  const parser = new LandmarkSemanticParser();
  const rows: BenchRow[] = [];
  for (const { label, image } of frames) {
    const time = async (stage: string, fn: () => unknown, note = '') => {
      const ms = median(await timeRuns(fn, ctx.runs));
      rows.push({ stage, frame: label, medianMs: round(ms), note });
      ctx.log(`${label} ${stage}: ${ms.toFixed(2)} ms`);
      return ms;
    };
    const spec = chooseSegmentationModel(image.width, image.height);
    const session = await deps.pool.acquire(await models.ref(spec.modelId));
    const input = resizeToTensor(image, spec.width, spec.height, [0, 1]);
    const feeds = { [session.inputNames[0]!]: new Tensor('float32', input, [1, spec.height, spec.width, 3]) };
    const person = await segmenter.segment(image);

    await time('segment: resize to model input', () => resizeToTensor(image, spec.width, spec.height, [0, 1]), `${spec.width}×${spec.height}, antialiased`);
    await time('segment: model run', () => session.run(feeds), spec.modelId);
    const bilinear = await time('segment: bilinear upsampling (baseline)', () => bilinearUpsample(person.low, image.width, image.height));
    const guided = await time('segment: guided upsampling', () => guidedUpsample(image, person.low));
    rows[rows.length - 1]!.note = `fast guided filter, luminance guide; ${(guided / bilinear).toFixed(1)}× the bilinear baseline`;
    await time('segment: whole call', () => segmenter.segment(image), 'what `seam segment` runs after decoding');

    const analysed = parserFaces(await faces.analyze(image));
    const map = await parser.parse(image, analysed, person);
    await time(`parse: label map, ${analysed.length} face(s)`, () => parser.parse(image, analysed, person), 'faces and person mask given');
    await time('parse: soft masks, every layer', () => softLabelMasks(map), `${softLabelMasks(map).size} layers, feather 2 px`);
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { visionBenchFrames } = await import('./vision.bench');
  const runs = Number(process.argv[2] ?? 10);
  const pool = new SessionPool({ providers: ['cpu'], logger: silentLogger });
  try {
    const rows = await segmentationBenchRows(await visionBenchFrames(), { runs, log: (line) => process.stdout.write(`${line}\n`) }, { paths: resolvePaths(), pool });
    console.table(rows);
  } finally {
    await pool.releaseAll();
  }
}
