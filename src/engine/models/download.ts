/**
 * Downloads one file over HTTP(S) into a given partial file, hashing as it goes.
 *
 * When the connection drops, the next request asks for the rest with `Range:`; a server that
 * answers 206 continues where we stopped, one that answers 200 (no range support) starts over,
 * which is allowed once. A partial file already present (a crash, a killed process) is resumed the
 * same way. `If-Range` makes a server that changed the file send it whole instead of a mismatched
 * tail. The caller owns the partial file: it deletes it on failure and verifies the hash.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { SeamError } from '../../shared/errors';
import type { JobContext } from '../context';

export interface DownloadOptions {
  /** Retries in a row that bring no new bytes before giving up (default 5). */
  maxResumesWithoutProgress?: number;
  /** Downloads from byte 0 again after the first one, when the server cannot resume (default 1). */
  maxRestarts?: number;
  /** An attempt that receives nothing for this long counts as a dropped connection (default 30 s). */
  stallTimeoutMs?: number;
  /** Pause before a retry (default 250 ms; tests use 0). */
  retryDelayMs?: number;
  /** Minimum time between progress reports (default 100 ms); the last one is always sent. */
  progressIntervalMs?: number;
}

export interface DownloadResult {
  bytes: number;
  /** Lowercase hex sha256 of the whole file. */
  sha256: string;
  /** How many times the download continued with a 206 answer. */
  resumes: number;
  /** How many times it started over from byte 0 after the first request. */
  restarts: number;
}

class AttemptFailed extends Error {}

function parseContentRange(header: string | null): { start: number; total: number | undefined } | null {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header?.trim() ?? '');
  if (!match) return null;
  return { start: Number(match[1]), total: match[2] === '*' ? undefined : Number(match[2]) };
}

function contentLength(response: Response): number | undefined {
  const header = response.headers.get('content-length');
  if (header === null || !/^\d+$/.test(header)) return undefined;
  return Number(header);
}

async function hashExisting(path: string, hash: Hash): Promise<number> {
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return bytes;
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
  });
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * Downloads `url` into `partialPath` (appending to what is already there when the server can
 * resume). Throws SeamError: CANCELLED when ctx.signal fires, NOT_FOUND for 404/410, BAD_INPUT for
 * other HTTP errors and for connections that keep dropping.
 */
