/**
 * The work folder beside the output: the segments, the journal and the concat list. It is only
 * ever cleared of files whose names the pipeline writes, and removed only when empty after that,
 * so a work folder a caller pointed somewhere unusual never costs them a file of their own.
 */
import { mkdir, readdir, rm, rmdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SeamError } from '../../shared/errors';
import type { Logger } from '../context';
import {
  newJournal,
  readJournal,
  sameSource,
  verifiedSegments,
  writeJournal,
  type RenderJournal,
  type SourceFingerprint,
} from './render-journal';

export const CONCAT_LIST_FILE = 'segments.ffconcat';

/** `.clip.mp4.seam-work` beside `clip.mp4`: hidden, and obviously tied to that output. */
export function defaultWorkDir(output: string): string {
  return join(dirname(output), `.${basename(output)}.seam-work`);
}

export function segmentFileName(index: number): string {
  return `segment-${String(index).padStart(5, '0')}.mp4`;
}

const OURS = [/^segment-\d{5}\.mp4(\.part|\.filter)?$/, /^journal\.json$/, /^\.journal\.json\..+\.tmp$/, /^segments\.ffconcat$/];
const isOurs = (name: string) => OURS.some((pattern) => pattern.test(name));

async function listFolder(dir: string): Promise<string[] | undefined> {
  return readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

export interface PreparedWork {
  journal: RenderJournal;
  /** Why an existing journal was not resumed from, when one was asked for. */
  restartReason?: string;
}

/**
 * Opens the work folder: with `resume`, keeps the verified finished segments of a journal that
 * matches this source and these settings; otherwise (or when nothing matches) starts it empty.
 */
export async function prepareWorkFolder(
  workDir: string,
  source: SourceFingerprint,
  settingsHash: string,
  resume: boolean,
): Promise<PreparedWork> {
  const names = await listFolder(workDir);
  if (names && names.some((name) => !isOurs(name))) {
    throw new SeamError('BAD_INPUT', `The work folder ${workDir} holds files Seam did not write; choose another work folder or empty it.`, { workDir });
  }
  await mkdir(workDir, { recursive: true });
  const existing = names && resume ? await readJournal(workDir) : undefined;
  let restartReason: string | undefined;
  if (resume && !existing) restartReason = 'no unfinished render of this output was found';
  else if (existing && !sameSource(existing.source, source)) restartReason = 'the source clip changed since the last run';
  else if (existing && existing.settingsHash !== settingsHash) restartReason = 'the edit or quality settings differ from the last run';

  let journal = newJournal(source, settingsHash);
  if (existing && restartReason === undefined) {
    const kept = await verifiedSegments(workDir, existing);
    journal = { ...existing, segments: kept };
    if (kept.length !== existing.segments.length) delete journal.totalFrames;
  }
  const keep = new Set(journal.segments.map((segment) => segment.file));
  for (const name of (await listFolder(workDir)) ?? []) {
    if (isOurs(name) && !keep.has(name) && name !== 'journal.json') await rm(join(workDir, name), { force: true });
  }
  await writeJournal(workDir, journal);
  return restartReason === undefined ? { journal } : { journal, restartReason };
}

/** Removes the pipeline's files and then the folder, if nothing else is in it. */
export async function removeWorkFolder(workDir: string, logger: Logger): Promise<void> {
  const names = (await listFolder(workDir)) ?? [];
  await Promise.all(names.filter(isOurs).map((name) => rm(join(workDir, name), { force: true })));
  await rmdir(workDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') logger.warn('could not remove the work folder', { workDir, error: error.message });
  });
}
