/**
 * `seam segment <image> -o alpha.png`: the person's soft alpha at the photo's resolution, as an
 * 8-bit grey picture (white = person), from the selfie segmentation model with guided upsampling.
 */
import { Command, Option } from 'commander';
import { formatForPath } from '../../engine/image/encode';
import { SessionPool } from '../../engine/inference/session-pool';
import type { SegmentationVariant } from '../../engine/vision/segmentation/model-choice';
import { segmentPhoto, writeAlphaImage } from '../../engine/vision/segmentation/segment-photo';
import type { FaceCommandDeps } from './detect';

export function segmentCommand(deps: FaceCommandDeps): Command {
  return new Command('segment')
    .description("the person's soft alpha (white = person) at the photo's resolution, as a grey picture")
    .argument('<image>', 'the photo (JPEG, PNG, WebP, TIFF, AVIF, HEIF…)')
    .requiredOption('-o, --output <file>', 'where to write the alpha (.png recommended; .jpg and .webp also work)')
    .addOption(new Option('--model <which>', 'segmentation model: chosen by aspect, or forced').choices(['auto', 'square', 'landscape']).default('auto'))
    .option('--bilinear', "write the model's output resized bilinearly instead of the edge-following guided upsampling")
    .action(async (path: string, options: { output: string; model: 'auto' | SegmentationVariant; bilinear?: boolean }) => {
      const stdout = deps.stdout ?? process.stdout;
      // A bad output name should fail before any work is done.
      formatForPath(options.output);
      const pool = new SessionPool({ logger: deps.logger });
      try {
        const photo = await segmentPhoto({ paths: deps.paths, pool, logger: deps.logger }, path, options.model === 'auto' ? {} : { variant: options.model });
        await writeAlphaImage(options.output, photo, { bilinear: options.bilinear === true });
        const s = photo.segmentation;
        const t = s.timings;
        stdout.write(
          `person alpha of ${path} (${s.width}×${s.height}) written to ${options.output}\n` +
            `model ${s.modelId} (${s.low.width}×${s.low.height}); ${options.bilinear ? 'bilinear' : 'guided'} upsampling\n` +
            `time: resize ${t.preprocessMs.toFixed(1)} ms, model ${t.inferenceMs.toFixed(1)} ms, upsampling ${t.upsampleMs.toFixed(1)} ms\n`,
        );
      } finally {
        await pool.releaseAll();
      }
    });
}
