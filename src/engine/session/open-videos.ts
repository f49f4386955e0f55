/**
 * The clips open in the app, by id: the clip (hard-linked from the upload into <dataDir>/videos,
 * so it stays while open even when the upload store drops the upload), what openVideo learnt of
 * it (VideoSource) and its face tracks once tracked (kept for every preview and render).
 * Bounded: the least recently used clip is closed past MAX_OPEN_VIDEOS. Files of a past run are
 * removed when the next engine starts.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { copyFile, link, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SeamError } from '../../shared/errors';
import { removeStaleEntries } from '../fs/stale-entries';
import type { UploadedFile } from '../uploads/uploaded-files';
import type { ClipTracks } from '../video/clip-tracks';
import type { VideoSource } from '../video/video-source';

export const MAX_OPEN_VIDEOS = 4;

export interface OpenVideo {
  id: string;
  /** The file's own name, for messages and output names. */
  name: string;
  /** Our copy of the clip (a hard link where the file system allows). */
  path: string;
  source: VideoSource;
  tracks?: ClipTracks;
  /** A trackVideo under way: a second call waits for it rather than tracking twice. */
  tracking?: Promise<ClipTracks>;
}

export class OpenVideos {
  readonly #folder: string;
  readonly #videos = new Map<string, OpenVideo>();

  constructor(dataDir: string) {
    this.#folder = join(dataDir, 'videos');
    mkdirSync(this.#folder, { recursive: true });
    removeStaleEntries(this.#folder);
  }

  /** Our own path for a new clip, linked (or copied) from the upload; `inspect` then decides whether it opens. */
  async open(file: UploadedFile, inspect: (path: string) => Promise<VideoSource>): Promise<OpenVideo> {
    const id = `vid-${randomBytes(6).toString('hex')}`;
    const path = join(this.#folder, id);
    await link(file.path, path).catch(() => copyFile(file.path, path));
    try {
      const entry: OpenVideo = { id, name: file.name, path, source: await inspect(path) };
      this.#videos.set(id, entry);
      this.#evict();
      return entry;
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }

  get(id: string): OpenVideo {
    const entry = this.#videos.get(id);
    if (!entry) throw new SeamError('NOT_FOUND', `That clip is no longer open (${id}); open it again.`);
    this.#videos.delete(id);
    this.#videos.set(id, entry);
    return entry;
  }

  async close(id: string): Promise<boolean> {
    const entry = this.#videos.get(id);
    if (!entry) return false;
    this.#videos.delete(id);
    await rm(entry.path, { force: true });
    return true;
  }

  async dispose(): Promise<void> {
    for (const id of [...this.#videos.keys()]) await this.close(id);
  }

  #evict(): void {
    while (this.#videos.size > MAX_OPEN_VIDEOS) void this.close(this.#videos.keys().next().value as string);
  }
}
