/**
 * `seam models import-sean <latest_net_G.pth> [--fp16] [--id <prefix>] [--licence <text>]`:
 * converts SEAN's PyTorch checkpoint (legacy or zip torch format) into the two models Seam runs —
 * '<prefix>-encoder' (style-encoder) and '<prefix>-generator' (style-generator) — and adds them to
 * the user's models. No Python involved. Ctrl-C cancels cleanly.
 */
import { Command } from 'commander';
import type { JobContext } from '../../engine/context';
import { DEFAULT_SEAN_ID, importSeanCheckpoint } from '../../engine/models/sean/import-sean';
import { progressPrinter } from '../progress-printer';
import type { ModelsCommandDeps } from './models';

const STAGES: Record<string, string> = {
  'convert-encoder': 'Converting the encoder',
  'convert-generator': 'Converting the generator',
};

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

/** Runs the import with progress on stderr (stage labels for the conversion) and Ctrl-C wired to cancel. */
async function withProgress<T>(deps: ModelsCommandDeps, job: (ctx: JobContext) => Promise<T>): Promise<T> {
  const printer = progressPrinter(deps.stderr ?? process.stderr);
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  if (deps.signal) deps.signal.addEventListener('abort', onAbort, { once: true });
  else process.once('SIGINT', onAbort);
  try {
    return await job({
      logger: deps.logger,
      signal: controller.signal,
      onProgress: (p) => printer.onProgress(STAGES[p.stage] ? { ...p, stage: STAGES[p.stage]! } : p),
    });
  } finally {
    printer.finish();
    if (deps.signal) deps.signal.removeEventListener('abort', onAbort);
    else process.removeListener('SIGINT', onAbort);
  }
}

export function importSeanCommand(deps: ModelsCommandDeps): Command {
  return new Command('import-sean')
    .description("convert SEAN's PyTorch generator checkpoint (latest_net_G.pth) into Seam's style encoder and generator models")
    .argument('<checkpoint>', "SEAN's latest_net_G.pth (CelebA-HQ_pretrained), in torch's legacy or zip format")
    .option('--fp16', 'store the generator weights as float16: about half the size (0.53 GB), outputs differ by about 1e-3')
    .option('--id <prefix>', 'id prefix: the models become <prefix>-encoder and <prefix>-generator', DEFAULT_SEAN_ID)
    .option('--licence <text>', 'the licence the checkpoint is under, recorded in the manifest')
    .action(async (checkpoint: string, options: { fp16?: boolean; id: string; licence?: string }) => {
      const result = await withProgress(deps, (ctx) => importSeanCheckpoint(deps.paths, checkpoint, options, ctx));
      const line = (e: typeof result.encoder) => `  ${e.id}  ${e.task}  ${mb(e.bytes)} MB  sha256 ${e.sha256}\n`;
      (deps.stdout ?? process.stdout).write(`Imported SEAN (${result.checkpointFormat} torch checkpoint):\n${line(result.encoder)}${line(result.generator)}`);
    });
}
