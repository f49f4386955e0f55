/**
 * One bad (or awkward) input: how to make it, and what the user must see. A refusal has a code
 * and a message pattern (the file's name is checked separately, for every case); an accepted
 * file says what it must open as.
 */
import type { SeamErrorCode } from '../../../src/shared/errors';

export type CorpusKind = 'image' | 'video' | 'model' | 'sean' | 'project';

interface CaseBase {
  kind: CorpusKind;
  /** The test's name: what the file is. */
  id: string;
  /** Its file name in the corpus folder (the extension is part of the case). */
  file: string;
  /** Its bytes; video cases made by ffmpeg write the file themselves instead. */
  bytes?: () => Uint8Array;
  make?: (path: string) => Promise<void>;
  /** Models: the task the import claims for it. */
  task?: string;
  /** A bug found and reported, not yet fixed: the test runs as a todo (reported, not failing the run). */
  knownBug?: string;
}

export type CorpusCase =
  | (CaseBase & { code: SeamErrorCode; message: RegExp; accept?: undefined })
  | (CaseBase & { accept: { width: number; height: number; frames?: number }; code?: undefined; message?: undefined });
