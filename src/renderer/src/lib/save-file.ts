/**
 * Handing files to the user. In the desktop app the host saves them like a desktop app does
 * (main's Save dialog, Ctrl+S over the same file, an atomic write; src/shared/save-contract.ts);
 * where the host cannot (the web host: a browser page has no Save dialog), the file becomes a
 * download. The page never holds a path, only the `fileToken` a finished save answers.
 */
import type { SeamApi } from '../../../shared/contract';
import { MAX_SAVE_CHUNK_BYTES, type SaveKind } from '../../../shared/save-contract';

export interface SaveRequest {
  /** The file name to suggest (no folder). */
  name: string;
  bytes: Uint8Array;
  /** For the download fallback. */
  mime: string;
  kind: SaveKind;
  /** Ask where to save even when `fileToken` says where the last save went (Save As). */
  saveAs?: boolean;
  /** From an earlier save of this document: save to that file again without asking. */
  fileToken?: string | null;
}

/**
 * `saved` with the name it was saved under and its token (null for a download, which has no file
 * Seam can write to again); `cancelled` when the user closed the Save dialog.
 */
export type SaveOutcome = { status: 'saved'; name: string; fileToken: string | null } | { status: 'cancelled' };
export type SaveFile = (request: SaveRequest) => Promise<SaveOutcome>;
export type SaveApi = Pick<SeamApi, 'beginSave' | 'writeSave' | 'finishSave' | 'discardSave'>;

/**
 * A `SaveFile` over the host's save methods, falling back to `download` (download.ts's
 * `saveBytes` in the page) where the host answers `unsupported` (remembered: the host will not
 * change its mind within a session). Free of the DOM, so it is tested in Node.
 */
export function fileSaver(api: SaveApi, download: (name: string, bytes: Uint8Array, mime: string) => void): SaveFile {
  let native = true;
  return async (request) => {
    if (native) {
      const begun = await api.beginSave({
        suggestedName: fileNameOnly(request.name),
        kind: request.kind,
        size: request.bytes.byteLength,
        saveAs: request.saveAs ?? false,
        ...(request.fileToken ? { fileToken: request.fileToken } : {}),
      });
      if (begun.status === 'cancelled') return { status: 'cancelled' };
      if (begun.status === 'ready') return writeAll(api, begun.saveId, request.bytes);
      native = false;
    }
    download(request.name, request.bytes, request.mime);
    return { status: 'saved', name: request.name, fileToken: null };
  };
}

async function writeAll(api: SaveApi, saveId: string, bytes: Uint8Array): Promise<SaveOutcome> {
  try {
    for (let offset = 0; offset < bytes.byteLength; offset += MAX_SAVE_CHUNK_BYTES) {
      const end = Math.min(bytes.byteLength, offset + MAX_SAVE_CHUNK_BYTES);
      // A copy per chunk: a structured-cloned view would carry its whole buffer across IPC.
      const whole = offset === 0 && end === bytes.byteLength && bytes.byteOffset === 0 && bytes.buffer.byteLength === end;
      await api.writeSave({ saveId, offset, bytes: whole ? bytes : bytes.slice(offset, end) });
    }
    const { name, fileToken } = await api.finishSave({ saveId });
    return { status: 'saved', name, fileToken };
  } catch (error) {
    await api.discardSave({ saveId }).catch(() => undefined);
    throw error;
  }
}

/** The contract takes a bare file name: no folder separators or control characters. */
function fileNameOnly(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[/\\\u0000-\u001f]/g, '_').slice(-255);
  return clean === '' || clean === '.' || clean === '..' ? 'untitled' : clean;
}
