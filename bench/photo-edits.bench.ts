/**
 * Photo edits on a 12-megapixel JPEG, file to file as `seam` runs them (decode, analyse, edit,
 * encode with provenance), against only decoding and encoding the same photo — the baseline,
 * measured in the same run, interleaved run by run with the edit so a busy machine slows both
 * alike. The photo is Grace Hopper's portrait upscaled into a 4000×3000 frame (her face about
 * 900 px wide, as in a camera portrait).
 *
 * Rows come from PHOTO_EDIT_ROWS: each PhotoEditRowSource gets the same photos, pool and
 * context and returns its rows; a processor's rows are added to that list.
 *
 * `npm run bench photo-edits [--runs N]`; standalone: `npx tsx bench/photo-edits.bench.ts [runs]`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Tensor } from 'onnxruntime-node';
import sharp from 'sharp';
import { silentLogger } from '../src/engine/context';
import { createEditDeps } from '../src/engine/edit/edit-deps';
import { createProcessContext, editPhoto } from '../src/engine/edit/edit-photo';
import type { EditDeps } from '../src/engine/edit/processor';
import { decodeImage } from '../src/engine/image/decode';
import { encodeImageFile } from '../src/engine/image/encode';
import { SessionPool } from '../src/engine/inference/session-pool';
import { resolvePaths } from '../src/engine/paths';
import { meshWarp } from '../src/engine/edit/pixel/warp/mesh-warp';
import { getProcessor } from '../src/engine/edit/registry';
import { attr, OnnxDataType, OnnxGraphBuilder } from '../src/engine/models/onnx/graph-builder';
import { median, timeRuns, type BenchContext, type BenchRow, type BenchmarkDefinition } from './harness';
import { attributeRows } from './photo-edit-rows-attributes';
import { styleAndSubjectRows } from './photo-edit-rows-style';

export interface PhotoEditBenchPhoto {
  label: string;
  /** A JPEG on disk. */
  path: string;
  width: number;
  height: number;
}

export interface PhotoEditBenchDeps {
  edit: EditDeps;
  /** A scratch folder for outputs, removed after the run. */
  dir: string;
  /** The test photos (test/fixtures/media) by file name. */
  fixture(name: string): string;
}

/** One group of rows: a processor's timings on the bench photos. */
export type PhotoEditRowSource = (photos: readonly PhotoEditBenchPhoto[], ctx: BenchContext, deps: PhotoEditBenchDeps) => Promise<BenchRow[]>;

export const fixture = (name: string) => fileURLToPath(new URL(`../test/fixtures/media/${name}`, import.meta.url));

/** The 12-megapixel bench photo: the portrait upscaled to the frame's height, on a sky-blue frame. */
export async function photoEditBenchPhotos(dir: string): Promise<PhotoEditBenchPhoto[]> {
  const width = 4000;
  const height = 3000;
  const portrait = await sharp(fixture('grace_hopper.jpg')).resize(Math.round((512 / 600) * height), height, { kernel: 'lanczos3' }).toBuffer();
  const path = join(dir, 'portrait-12mp.jpg');
  await sharp({ create: { width, height, channels: 3, background: { r: 92, g: 128, b: 178 } } })
    .composite([{ input: portrait, left: Math.round(width * 0.18), top: 0 }])
    .jpeg({ quality: 92 })
    .toFile(path);
  return [{ label: '12 MP', path, width, height }];
}

/**
 * Times `edit` and the decode+encode baseline alternately, `runs` times each after one warm-up
 * of each; returns both medians in milliseconds.
 */
export async function timeAgainstBaseline(photo: PhotoEditBenchPhoto, dir: string, runs: number, edit: () => Promise<unknown>): Promise<{ editMs: number; baselineMs: number }> {
  const baseline = async () => {
    const image = await decodeImage(photo.path);
    await encodeImageFile(join(dir, 'baseline.jpg'), image, { provenance: { software: 'Seam bench', operations: [] } });
  };
  const editTimes: number[] = [];
  const baseTimes: number[] = [];
  await baseline();
  await edit();
  for (let i = 0; i < runs; i++) {
    let start = performance.now();
    await baseline();
    baseTimes.push(performance.now() - start);
    start = performance.now();
    await edit();
    editTimes.push(performance.now() - start);
  }
  return { editMs: median(editTimes), baselineMs: median(baseTimes) };
}

