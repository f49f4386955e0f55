/**
 * The contract's editor methods, implemented over OpenImages and the processors. Photos arrive as
 * bytes from the page; processors that name another photo use "image:<id>". The user's painted
 * label map, when given, replaces the parser's for every step.
 */
import { basename, extname } from 'node:path';
import type { CallContext, EngineHandlers } from '../../shared/contract';
import { SeamError } from '../../shared/errors';
import { appVersion } from '../app-info';
import { createProcessContext, runSteps, type EditStep } from '../edit/edit-photo';
import type { EditDeps } from '../edit/processor';
import { processorDescriptors } from '../edit/registry';
import { decodeImage, readImageInfo } from '../image/decode';
import { encodeImageBytes } from '../image/encode';
import type { LabelMap } from '../vision/label-map/label-map';
import { giveAway } from '../host/transfer';
import { OpenImages, toRgba, type OpenImage } from './open-images';
import { cropToRegion } from './preview-crop';

type EditorHandlers = Pick<EngineHandlers, 'listProcessors' | 'openImage' | 'analyzeImage' | 'previewEdit' | 'exportImage' | 'closeImage'>;

interface EditedLabels {
  width: number;
  height: number;
  data: Uint8Array;
}

/** `images` is shared with the video methods, whose plans name open photos as "image:<id>". */
export function createEditorHandlers(deps: EditDeps, images = new OpenImages(deps)): EditorHandlers {

  const jobContext = (call: CallContext) => ({
    logger: deps.logger,
    signal: call.signal,
    onProgress: (p: { stage: string; done: number; total?: number; message?: string }) => call.emitProgress(p),
  });

  const run = async (entry: OpenImage, steps: EditStep[], labels: EditedLabels | undefined, call: CallContext) => {
    const ctx = createProcessContext(deps, jobContext(call), (ref) => images.resolveReference(ref));
    const labelMap = labels ? toLabelMap(entry, labels) : undefined;
    return runSteps(deps, entry.image, steps, ctx, {
      // The kept analysis serves the first step unless the user's labels replace its map.
      ...(labelMap ? { labels: labelMap } : { analysis: entry.analysis }),
      instances: entry.instances,
    });
  };

  return {
    listProcessors: async () => processorDescriptors(),

    openImage: async ({ name, bytes }, call) => {
      const input = { bytes, name: basename(name) };
      const info = await readImageInfo(input);
      const image = await decodeImage(input, { signal: call.signal });
      const entry = images.add(input.name, info.format, image);
      return { imageId: entry.id, name: entry.name, width: image.width, height: image.height, format: info.format, pixels: giveAway(toRgba(image)) };
    },

    analyzeImage: async ({ imageId }, call) => {
      const { analysis, image } = images.get(imageId);
      call.emitProgress({ stage: 'faces', done: 0, total: 3 });
      const faces = await analysis.faces(call.signal);
      call.emitProgress({ stage: 'person', done: 1, total: 3 });
      const person = await analysis.person(call.signal);
      call.emitProgress({ stage: 'labels', done: 2, total: 3 });
      const labels = await analysis.labels(call.signal);
      call.emitProgress({ stage: 'done', done: 3, total: 3 });
      const alpha = new Uint8Array(image.width * image.height);
      for (let i = 0; i < alpha.length; i++) alpha[i] = Math.round(person.alpha[i]! * 255);
      return {
        faces: faces.map((f) => ({
          box: f.detection.box,
          score: f.detection.score,
          landmarks: f.landmarks ? giveAway(Float32Array.from(f.landmarks.points.flatMap((p) => [p.x, p.y]))) : null,
        })),
        // The analysis keeps its label map; the reply gets a copy.
        labels: { width: labels.width, height: labels.height, data: giveAway(labels.data.slice()) },
        person: giveAway(alpha),
      };
    },

    previewEdit: async ({ imageId, steps, labels, crop }, call) => {
      const started = performance.now();
      const entry = images.get(imageId);
      const result = await run(entry, steps, labels, call);
      const { width, height } = result.image;
      if (crop) {
        const cut = cropToRegion(result.image, result.region);
        return { width, height, box: cut.box, pixels: giveAway(cut.pixels), region: giveAway(cut.region), notes: result.notes, engineMs: performance.now() - started };
      }
      return { width, height, pixels: giveAway(toRgba(result.image)), region: giveAway(result.region), notes: result.notes, engineMs: performance.now() - started };
    },

    exportImage: async ({ imageId, steps, labels, format, quality }, call) => {
      const entry = images.get(imageId);
      const result = await run(entry, steps, labels, call);
      const bytes = await encodeImageBytes(result.image, format, {
        provenance: { software: `Seam ${appVersion()}`, operations: result.operations },
        quality,
      });
      const stem = basename(entry.name, extname(entry.name));
      return { name: `${stem}-seam.${format === 'jpeg' ? 'jpg' : format}`, bytes: giveAway(bytes), operations: result.operations };
    },

    closeImage: async ({ imageId }) => images.close(imageId),
  };
}

function toLabelMap(entry: OpenImage, labels: EditedLabels): LabelMap {
  if (labels.width !== entry.image.width || labels.height !== entry.image.height) {
    throw new SeamError('BAD_INPUT', `The edited label map is ${labels.width}×${labels.height}, but ${entry.name} is ${entry.image.width}×${entry.image.height}.`);
  }
  for (let i = 0; i < labels.data.length; i++) {
    if (labels.data[i]! > 18) throw new SeamError('BAD_INPUT', `The edited label map holds ${labels.data[i]}, which is not a label id (0–18).`);
  }
  return { width: labels.width, height: labels.height, data: labels.data, faceCount: 0, parser: 'user-edited' };
}
