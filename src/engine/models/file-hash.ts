/**
 * sha256 of model files, computed while streaming so multi-hundred-MB generators never sit in
 * memory whole; progress and cancellation between chunks.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ProgressSink } from '../context';

export interface StreamJob {
  onProgress?: ProgressSink;
  signal?: AbortSignal;
  /** The progress stage name (default 'hash' / 'copy'). */
  stage?: string;
}

/** Emits progress at most every `every` bytes, and always at the end. */
function progressCounter(total: number, stage: string, onProgress: ProgressSink | undefined, every = 4 << 20) {
  let done = 0;
  let lastReported = -Infinity;
  return {
    add(bytes: number) {
      done += bytes;
      if (onProgress && done - lastReported >= every) {
        lastReported = done;
        onProgress({ stage, done, total });
      }
    },
    end() {
      if (onProgress && lastReported !== done) onProgress({ stage, done, total });
      return done;
    },
  };
}

function hashingTap(hash: Hash, counter: { add(bytes: number): void }): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      counter.add(chunk.length);
      callback(null, chunk);
    },
  });
}

/** Lowercase hex sha256 of a file. */
export async function sha256OfFile(path: string, job: StreamJob = {}): Promise<string> {
  const { size } = await stat(path);
  const hash = createHash('sha256');
  const counter = progressCounter(size, job.stage ?? 'hash', job.onProgress);
  for await (const chunk of createReadStream(path, { signal: job.signal })) {
    hash.update(chunk as Buffer);
    counter.add((chunk as Buffer).length);
  }
  counter.end();
  return hash.digest('hex');
}

/** Copies `from` to `to` (created exclusively) and returns the sha256 and size of what was written. */
export async function copyWithHash(from: string, to: string, job: StreamJob = {}): Promise<{ sha256: string; bytes: number }> {
  const { size } = await stat(from);
  const hash = createHash('sha256');
  const counter = progressCounter(size, job.stage ?? 'copy', job.onProgress);
  await pipeline(createReadStream(from), hashingTap(hash, counter), createWriteStream(to, { flags: 'wx' }), { signal: job.signal });
  return { sha256: hash.digest('hex'), bytes: counter.end() };
}
