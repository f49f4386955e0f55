/**
 * The resume journal: a small JSON file in the work folder saying which source and settings the
 * segments were rendered from and which segments are finished (frames, size, sha256). It is
 * rewritten atomically after each segment, so a crash leaves the previous version, never half of
 * one. A resume trusts a segment only when the journal lists it and its bytes still hash the same.
 */
import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write';
import { sha256File } from './segment-encoder';

export const JOURNAL_FILE = 'journal.json';
const JOURNAL_VERSION = 1;
/** Enough of the file to tell an edited or replaced clip from the original without reading gigabytes. */
const FINGERPRINT_HEAD_BYTES = 1024 * 1024;

export interface SourceFingerprint {
  sizeBytes: number;
  mtimeMs: number;
  /** sha256 of the first MiB. */
  headSha256: string;
}

export interface JournalSegment {
  index: number;
  firstFrame: number;
  frames: number;
  /** Its length in the joined video (the concat list says it: an mp4's own duration is rounded). */
  durationSeconds: number;
  /** File name inside the work folder. */
  file: string;
  bytes: number;
  sha256: string;
}

export interface RenderJournal {
  version: typeof JOURNAL_VERSION;
  source: SourceFingerprint;
  /** sha256 of everything that changes the rendered pixels (processor, quality, range, segment size, ffmpeg). */
  settingsHash: string;
  segments: JournalSegment[];
  /** Set once the whole clip is rendered: only the join is left. */
  totalFrames?: number;
}

export async function fingerprintSource(path: string): Promise<SourceFingerprint> {
  const info = await stat(path);
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(FINGERPRINT_HEAD_BYTES, info.size));
    await handle.read(head, 0, head.length, 0);
    return { sizeBytes: info.size, mtimeMs: Math.round(info.mtimeMs), headSha256: createHash('sha256').update(head).digest('hex') };
  } finally {
    await handle.close();
  }
}

/** A stable hash of plain JSON data (object keys sorted, so key order never matters). */
export function settingsHash(settings: unknown): string {
  return createHash('sha256').update(stableJson(settings)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function newJournal(source: SourceFingerprint, hash: string): RenderJournal {
  return { version: JOURNAL_VERSION, source, settingsHash: hash, segments: [] };
}

/** The journal in `workDir`, or undefined when there is none or it is unreadable. */
export async function readJournal(workDir: string): Promise<RenderJournal | undefined> {
  const text = await readFile(join(workDir, JOURNAL_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const journal = JSON.parse(text) as RenderJournal;
    return journal.version === JOURNAL_VERSION && Array.isArray(journal.segments) ? journal : undefined;
  } catch {
    return undefined;
  }
}

export function writeJournal(workDir: string, journal: RenderJournal): Promise<void> {
  return writeFileAtomic(join(workDir, JOURNAL_FILE), `${JSON.stringify(journal, null, 1)}\n`);
}

export function sameSource(a: SourceFingerprint, b: SourceFingerprint): boolean {
  return a.sizeBytes === b.sizeBytes && a.mtimeMs === b.mtimeMs && a.headSha256 === b.headSha256;
}

/**
 * The finished segments that can be kept: the journal's segments in order, each present with
 * the recorded size and hash, stopping at the first that is not (everything after it is redone).
 */
export async function verifiedSegments(workDir: string, journal: RenderJournal): Promise<JournalSegment[]> {
  const kept: JournalSegment[] = [];
  let nextFrame = 0;
  for (const [position, segment] of journal.segments.entries()) {
    if (segment.index !== position || segment.firstFrame !== nextFrame || !(segment.frames > 0) || !(segment.durationSeconds > 0)) break;
    const path = join(workDir, segment.file);
    const info = await stat(path).catch(() => undefined);
    if (!info || info.size !== segment.bytes) break;
    if ((await sha256File(path)) !== segment.sha256) break;
    kept.push(segment);
    nextFrame += segment.frames;
  }
  return kept;
}
