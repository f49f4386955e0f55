/**
 * The open clips, beside the photo workspace's open photos: a clip is uploaded in chunks (with a
 * progress bar), opened by its file id, and becomes a tab. Progress events are routed to the call
 * that is waiting for them (job-watch.ts). Side effects come in through the constructor.
 */
import type { ProcessorDescriptor } from '../../../shared/processor-options';
import { uploadFile, type UploadSource } from '../lib/upload-file';
import { JobWatch } from './job-watch';
import { VideoDocument, type VideoDeps } from './video-document.svelte';

export type VideoWorkspaceDeps = Omit<VideoDeps, 'jobs'>;

export interface VideoUpload {
  key: number;
  name: string;
  sent: number;
  total: number;
}

export class VideoWorkspace {
  videos = $state.raw<VideoDocument[]>([]);
  /** Clips being uploaded or opened, with bytes sent. */
  uploads = $state.raw<VideoUpload[]>([]);
  readonly #deps: VideoWorkspaceDeps;
  readonly #jobs: JobWatch;
  #uploadCount = 0;

  constructor(deps: VideoWorkspaceDeps) {
    this.#deps = deps;
    this.#jobs = new JobWatch((jobId) => void deps.api.cancelJob({ jobId }).catch((e: unknown) => deps.report(e)));
    deps.api.onProgress((event) => this.#jobs.receive(event));
  }

  find(id: string | null): VideoDocument | null {
    return this.videos.find((v) => v.id === id) ?? null;
  }

  /** Uploads a clip and opens it; null (with the error reported) when the engine refuses it. */
  async open(file: UploadSource): Promise<VideoDocument | null> {
    const key = ++this.#uploadCount;
    this.uploads = [...this.uploads, { key, name: file.name, sent: 0, total: file.size }];
    const update = (sent: number) => (this.uploads = this.uploads.map((u) => (u.key === key ? { ...u, sent } : u)));
    let fileId: string | null = null;
    try {
      const uploaded = await uploadFile(this.#deps.api, file, { onProgress: (p) => update(p.sent) });
      fileId = uploaded.fileId;
      const info = await this.#deps.api.openVideo({ fileId });
      // The engine keeps its own link to an open clip: the upload's name is not needed any more.
      await this.#deps.api.discardUpload({ id: fileId }).catch(() => undefined);
      fileId = null;
      const video = new VideoDocument(info, { ...this.#deps, jobs: this.#jobs });
      this.videos = [...this.videos, video];
      return video;
    } catch (error) {
      this.#deps.report(error);
      // A refused clip leaves nothing behind in the engine's upload folder.
      if (fileId !== null) await this.#deps.api.discardUpload({ id: fileId }).catch(() => undefined);
      return null;
    } finally {
      this.uploads = this.uploads.filter((u) => u.key !== key);
    }
  }

  async close(id: string): Promise<void> {
    const video = this.find(id);
    if (!video) return;
    video.dispose();
    this.videos = this.videos.filter((v) => v !== video);
    try {
      await this.#deps.api.closeVideo({ videoId: id });
    } catch {
      // Already gone from the engine: nothing the user needs to hear about.
    }
  }

  /** The processor list changed (loaded late): frames showing an edit are asked for again. */
  processorsChanged(describe: (processor: string) => ProcessorDescriptor | undefined): void {
    for (const video of this.videos) if (video.draft.steps.some((step) => describe(step.processor))) video.refresh();
  }
}
