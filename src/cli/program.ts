/**
 * The `seam` command line. Every capability of the app is reachable here through the same engine
 * functions the UI calls; each command lives in commands/ and gets its paths and logger from here.
 */
import { Command, CommanderError } from 'commander';
import { appVersion } from '../engine/app-info';
import { stderrLogger } from '../engine/context';
import { resolvePaths } from '../engine/paths';
import { SeamError } from '../shared/errors';
import { attrsCommand } from './commands/attrs';
import { detectCommand } from './commands/detect';
import { doctorCommand } from './commands/doctor';
import { landmarksCommand } from './commands/landmarks';
import { modelsCommand } from './commands/models';
import { parseCommand } from './commands/parse';
import { segmentCommand } from './commands/segment';
import { styleCommand } from './commands/style';
import { subjectCommand } from './commands/subject';
import { swapCommand } from './commands/swap';
import { trackCommand } from './commands/track';
import { videoCommand } from './commands/video';

export function buildProgram(): Command {
  const paths = resolvePaths();
  const logger = stderrLogger(process.env.SEAM_LOG === 'debug' ? 'debug' : 'warn');
  const program = new Command('seam')
    .description('Seam: edit people in photos and video, locally.')
    .version(appVersion())
    .showHelpAfterError();
  program.addCommand(doctorCommand({ paths, logger }));
  program.addCommand(detectCommand({ paths, logger }));
  program.addCommand(landmarksCommand({ paths, logger }));
  program.addCommand(trackCommand({ paths, logger }));
  program.addCommand(segmentCommand({ paths, logger }));
  program.addCommand(parseCommand({ paths, logger }));
  program.addCommand(attrsCommand({ paths, logger }));
  program.addCommand(modelsCommand({ paths, logger }));
  program.addCommand(subjectCommand({ paths, logger }));
  program.addCommand(swapCommand({ paths, logger }));
  program.addCommand(styleCommand({ paths, logger }));
  program.addCommand(videoCommand({ paths, logger }));
  return program;
}

/** Runs the CLI; failures print one readable line (the SeamError message) and exit non-zero. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    const message = error instanceof SeamError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`seam: ${message}\n`);
    process.exitCode = 1;
  }
}

