/**
 * `seam parse <image> -o labels.png`: the semantic label map (CelebAMask-HQ ids, one per pixel)
 * as an 8-bit grey picture of the ids, or in SEAN's palette (--color), or the palette over the
 * photo (--overlay). A photo without a face still gets background and person labels, with a
 * warning.
 */
import { Command } from 'commander';
import { formatForPath } from '../../engine/image/encode';
import { SessionPool } from '../../engine/inference/session-pool';
import { presentLabels } from '../../engine/vision/label-map/label-map';
import { parsePhoto, writeLabelImage, type LabelPictureKind, type ParsedPhoto } from '../../engine/vision/label-map/parse-photo';
import { SeamError } from '../../shared/errors';
import type { FaceCommandDeps } from './detect';

export function parseCommand(deps: FaceCommandDeps & { stderr?: { write(text: string): unknown } }): Command {
  return new Command('parse')
    .description('the semantic label map (skin, brows, eyes, nose, lips, hair, ears, neck, cloth…) of a photo')
    .argument('<image>', 'the photo (JPEG, PNG, WebP, TIFF, AVIF, HEIF…)')
    .requiredOption('-o, --output <file>', 'where to write the map (.png: the ids must survive, so no lossy format for plain ids)')
    .option('--color', "each label in SEAN's palette colour instead of its id")
    .option('--overlay', 'the palette blended over the photo')
    .action(async (path: string, options: { output: string; color?: boolean; overlay?: boolean }) => {
      const stdout = deps.stdout ?? process.stdout;
      const stderr = deps.stderr ?? process.stderr;
      if (options.color && options.overlay) throw new SeamError('BAD_INPUT', 'Choose one of --color and --overlay.');
      const kind: LabelPictureKind = options.overlay ? 'overlay' : options.color ? 'color' : 'indices';
      // Ids in a lossy file would come back as neighbouring ids: plain ids go to PNG only.
      if (formatForPath(options.output) !== 'png' && kind === 'indices') {
        throw new SeamError('BAD_INPUT', `Label ids must be written losslessly: use a .png name for ${options.output}, or --color/--overlay for a picture.`);
      }
      const pool = new SessionPool({ logger: deps.logger });
      try {
        const photo = await parsePhoto({ paths: deps.paths, pool, logger: deps.logger }, path);
        await writeLabelImage(options.output, photo, kind);
        if (photo.labels.faceCount === 0) {
          stderr.write(`seam: warning: no face found in ${path}; the map has only background and person (cloth) labels\n`);
        }
        stdout.write(formatParse(photo, options.output, kind));
      } finally {
        await pool.releaseAll();
      }
    });
}

export function formatParse(photo: ParsedPhoto, output: string, kind: LabelPictureKind): string {
  const { labels } = photo;
  const total = labels.width * labels.height;
  const lines = [
    `label map of ${photo.path} (${labels.width}×${labels.height}): ${labels.faceCount} face(s), parser ${labels.parser}, person model ${photo.segmentation.modelId}`,
    `written to ${output} (${kind === 'indices' ? 'label ids as grey levels 0..18' : kind === 'color' ? "SEAN's palette" : 'palette over the photo'})`,
    '',
    'id  label        pixels     share',
  ];
  for (const { id, name, pixels } of presentLabels(labels)) {
    lines.push(`${String(id).padStart(2)}  ${name.padEnd(11)} ${String(pixels).padStart(8)}  ${((100 * pixels) / total).toFixed(2).padStart(6)} %`);
  }
  return `${lines.join('\n')}\n`;
}
