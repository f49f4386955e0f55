/**
 * `seam subject --source S --target T -o OUT [--box x,y,w,h]`: the whole person from S put into
 * T where T's person stands (or in the box), with the background they leave uncovered filled in.
 * Also home of `runPhotoEdit`, the file-to-file run the photo-edit commands share.
 */
import { Command } from 'commander';
import type { Logger } from '../../engine/context';
import { createEditDeps } from '../../engine/edit/edit-deps';
import { editPhoto, type EditStep } from '../../engine/edit/edit-photo';
import { SessionPool } from '../../engine/inference/session-pool';
import type { SeamPaths } from '../../engine/paths';
import { SeamError } from '../../shared/errors';
import type { OptionBox } from '../../shared/processor-options';

export interface EditCommandDeps {
  paths: SeamPaths;
  logger: Logger;
  stdout?: { write(text: string): unknown };
}

interface SubjectCliOptions {
  source: string;
  target: string;
  output: string;
  box?: string;
  harmonize?: string;
  feather?: string;
  keepTarget?: boolean;
}

export function subjectCommand(deps: EditCommandDeps): Command {
  return new Command('subject')
    .description('put the whole person from one photo into another, where the person there stands (or in a box)')
    .requiredOption('--source <photo>', 'the photo of the person to move')
    .requiredOption('--target <photo>', 'the photo to put them into')
    .requiredOption('-o, --output <file>', 'where to write the result (.png, .jpg or .webp)')
    .option('--box <x,y,w,h>', 'fit the person into this rectangle of the target (pixels), standing on its bottom edge')
    .option('--harmonize <amount>', "how far the person's tone moves toward the target scene, 0 to 1 (default 0.5)")
    .option('--feather <px>', 'softness of the pasted edge in pixels, 0 to 10 (default 1)')
    .option('--keep-target', 'add the person instead of replacing the one already there')
    .action(async (options: SubjectCliOptions) => {
      const stepOptions: Record<string, unknown> = { source: options.source };
      if (options.box !== undefined) stepOptions.box = parseBox(options.box);
      if (options.harmonize !== undefined) stepOptions.harmonize = parseNumber('--harmonize', options.harmonize);
      if (options.feather !== undefined) stepOptions.feather = parseNumber('--feather', options.feather);
      if (options.keepTarget) stepOptions.keepTarget = true;
      await runPhotoEdit(deps, options.target, options.output, [{ processor: 'subject-transfer', options: stepOptions }]);
    });
}

/** "x,y,w,h" in pixels → a box; BAD_INPUT naming the problem otherwise. */
export function parseBox(text: string): OptionBox {
  const parts = text.split(',').map((p) => p.trim());
  const values = parts.map(Number);
  if (parts.length !== 4 || parts.some((p) => p === '') || values.some((v) => !Number.isFinite(v))) {
    throw new SeamError('BAD_INPUT', `--box ${text}: give four numbers x,y,width,height in pixels, e.g. --box 100,50,300,600.`);
  }
  const [x, y, width, height] = values as [number, number, number, number];
  if (width <= 0 || height <= 0) throw new SeamError('BAD_INPUT', `--box ${text}: width and height must be more than 0.`);
  return { x, y, width, height };
}

export function parseNumber(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new SeamError('BAD_INPUT', `${flag} ${text}: not a number.`);
  return value;
}

/**
 * Runs photo-edit steps from file to file through editPhoto (nothing is written when a step
 * fails) and prints what was written and the notes. A "not found in the photo being edited"
 * error is reworded to name the target file.
 */
export async function runPhotoEdit(deps: EditCommandDeps, target: string, output: string, steps: EditStep[]): Promise<void> {
  const stdout = deps.stdout ?? process.stdout;
  const pool = new SessionPool({ logger: deps.logger });
  try {
    const edit = createEditDeps(deps.paths, deps.logger, pool);
    const result = await editPhoto(edit, target, output, steps, { logger: deps.logger });
    const lines = [`wrote ${result.output} (${result.width}×${result.height})`, ...result.operations.map((op) => `  ${op}`), ...result.notes.map((note) => `note: ${note}`)];
    stdout.write(`${lines.join('\n')}\n`);
  } catch (error) {
    if (error instanceof SeamError && error.details?.photo === 'target') {
      throw new SeamError(error.code, error.message.replace('the photo being edited', target), error.details);
    }
    throw error;
  } finally {
    await pool.releaseAll();
  }
}