export async function downloadToFile(url: string, partialPath: string, ctx: JobContext, options: DownloadOptions = {}): Promise<DownloadResult> {
  const maxResumes = options.maxResumesWithoutProgress ?? 5;
  const maxRestarts = options.maxRestarts ?? 1;
  const stallTimeoutMs = options.stallTimeoutMs ?? 30_000;
  const retryDelayMs = options.retryDelayMs ?? 250;
  const progressIntervalMs = options.progressIntervalMs ?? 100;
  const { signal, logger } = ctx;

  let hash = createHash('sha256');
  let have = 0;
  try {
    if ((await stat(partialPath)).isFile()) have = await hashExisting(partialPath, hash);
  } catch {
    // no partial file yet: start from zero
  }
  if (have > 0) logger.info('resuming a partial download', { url, bytes: have });

  let total: number | undefined;
  let validator: string | undefined; // ETag or Last-Modified, for If-Range
  /** Set once the server shows it cannot resume: Accept-Ranges: none, or a 200 answer to a Range request. */
  let cannotResume = false;
  let resumes = 0;
  let restarts = 0;
  let fromZeroAttempts = 0;
  let attemptsWithoutProgress = 0;
  let lastProgressAt = 0;

  const report = (force: boolean) => {
    const now = Date.now();
    if (!ctx.onProgress || (!force && now - lastProgressAt < progressIntervalMs)) return;
    lastProgressAt = now;
    ctx.onProgress(total === undefined ? { stage: 'download', done: have } : { stage: 'download', done: have, total });
  };
  const cancelled = () => new SeamError('CANCELLED', 'Download cancelled.');

  const file: FileHandle = await open(partialPath, 'a');
  try {
    for (;;) {
      if (signal?.aborted) throw cancelled();
      const startedAt = have;
      const attempt = new AbortController();
      let stallTimer: NodeJS.Timeout | undefined;
      const armStall = () => {
        clearTimeout(stallTimer);
        stallTimer = setTimeout(() => attempt.abort(new AttemptFailed(`no data for ${stallTimeoutMs} ms`)), stallTimeoutMs);
      };
      try {
        const headers: Record<string, string> = { 'accept-encoding': 'identity' };
        if (have > 0) {
          headers.range = `bytes=${have}-`;
          if (validator) headers['if-range'] = validator;
        }
        armStall();
        const requestSignal = signal ? AbortSignal.any([signal, attempt.signal]) : attempt.signal;
        let response: Response;
        try {
          response = await fetch(url, { headers, signal: requestSignal, redirect: 'follow' });
        } catch (error) {
          throw new AttemptFailed(`could not connect (${describeFetchError(attempt.signal.reason ?? error)})`);
        }

        if (response.status === 206) {
          const range = parseContentRange(response.headers.get('content-range'));
          if (!range || range.start !== have) {
            // A range we did not ask for: trust nothing and take the whole file instead.
            await response.body?.cancel();
            await truncate();
            throw new AttemptFailed('the server answered with a different byte range');
          }
          total = range.total ?? total;
          resumes += 1;
          logger.info('download resumed', { url, from: have, total });
        } else if (response.status === 200) {
          // A 200 to a Range request: no range support, or (with If-Range) the file changed. Either
          // way this answer is the whole file again, and later drops cannot be resumed either.
          if (have > 0) cannotResume = true;
          if (fromZeroAttempts > 0) {
            if (restarts >= maxRestarts) {
              await response.body?.cancel();
              throw new SeamError('BAD_INPUT', `Download of ${url} failed: it was interrupted ${restarts + 1} times and the server cannot resume downloads.`);
            }
            restarts += 1;
            logger.warn('downloading from the start again', { url, had: have });
          }
          if (have > 0) await truncate();
          fromZeroAttempts += 1;
          total = contentLength(response);
          if (response.headers.get('accept-ranges')?.trim().toLowerCase() === 'none') cannotResume = true;
        } else if (response.status === 416 && have > 0) {
          // What we have is not a prefix the server recognises (or is already too long): start over.
          await response.body?.cancel();
          await truncate();
          throw new AttemptFailed('the server refused the byte range');
        } else {
          await response.body?.cancel();
          const code = response.status === 404 || response.status === 410 ? 'NOT_FOUND' : 'BAD_INPUT';
          throw new SeamError(code, `Download of ${url} failed: the server answered HTTP ${response.status} ${response.statusText}`.trim() + '.');
        }
        validator = response.headers.get('etag') ?? response.headers.get('last-modified') ?? validator;

        report(true);
        if (!response.body) throw new AttemptFailed('the server sent no body');
        try {
          for await (const chunk of response.body) {
            armStall();
            await file.write(chunk);
            hash.update(chunk);
            have += chunk.length;
            report(false);
          }
        } catch (error) {
          if (signal?.aborted) throw cancelled();
          const of = total === undefined ? '' : ` of ${mb(total)}`;
          throw new AttemptFailed(`the connection dropped after ${mb(have)}${of} (${describeFetchError(attempt.signal.reason ?? error)})`);
        }
        if (total !== undefined && have < total) {
          throw new AttemptFailed(`the connection closed after ${mb(have)} of ${mb(total)}`);
        }
        if (total !== undefined && have > total) {
          await truncate();
          throw new AttemptFailed(`the server sent more bytes than it announced (${have} > ${total})`);
        }
        report(true);
        await file.sync();
        return { bytes: have, sha256: hash.digest('hex'), resumes, restarts };
      } catch (error) {
        if (signal?.aborted) throw cancelled();
        if (!(error instanceof AttemptFailed)) throw error;
        attemptsWithoutProgress = have > startedAt ? 0 : attemptsWithoutProgress + 1;
        if (attemptsWithoutProgress > maxResumes) {
          throw new SeamError('BAD_INPUT', `Download of ${url} failed: ${error.message}; gave up after ${maxResumes + 1} attempts without progress.`);
        }
        if (cannotResume && have > 0) {
          // No Range support: the only way on is from byte 0, which is allowed maxRestarts times.
          if (restarts >= maxRestarts) {
            throw new SeamError('BAD_INPUT', `Download of ${url} failed: ${error.message}, and the server cannot resume downloads (no Range support); gave up after ${restarts + 1} tries.`);
          }
          await truncate();
        }
        logger.warn('download interrupted; retrying', { url, reason: error.message, bytes: have });
        await wait(retryDelayMs, signal).catch(() => undefined);
      } finally {
        clearTimeout(stallTimer);
      }
    }
  } finally {
    await file.close();
  }

  async function truncate(): Promise<void> {
    await file.truncate(0);
    hash = createHash('sha256');
    have = 0;
  }
}

function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const causeText = cause instanceof Error ? cause.message : undefined;
  return causeText && causeText !== error.message ? `${error.message}: ${causeText}` : error.message;
}
