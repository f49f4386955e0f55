/**
 * Region-style and subject-transfer rows for the photo-edit benchmark, on a 1080p photo: the
 * astronaut portrait scaled to cover 1920×1080 (top kept; face about 340 px wide).
 *
 * - region style with the analysis included (faces, person, label map of the frame; decode,
 *   analysis and style codes of the reference) — the first call on a new photo — and excluded
 *   (analysis made, codes kept: what each slider update costs), for face regions and for face +
 *   clothes + background (the large regions);
 * - the style codes of a 1080p reference on their own;
 * - subject transfer the same two ways (Grace Hopper's portrait put into the frame), and the
 *   background fill on its own.
 *
 * `styleAndSubjectRows` is what bench/photo-edits.bench.ts adds to its rows; standalone:
 * `npx tsx bench/photo-edit-rows-style.ts [runs]`.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { silentLogger } from '../src/engine/context';
import { createEditDeps } from '../src/engine/edit/edit-deps';
import { createProcessContext } from '../src/engine/edit/edit-photo';
import { fillBackground } from '../src/engine/edit/pixel/fill/fill-background';
import type { EditDeps } from '../src/engine/edit/processor';
import { regionStyle } from '../src/engine/edit/processors/region-style/region-style';
import { computeStyleCodes } from '../src/engine/edit/processors/region-style/style-codes';
import { subjectTransfer } from '../src/engine/edit/processors/subject-transfer/subject-transfer';
import type { RasterImage } from '../src/engine/image/image';
import { SessionPool } from '../src/engine/inference/session-pool';
import { resolvePaths } from '../src/engine/paths';
import { boxMean } from '../src/engine/vision/segmentation/box-filter';
import { median, timeRuns, type BenchContext, type BenchRow } from './harness';
// Type only: photo-edits.bench.ts imports this file, and a value import back would be circular.
import type { PhotoEditRowSource } from './photo-edits.bench';

const round = (ms: number) => Math.round(ms * 10) / 10;
const fixture = (name: string) => fileURLToPath(new URL(`../test/fixtures/media/${name}`, import.meta.url));
const FRAME = '1080p, face ≈ 340 px';

async function frame1080(): Promise<RasterImage> {
  const { data, info } = await sharp(fixture('astronaut.png')).resize(1920, 1080, { fit: 'cover', position: 'top', kernel: 'lanczos3' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

export async function styleAndSubjectBenchRows(ctx: BenchContext, edit: EditDeps): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const image = await frame1080();
  const reference = fixture('grace_hopper.jpg');
  const runs = Math.min(ctx.runs, 5);
  // Wall time as the harness measures it, and this process's CPU time over the same runs: on a
  // busy machine the CPU time is the steadier measure of the work itself (onnxruntime's own
  // threads count in it too, during analysis).
  const time = async (processor: string, stage: string, fn: () => Promise<unknown> | unknown, note: string) => {
    const cpu: number[] = [];
    const wall = await timeRuns(async () => {
      const start = process.cpuUsage();
      await fn();
      const used = process.cpuUsage(start);
      cpu.push((used.user + used.system) / 1000);
    }, runs, 1);
    const ms = median(wall);
    const cpuMs = median(cpu.slice(1));
    rows.push({ processor, stage, photo: FRAME, medianMs: round(ms), cpuMs: round(cpuMs), note });
    ctx.log(`${processor} ${stage}: ${ms.toFixed(1)} ms (CPU ${cpuMs.toFixed(1)} ms)`);
  };
  const faceRegions = { hair: 1, skin: 0.6, u_lip: 1, l_lip: 1, l_brow: 1, r_brow: 1 };
  const allRegions = { ...faceRegions, neck: 1, cloth: 1, background: 1 };

  // First call on a new photo: fresh analysis, fresh context (the reference decoded and analysed), fresh instance.
  const first = (module: typeof regionStyle, options: Record<string, unknown>) => async () => {
    const instance = module.create(edit);
    await instance.process({ image, analysis: edit.analyzer.analyze(image), index: 0 }, module.parseOptions(options), createProcessContext(edit, { logger: silentLogger }));
  };
  // A slider update: the frame analysed and the instance's caches warm.
  const update = async (module: typeof regionStyle, options: Record<string, unknown>) => {
    const analysis = edit.analyzer.analyze(image);
    await analysis.labels();
    const context = createProcessContext(edit, { logger: silentLogger });
    const instance = module.create(edit);
    const parsed = module.parseOptions(options);
    await instance.process({ image, analysis, index: 0 }, parsed, context);
    return () => instance.process({ image, analysis, index: 0 }, parsed, context);
  };

  await time('region-style', 'analysis included, face regions', first(regionStyle, { reference, regions: faceRegions }), 'faces, person, labels of the frame; reference decoded, analysed, coded');
  await time('region-style', 'analysis excluded, face regions', await update(regionStyle, { reference, regions: faceRegions }), 'hair, skin, lips, brows: a slider update');
  await time('region-style', 'analysis excluded, + neck, clothes, background', await update(regionStyle, { reference, regions: allRegions }), 'the large regions too');
  const labels = await edit.analyzer.analyze(image).labels();
  await time('region-style', 'style codes of a 1080p photo', () => computeStyleCodes(image, labels), 'every region: base/detail layers and Lab statistics');

  const source = fixture('grace_hopper.jpg');
  await time('subject-transfer', 'analysis included', first(subjectTransfer, { source }), 'faces + person of both photos, cut-out, fill, composite');
  await time('subject-transfer', 'analysis excluded', await update(subjectTransfer, { source }), 'fill (patches) + toning + placing + composite');
  const alpha = (await edit.analyzer.analyze(image).person()).alpha;
  const person = Float32Array.from(alpha, (a) => (a > 0.05 ? 1 : 0));
  const hole = Float32Array.from(boxMean(person, image.width, image.height, 20), (v) => (v > 0 ? 1 : 0));
  const share = hole.reduce((s, v) => s + v, 0) / hole.length;
  await time('subject-transfer', 'background fill alone, texture', () => fillBackground(image, hole), `the whole person's area (${(100 * share).toFixed(0)}% of the frame)`);
  await time('subject-transfer', 'background fill alone, smooth', () => fillBackground(image, hole, { method: 'smooth' }), 'push-pull membrane + grain');
  return rows;
}

/** The rows as a PHOTO_EDIT_ROWS entry (they use their own 1080p frame, not the 12 MP photo). */
export const styleAndSubjectRows: PhotoEditRowSource = (_photos, ctx, deps) => styleAndSubjectBenchRows(ctx, deps.edit);

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runs = Number(process.argv[2] ?? 5);
  const pool = new SessionPool({ providers: ['cpu'], logger: silentLogger });
  try {
    console.table(await styleAndSubjectBenchRows({ runs, log: (line) => process.stdout.write(`${line}\n`) }, createEditDeps(resolvePaths(), silentLogger, pool)));
  } finally {
    await pool.releaseAll();
  }
}
