/**
 * `seam swap --source S --target T -o OUT [--target-face N] [--source-face N] [--all-faces]
 * [--keep mouth,eyes] [--strength 0.8] [--no-color-match] [--feather 10]`: the face of S put onto
 * a face of T, through the same editPhoto call the app makes (nothing is written on failure;
 * the output carries Seam's provenance).
 */
import { Command } from 'commander';
import { KEEP_PARTS } from '../../engine/edit/processors/face-swap/face-swap-options';
import { SeamError } from '../../shared/errors';
import { parseNumber, runPhotoEdit, type EditCommandDeps } from './subject';

interface SwapCliOptions {
  source: string;
  target: string;
  output: string;
  targetFace?: string;
  targetLike?: string;
  sourceFace?: string;
  allFaces?: boolean;
  keep?: string;
  strength?: string;
  colorMatch: boolean;
  feather?: string;
}

export function swapCommand(deps: EditCommandDeps): Command {
  return new Command('swap')
    .description("put the face from one photo onto a face in another, in that face's pose, light and colour")
    .requiredOption('--source <photo>', 'the photo whose face is put in')
    .requiredOption('--target <photo>', 'the photo to put it into')
    .requiredOption('-o, --output <file>', 'where to write the result (.png, .jpg or .webp)')
    .option('--target-face <index>', 'which face of the target to replace (0 = leftmost; -1 = the largest, the default)')
    .option('--target-like <photo>', 'replace the face most like the person in this photo (instead of --target-face)')
    .option('--source-face <index>', 'which face of the source to use (0 = leftmost; -1 = the largest, the default)')
    .option('--all-faces', 'replace every face of the target')
    .option('--keep <parts>', `keep the target's own ${KEEP_PARTS.join(' and/or ')} (comma-separated), e.g. --keep mouth,eyes`)
    .option('--strength <amount>', 'how much of the new face shows, 0 to 1 (default 1)')
    .option('--no-color-match', "keep the source face's own colour and light instead of the target's")
    .option('--feather <percent>', 'width of the fade into the target face, in % of the face width, 2 to 30 (default 10)')
    .action(async (options: SwapCliOptions) => {
      await runPhotoEdit(deps, options.target, options.output, [{ processor: 'face-swap', options: swapStepOptions(options) }]);
    });
}

/** The command line's flags as face-swap options (ranges are checked by the processor's parser). */
export function swapStepOptions(options: SwapCliOptions): Record<string, unknown> {
  const step: Record<string, unknown> = { source: options.source };
  if (options.targetFace !== undefined) step.targetFace = parseIndex('--target-face', options.targetFace);
  if (options.targetLike !== undefined) step.targetLike = options.targetLike;
  if (options.sourceFace !== undefined) step.sourceFace = parseIndex('--source-face', options.sourceFace);
  if (options.allFaces) step.allFaces = true;
  if (options.keep !== undefined) step.keep = parseKeep(options.keep);
  if (options.strength !== undefined) step.strength = parseNumber('--strength', options.strength);
  if (!options.colorMatch) step.colorMatch = false;
  if (options.feather !== undefined) step.blendFeather = parseNumber('--feather', options.feather);
  return step;
}

function parseIndex(flag: string, text: string): number {
  const value = parseNumber(flag, text);
  if (!Number.isInteger(value) || value < -1) {
    throw new SeamError('BAD_INPUT', `${flag} ${text}: give a face number, 0 for the leftmost face, or -1 for the largest.`);
  }
  return value;
}

function parseKeep(text: string): string[] {
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  const unknown = parts.filter((p) => !(KEEP_PARTS as readonly string[]).includes(p));
  if (unknown.length > 0) throw new SeamError('BAD_INPUT', `--keep ${text}: unknown part ${unknown.join(', ')}; choose from ${KEEP_PARTS.join(', ')}.`);
  return [...new Set(parts)];
}
