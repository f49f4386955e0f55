/**
 * `seam style --target T --reference R [--reference2 R2 --mix 0.5] --regions hair=1,skin=0.5 -o OUT`:
 * chosen regions of T take the colours and texture of the same regions in R (or a mix of R and
 * R2). Region names are the label names (`seam parse` lists them) plus pairs: eyes, brows, ears,
 * lips. With `--neural [--seed N]` SEAN's generator redraws the regions instead (the
 * neural-region-style processor; needs `seam models import-sean` first).
 */
import { Command, Option } from 'commander';
import { LABELS, type LabelName } from '../../shared/labels';
import { SeamError } from '../../shared/errors';
import { parseNumber, runPhotoEdit, type EditCommandDeps } from './subject';

interface StyleCliOptions {
  target: string;
  reference: string;
  reference2?: string;
  mix?: string;
  regions: string;
  detail?: string;
  method: string;
  output: string;
  neural?: boolean;
  seed?: string;
}

/** Names a person would use for both sides of a pair, and friendlier names for some labels. */
const REGION_ALIASES: Record<string, LabelName[]> = {
  eyes: ['l_eye', 'r_eye'],
  brows: ['l_brow', 'r_brow'],
  ears: ['l_ear', 'r_ear'],
  lips: ['u_lip', 'l_lip'],
  glasses: ['eye_g'],
  earrings: ['ear_r'],
  necklace: ['neck_l'],
  clothes: ['cloth'],
};

export function styleCommand(deps: EditCommandDeps): Command {
  return new Command('style')
    .description("give chosen regions (hair, skin, lips, clothes, background…) a reference photo's colours and texture")
    .requiredOption('--target <photo>', 'the photo to edit')
    .requiredOption('--reference <photo>', 'the photo whose region styles to take')
    .option('--reference2 <photo>', 'a second style photo to mix with the first')
    .option('--mix <t>', '0: the first reference, 1: the second (default 0.5; needs --reference2)')
    .requiredOption('--regions <list>', `region=weight pairs, weights 0 to 1, e.g. hair=1,skin=0.5 (a name alone means 1); names: ${validRegionNames().join(', ')}`)
    .option('--detail <amount>', "how much of the reference's texture strength to take, 0 to 1 (default 1)")
    .addOption(new Option('--method <how>', 'colour matching').choices(['mean-std', 'covariance']).default('mean-std'))
    .option('--neural', "redraw the regions with SEAN's generator instead (texture, not only colour; 256-px face crop; needs `seam models import-sean` first)")
    .option('--seed <n>', 'with --neural: the noise seed, a whole number 0 to 9999 (default 0); the same seed gives the same result')
    .requiredOption('-o, --output <file>', 'where to write the result (.png, .jpg or .webp)')
    .action(async (options: StyleCliOptions, command: Command) => {
      if (options.mix !== undefined && options.reference2 === undefined) throw new SeamError('BAD_INPUT', '--mix needs --reference2: it moves between the two style photos.');
      const stepOptions: Record<string, unknown> = { reference: options.reference, regions: parseRegions(options.regions) };
      if (options.reference2 !== undefined) stepOptions.reference2 = options.reference2;
      if (options.mix !== undefined) stepOptions.mix = parseNumber('--mix', options.mix);
      if (options.neural) {
        if (options.detail !== undefined || command.getOptionValueSource('method') === 'cli') {
          throw new SeamError('BAD_INPUT', '--detail and --method belong to the analytic style; --neural redraws the regions with SEAN and takes --seed instead.');
        }
        if (options.seed !== undefined) stepOptions.seed = parseNumber('--seed', options.seed);
        await runPhotoEdit(deps, options.target, options.output, [{ processor: 'neural-region-style', options: stepOptions }]);
        return;
      }
      if (options.seed !== undefined) throw new SeamError('BAD_INPUT', '--seed needs --neural: only the generator draws noise.');
      stepOptions.method = options.method;
      if (options.detail !== undefined) stepOptions.detail = parseNumber('--detail', options.detail);
      await runPhotoEdit(deps, options.target, options.output, [{ processor: 'region-style', options: stepOptions }]);
    });
}

function validRegionNames(): string[] {
  return [...LABELS.map((l) => l.name), ...Object.keys(REGION_ALIASES)];
}

/** "hair=1,skin=0.5,eyes" → { hair: 1, skin: 0.5, l_eye: 1, r_eye: 1 }; BAD_INPUT on unknown names or weights outside 0..1. */
export function parseRegions(text: string): Partial<Record<LabelName, number>> {
  const weights: Partial<Record<LabelName, number>> = {};
  for (const item of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const [name = '', value] = item.split('=').map((s) => s.trim());
    const labels = REGION_ALIASES[name] ?? (LABELS.some((l) => l.name === name) ? [name as LabelName] : null);
    if (!labels) throw new SeamError('BAD_INPUT', `--regions: unknown region "${name}". Valid regions: ${validRegionNames().join(', ')}.`);
    const weight = value === undefined ? 1 : Number(value);
    if (value === '' || !Number.isFinite(weight) || weight < 0 || weight > 1) {
      throw new SeamError('BAD_INPUT', `--regions: ${item}: a region's weight is a number from 0 to 1.`);
    }
    for (const label of labels) weights[label] = weight;
  }
  if (Object.keys(weights).length === 0) throw new SeamError('BAD_INPUT', '--regions: name at least one region, e.g. --regions hair=1.');
  return weights;
}
