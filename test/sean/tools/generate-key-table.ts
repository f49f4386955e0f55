/**
 * Regenerates src/engine/models/sean/sean-state-dict.generated.ts from the facts file
 * generator_state_dict.tsv (all 982 keys of SEAN's CelebA-HQ generator with shape, dtype, role and
 * whether inference uses them):
 *
 *   node --import tsx test/sean/tools/generate-key-table.ts [path/to/generator_state_dict.tsv]
 *
 * test/sean/key-table.test.ts checks the generated file against the TSV where the TSV exists.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DEFAULT_TSV = '/work/shared/facts/sean/generator_state_dict.tsv';
const OUTPUT = fileURLToPath(new URL('../../../src/engine/models/sean/sean-state-dict.generated.ts', import.meta.url));

export interface TsvRow {
  key: string;
  shape: number[];
  dtype: 'float32' | 'int64';
  role: string;
  used: boolean;
}

export function parseTsv(text: string): TsvRow[] {
  const [header, ...lines] = text.trim().split('\n');
  const columns = header!.split('\t');
  const at = (name: string) => columns.indexOf(name);
  return lines.map((line) => {
    const cells = line.split('\t');
    const shape = cells[at('shape')]!;
    const dtype = cells[at('dtype')]!;
    if (dtype !== 'float32' && dtype !== 'int64') throw new Error(`unexpected dtype ${dtype}`);
    return {
      key: cells[at('key')]!,
      shape: shape === 'scalar' ? [] : shape.split('x').map(Number),
      dtype,
      role: cells[at('role')]!,
      used: cells[at('used_at_inference')] === 'yes',
    };
  });
}

export function renderTable(rows: TsvRow[], source: string): string {
  const body = rows
    .map((r) => `  ['${r.key}', [${r.shape.join(', ')}], '${r.dtype === 'float32' ? 'f32' : 'i64'}', '${r.role}', ${r.used ? 1 : 0}],`)
    .join('\n');
  return `/**
 * GENERATED — do not edit. Source: ${source} (the facts file listing every key of SEAN's
 * CelebA-HQ generator state dict, read from SEAN's code). Regenerate with
 * \`node --import tsx test/sean/tools/generate-key-table.ts\`.
 *
 * One row per key, in SEAN's state-dict order: [key, shape ([] = scalar), dtype, role, used at inference (1/0)].
 */
export type SeanKeyRow = readonly [key: string, shape: readonly number[], dtype: 'f32' | 'i64', role: string, used: 0 | 1];

export const SEAN_STATE_DICT_ROWS: readonly SeanKeyRow[] = [
${body}
];
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const tsv = process.argv[2] ?? DEFAULT_TSV;
  const rows = parseTsv(readFileSync(tsv, 'utf8'));
  writeFileSync(OUTPUT, renderTable(rows, 'generator_state_dict.tsv'));
  process.stdout.write(`wrote ${rows.length} rows to ${OUTPUT}\n`);
}
