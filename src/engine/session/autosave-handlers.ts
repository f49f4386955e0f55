/**
 * The contract's project methods (shared/project-contract.ts). Mostly autosave: the page sends a
 * dirty document's project bytes every few idle seconds and the engine keeps the latest per
 * document in `<dataDir>/autosave/`, so work survives a crash of the page, the app or the
 * machine. Each autosave is two files named by the document key (an id the contract checked):
 * `<key>.seam` (the project) and `<key>.json` (its name and time). Both are written atomically,
 * the project first, so a crash leaves the old autosave or the new one. At most MAX_AUTOSAVES
 * are kept; writing one more drops the oldest.
 */
import { mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineHandlers } from '../../shared/contract';
import { SeamError } from '../../shared/errors';
import { DocumentKeySchema, MAX_AUTOSAVES, type AutosaveInfo } from '../../shared/project-contract';
import { appVersion } from '../app-info';
import { writeFileAtomic } from '../fs/atomic-write';
import { giveAway } from '../host/transfer';
import { encodeImageBytes } from '../image/encode';

type ProjectHandlers = Pick<EngineHandlers, 'appInfo' | 'writeAutosave' | 'listAutosaves' | 'readAutosave' | 'discardAutosave' | 'encodeMaskPng'>;

interface AutosaveMeta {
  name: string;
  savedAt: number;
}

export class AutosaveStore {
  readonly folder: string;

  constructor(dataDir: string) {
    this.folder = join(dataDir, 'autosave');
  }

  async write(documentKey: string, name: string, bytes: Uint8Array): Promise<AutosaveInfo> {
    const key = checkedKey(documentKey);
    await mkdir(this.folder, { recursive: true });
    const savedAt = Date.now();
    await writeFileAtomic(this.#projectPath(key), bytes);
    await writeFileAtomic(this.#metaPath(key), JSON.stringify({ name, savedAt } satisfies AutosaveMeta));
    const all = await this.list();
    for (const old of all.slice(MAX_AUTOSAVES)) if (old.documentKey !== key) await this.discard(old.documentKey);
    return { documentKey: key, name, savedAt, size: bytes.length };
  }

  /** Newest first; an entry whose files are incomplete or unreadable is skipped, not fatal. */
  async list(): Promise<AutosaveInfo[]> {
    let entries: string[];
    try {
      entries = await readdir(this.folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const out: AutosaveInfo[] = [];
    for (const entry of entries) {
      const key = entry.endsWith('.json') ? entry.slice(0, -'.json'.length) : null;
      if (!key || !DocumentKeySchema.safeParse(key).success) continue;
      const info = await this.#info(key).catch(() => null);
      if (info) out.push(info);
    }
    return out.sort((a, b) => b.savedAt - a.savedAt);
  }

  async read(documentKey: string): Promise<AutosaveInfo & { bytes: Uint8Array }> {
    const key = checkedKey(documentKey);
    const info = await this.#info(key).catch(() => null);
    if (!info) throw new SeamError('NOT_FOUND', `No autosave ${key}: it was recovered, discarded or replaced.`);
    const bytes = new Uint8Array(await readFile(this.#projectPath(key)));
    return { ...info, size: bytes.length, bytes };
  }

  async discard(documentKey: string): Promise<boolean> {
    const key = checkedKey(documentKey);
    const existed = await stat(this.#metaPath(key)).then(() => true, () => false);
    // The meta file goes first: without it the project file is never listed.
    await rm(this.#metaPath(key), { force: true });
    await rm(this.#projectPath(key), { force: true });
    return existed;
  }

  async #info(key: string): Promise<AutosaveInfo> {
    const meta = JSON.parse(await readFile(this.#metaPath(key), 'utf8')) as Partial<AutosaveMeta>;
    if (typeof meta.name !== 'string' || typeof meta.savedAt !== 'number') throw new Error(`${key}.json is not an autosave record`);
    const { size } = await stat(this.#projectPath(key));
    return { documentKey: key, name: meta.name, savedAt: meta.savedAt, size };
  }

  #projectPath(key: string): string {
    return join(this.folder, `${key}.seam`);
  }

  #metaPath(key: string): string {
    return join(this.folder, `${key}.json`);
  }
}

/** The contract already checked the key; checking again here keeps the store safe on its own. */
function checkedKey(documentKey: string): string {
  if (!DocumentKeySchema.safeParse(documentKey).success) throw new SeamError('VALIDATION', `"${documentKey}" is not a document key.`);
  return documentKey;
}

export function createProjectHandlers(dataDir: string): ProjectHandlers {
  const autosaves = new AutosaveStore(dataDir);
  return {
    appInfo: async () => ({ name: 'Seam', version: appVersion() }),
    writeAutosave: ({ documentKey, name, bytes }) => autosaves.write(documentKey, name, bytes),
    listAutosaves: () => autosaves.list(),
    readAutosave: async ({ documentKey }) => {
      const found = await autosaves.read(documentKey);
      return { ...found, bytes: giveAway(found.bytes) };
    },
    discardAutosave: ({ documentKey }) => autosaves.discard(documentKey),
    encodeMaskPng: async ({ width, height, data }) => {
      // Three equal channels encoded grey: sharp writes one 8-bit grey channel.
      const rgb = new Uint8Array(width * height * 3);
      for (let p = 0; p < data.length; p++) rgb[p * 3] = rgb[p * 3 + 1] = rgb[p * 3 + 2] = data[p]!;
      const bytes = await encodeImageBytes({ width, height, channels: 3, data: rgb }, 'png', {
        provenance: { software: `Seam ${appVersion()}`, operations: ['mask export'] },
        grey: true,
      });
      return { bytes: giveAway(bytes) };
    },
  };
}
