/**
 * `seam models list | import | install | remove`: the user model store from the command line.
 *
 * Failures are thrown as SeamErrors; the program's `main` prints `seam: <message>` and exits 1
 * (the same path as every other command). Ctrl-C cancels a running import or install cleanly:
 * the partial files are removed before the process exits.
 */
import { Command, Option } from 'commander';
import type { JobContext, Logger } from '../../engine/context';
import { MODEL_TASKS } from '../../engine/models/contracts';
import type { ModelManifestEntry } from '../../engine/models/manifest';
import { importModel, installModel, listModels, removeModel, type ListedModel } from '../../engine/models/store';
import type { SeamPaths } from '../../engine/paths';
import { importSeanCommand } from './import-sean';
import { mb, progressPrinter, type OutputStream } from '../progress-printer';

export interface ModelsCommandDeps {
  paths: SeamPaths;
  logger: Logger;
  stdout?: OutputStream;
  stderr?: OutputStream;
  /** Cancels the running job; by default Ctrl-C does. */
  signal?: AbortSignal;
}

function formatList(models: ListedModel[]): string {
  if (models.length === 0) return 'No models. Built-in models come from `npm run models`; add your own with `seam models import`.\n';
  const rows = models.map((m) => [m.id, m.task, m.origin, m.status, `${mb(m.bytes)} MB`]);
  const header = ['ID', 'TASK', 'ORIGIN', 'STATUS', 'SIZE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

function describeEntry(verb: string, entry: ModelManifestEntry): string {
  const inputs = entry.inputs.map((t) => `${t.name} ${t.dtype} [${t.shape.join(', ')}]`).join(', ');
  return `${verb} model "${entry.id}" (${entry.task}, ${mb(entry.bytes)} MB, sha256 ${entry.sha256}).\nInputs: ${inputs}\n`;
}

/** Runs a job with progress on stderr and Ctrl-C wired to its AbortSignal. */
async function withJob<T>(deps: ModelsCommandDeps, job: (ctx: JobContext) => Promise<T>): Promise<T> {
  const stderr = deps.stderr ?? process.stderr;
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  const external = deps.signal;
  if (external) external.addEventListener('abort', onSigint, { once: true });
  else process.once('SIGINT', onSigint);
  const printer = progressPrinter(stderr);
  try {
    return await job({ logger: deps.logger, onProgress: printer.onProgress, signal: controller.signal });
  } finally {
    printer.finish();
    if (external) external.removeEventListener('abort', onSigint);
    else process.removeListener('SIGINT', onSigint);
  }
}

const taskOption = () => new Option('--task <task>', 'what the model does').choices(MODEL_TASKS).makeOptionMandatory();

export function modelsCommand(deps: ModelsCommandDeps): Command {
  const stdout = () => deps.stdout ?? process.stdout;
  const models = new Command('models').description('list, import and install models');

  models
    .command('list')
    .description('list built-in and user models, with whether each file is present and its sha256 right')
    .option('--json', 'print the list as JSON')
    .option('--no-verify', 'check file sizes only, not hashes (faster for big models)')
    .action(async (options: { json?: boolean; verify: boolean }) => {
      const listed = await listModels(deps.paths, { verifyHashes: options.verify });
      stdout().write(options.json ? `${JSON.stringify(listed, null, 2)}\n` : formatList(listed));
    });

  models
    .command('import')
    .description('check a local .onnx file against its task and add it to your models')
    .argument('<file>', 'the .onnx file')
    .addOption(taskOption())
    .option('--id <id>', 'the id to give it (default: the file name)')
    .option('--licence <text>', 'the licence the model is under, recorded in the manifest')
    .action(async (file: string, options: { task: string; id?: string; licence?: string }) => {
      const entry = await withJob(deps, (ctx) => importModel(deps.paths, file, options, ctx));
      stdout().write(describeEntry('Imported', entry));
    });

  models
    .command('install')
    .description('download a model, check its sha256 and its task, and add it to your models')
    .argument('<url>', 'where to download the .onnx file from (http or https)')
    .requiredOption('--sha256 <hex>', 'the sha256 the file must have, as its publisher lists it')
    .addOption(taskOption())
    .option('--id <id>', 'the id to give it (default: the file name in the URL)')
    .option('--licence <text>', 'the licence the model is under, recorded in the manifest')
    .action(async (url: string, options: { sha256: string; task: string; id?: string; licence?: string }) => {
      const entry = await withJob(deps, (ctx) => installModel(deps.paths, url, options, ctx));
      stdout().write(describeEntry('Installed', entry));
    });

  models
    .command('remove')
    .description('remove a model you imported or installed')
    .argument('<id>', 'the model id (see `seam models list`)')
    .action(async (id: string) => {
      await removeModel(deps.paths, id, { logger: deps.logger });
      stdout().write(`Removed model "${id}".\n`);
    });

  models.addCommand(importSeanCommand(deps));
  return models;
}
