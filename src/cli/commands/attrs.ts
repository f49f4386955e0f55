/**
 * `seam attrs <image> --set smile=40,eye-size=20,hair-hue=30 -o out.jpg [--face N]`: the face
 * attribute sliders from the command line, through the same editPhoto call the app makes.
 * Slider names are the processor's option keys in kebab-case; every face is edited unless
 * --face picks one.
 */
import { Command } from 'commander';
import { createEditDeps } from '../../engine/edit/edit-deps';
import { editPhoto } from '../../engine/edit/edit-photo';
import { ATTRIBUTES_DESCRIPTOR } from '../../engine/edit/processors/attributes/attributes';
import { SeamError } from '../../shared/errors';
import type { OptionField } from '../../shared/processor-options';
import type { FaceCommandDeps } from './detect';

type NumberField = Extract<OptionField, { kind: 'number' }>;

export function kebabCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The sliders by their CLI name ("eye-size"). */
export const CLI_SLIDERS: ReadonlyMap<string, NumberField> = new Map(
  ATTRIBUTES_DESCRIPTOR.fields.filter((f): f is NumberField => f.kind === 'number').map((f) => [kebabCase(f.key), f]),
);

/** "smile=40,eye-size=20" (one or more --set) → { smile: 40, eyeSize: 20 }, with errors that name the slider. */
export function parseSliderSettings(settings: readonly string[]): Record<string, number> {
  const values: Record<string, number> = {};
  for (const pair of settings.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)) {
    const [name = '', value, ...rest] = pair.split('=').map((s) => s.trim());
    const field = CLI_SLIDERS.get(name);
    if (!field) {
      throw new SeamError('BAD_INPUT', `Unknown slider "${name}". Valid sliders: ${[...CLI_SLIDERS.keys()].join(', ')}.`, { option: name });
    }
    const number = value === undefined || value === '' || rest.length > 0 ? NaN : Number(value);
    if (!Number.isFinite(number)) throw new SeamError('BAD_INPUT', `Slider ${name} needs a number, as in ${name}=20; got "${pair}".`, { option: name });
    if (number < field.min || number > field.max) {
      throw new SeamError('BAD_INPUT', `Slider ${name}=${number} is out of range: it goes from ${field.min} to ${field.max}.`, { option: name });
    }
    values[field.key] = number;
  }
  return values;
}

export function attrsCommand(deps: FaceCommandDeps): Command {
  return new Command('attrs')
    .description('face attribute sliders: reshape eyes, nose, mouth and face; recolour hair, lips, skin, brows, teeth')
    .argument('<image>', 'the photo (JPEG, PNG, WebP, TIFF, AVIF, HEIF…)')
    .requiredOption('-o, --output <file>', 'where to write the edited photo (.png, .jpg or .webp)')
    .option(
      '--set <sliders>',
      `slider values, comma-separated (repeatable), e.g. smile=40,eye-size=20,hair-hue=30; sliders: ${[...CLI_SLIDERS.keys()].join(', ')}`,
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--face <index>', 'edit only this face (0 = leftmost; -1 = the largest); default: every face, one by one')
    .action(async (path: string, options: { output: string; set: string[]; face?: string }) => {
      const stdout = deps.stdout ?? process.stdout;
      const sliders = parseSliderSettings(options.set);
      if (Object.keys(sliders).length === 0) {
        throw new SeamError('BAD_INPUT', 'Nothing to do: give slider values with --set, e.g. --set smile=40,eye-size=20.');
      }
      const face = options.face === undefined ? undefined : Number(options.face);
      if (face !== undefined && !(Number.isInteger(face) && face >= -1)) {
        throw new SeamError('BAD_INPUT', `--face takes a face number (0 = leftmost, -1 = the largest); got "${options.face}".`);
      }
      const edit = createEditDeps(deps.paths, deps.logger);
      try {
        const step = { processor: 'attributes', options: { ...sliders, ...(face === undefined ? {} : { allFaces: false, face }) } };
        const result = await editPhoto(edit, path, options.output, [step], { logger: deps.logger }).catch((error: unknown) => {
          throw nameThePhoto(error, path);
        });
        const lines = [`wrote ${result.output} (${result.width}×${result.height}): ${result.operations.join('; ')}`, ...result.notes.map((n) => `note: ${n}`)];
        stdout.write(`${lines.join('\n')}\n`);
      } finally {
        await edit.pool.releaseAll();
      }
    });
}

/** The processor speaks of "the photo"; on the command line the user wants to hear which file. */
function nameThePhoto(error: unknown, path: string): unknown {
  if (!(error instanceof SeamError) || error.details?.faces === undefined) return error;
  const message = error.message.replace('the photo', path);
  return new SeamError(error.code, message, error.details);
}