/** editPhoto from the photo to a JPEG in `dir`, as `seam` runs one step. */
export function editFile(deps: PhotoEditBenchDeps, photo: PhotoEditBenchPhoto, processor: string, options: Record<string, unknown>) {
  return editPhoto(deps.edit, photo.path, join(deps.dir, `${processor}.jpg`), [{ processor, options }], { logger: silentLogger });
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * Face swap: the whole file-to-file edit against the baseline (target ≤ 1.5×), then where its
 * time goes: the target's faces (detection on the ≤1280 px proxy, mesh from the full-size crop),
 * the source photo (decode and analyse), and the pixel work alone on an analysed frame.
 */
export const faceSwapRows: PhotoEditRowSource = async (photos, ctx, deps) => {
  const rows: BenchRow[] = [];
  const source = deps.fixture('astronaut.png');
  for (const photo of photos) {
    const { editMs, baselineMs } = await timeAgainstBaseline(photo, deps.dir, ctx.runs, () => editFile(deps, photo, 'face-swap', { source }));
    rows.push({ stage: 'decode + encode JPEG (baseline)', photo: photo.label, medianMs: round(baselineMs), ratio: 1, target: null, note: 'sharp, as editPhoto does it' });
    rows.push({ stage: 'face-swap, file to file', photo: photo.label, medianMs: round(editMs), ratio: Math.round((editMs / baselineMs) * 100) / 100, target: 1.5, note: 'editPhoto: decode, faces, swap, encode' });
    ctx.log(`${photo.label} face-swap ${editMs.toFixed(0)} ms vs decode+encode ${baselineMs.toFixed(0)} ms`);

    const image = await decodeImage(photo.path);
    const time = async (stage: string, fn: () => Promise<unknown>, note: string) => {
      const ms = median(await timeRuns(fn, ctx.runs, 1));
      rows.push({ stage, photo: photo.label, medianMs: round(ms), ratio: Math.round((ms / baselineMs) * 100) / 100, target: null, note });
      ctx.log(`${photo.label} ${stage}: ${ms.toFixed(1)} ms`);
    };
    await time('face-swap: target faces', () => deps.edit.analyzer.analyze(image).meshedFaces(), 'detect on the proxy, 468 points from the full-size crop');
    await time('face-swap: source photo', async () => {
      const loaded = await createProcessContext(deps.edit, { logger: silentLogger }).loadPhoto(source);
      await loaded.analysis.meshedFaces();
    }, 'decode + faces of the 512² source');
    const swap = getProcessor('face-swap');
    const options = swap.parseOptions({ source });
    const analysis = deps.edit.analyzer.analyze(image);
    await analysis.meshedFaces();
    const context = createProcessContext(deps.edit, { logger: silentLogger });
    await (await context.loadPhoto(source)).analysis.meshedFaces();
    await time('face-swap: pixels', () => swap.create(deps.edit).process({ image, analysis, index: 0 }, options, context), 'copy, warp, masks, colour, composite');
  }
  return rows;
};

/**
 * The warp's inner loop, bilinear gathers over a face-sized window (930×1010 from a 512² source),
 * in typed-array JS against onnxruntime's GridSample through the SessionPool with the sampling
 * grid computed in JS (what a GridSample warp would need). The JS loop is what face-swap uses.
 */
export const warpGatherRows: PhotoEditRowSource = async (_photos, ctx, deps) => {
  const [sw, sh, w, h] = [512, 512, 930, 1010];
  const source = { width: sw, height: sh, channels: 3 as const, data: new Uint8Array(sw * sh * 3).map((_, i) => (i * 7) % 255) };
  const toSource = (x: number, y: number) => [0.5 * x + 0.05 * y + 40, -0.05 * x + 0.5 * y + 60] as const;
  const corners = [0, 0, w, 0, 0, h, w, h];
  const sourceCorners = [0, 1, 2, 3].flatMap((k) => toSource(corners[k * 2]!, corners[k * 2 + 1]!));
  const js = () => meshWarp({ source, sourcePoints: sourceCorners, targetPoints: corners, triangles: [0, 1, 2, 1, 3, 2], window: { left: 0, top: 0, width: w, height: h } });
  const g = new OnnxGraphBuilder('grid-sample');
  g.addInput('image', OnnxDataType.FLOAT, [1, 3, sh, sw]);
  g.addInput('grid', OnnxDataType.FLOAT, [1, h, w, 2]);
  const out = g.addNode('GridSample', ['image', 'grid'], { mode: attr.string('bilinear'), padding_mode: attr.string('border'), align_corners: attr.int(0) });
  g.addOutput(out, OnnxDataType.FLOAT, [1, 3, h, w], 'out');
  const model = { id: 'bench-grid-sample', path: join(deps.dir, 'grid-sample.onnx') };
  await writeFile(model.path, g.encode({ opset: 17 }));
  const planar = new Float32Array(3 * sw * sh);
  for (let i = 0; i < sw * sh; i++) for (let c = 0; c < 3; c++) planar[c * sw * sh + i] = source.data[i * 3 + c]!;
  const ort = async () => {
    const grid = new Float32Array(w * h * 2);
    for (let y = 0, i = 0; y < h; y++) {
      for (let x = 0; x < w; x++, i += 2) {
        const [sx, sy] = toSource(x + 0.5, y + 0.5);
        grid[i] = (sx / sw) * 2 - 1;
        grid[i + 1] = (sy / sh) * 2 - 1;
      }
    }
    return deps.edit.pool.run(model, { image: new Tensor('float32', planar, [1, 3, sh, sw]), grid: new Tensor('float32', grid, [1, h, w, 2]) });
  };
  const rows: BenchRow[] = [];
  for (const [stage, fn] of [['warp gather: typed-array JS (used)', js], ['warp gather: onnxruntime GridSample', ort]] as const) {
    const ms = median(await timeRuns(fn, ctx.runs));
    rows.push({ stage, photo: `${w}×${h} window`, medianMs: round(ms), ratio: null, target: null, note: 'grid computed in JS for GridSample' });
    ctx.log(`${stage}: ${ms.toFixed(1)} ms`);
  }
  await deps.edit.pool.release(model.id);
  return rows;
};

/** Every group of rows, in order. */
export const PHOTO_EDIT_ROWS: PhotoEditRowSource[] = [faceSwapRows, warpGatherRows, attributeRows, styleAndSubjectRows];

async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const pool = new SessionPool({ providers: ['cpu'], logger: silentLogger });
  const dir = await mkdtemp(join(tmpdir(), 'seam-bench-edits-'));
  try {
    const photos = await photoEditBenchPhotos(dir);
    const deps: PhotoEditBenchDeps = { edit: createEditDeps(resolvePaths(), silentLogger, pool), dir, fixture };
    const rows: BenchRow[] = [];
    for (const source of PHOTO_EDIT_ROWS) rows.push(...(await source(photos, ctx, deps)));
    return rows;
  } finally {
    await pool.releaseAll();
    await rm(dir, { recursive: true, force: true });
  }
}

const definition: BenchmarkDefinition = {
  name: 'photo-edits',
  description: 'photo edits on a 12 MP JPEG, file to file, against decode+encode of the same photo (CPU, median ms)',
  run,
  targets(rows) {
    return rows
      .filter((row) => typeof row.target === 'number' && typeof row.ratio === 'number')
      .map((row) => ({ target: `${row.stage}: ≤ ${row.target}× decode+encode (got ${(row.ratio as number).toFixed(2)}×)`, met: (row.ratio as number) <= (row.target as number) }));
  },
};
export default definition;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runs = Number(process.argv[2] ?? 5);
  const rows = await run({ runs, log: (line) => process.stdout.write(`${line}\n`) });
  console.table(rows);
  for (const t of definition.targets!(rows)) console.log(`${t.met ? 'MET   ' : 'MISSED'} ${t.target}`);
}
