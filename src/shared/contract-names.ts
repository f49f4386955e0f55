/**
 * The contract's method and event names with no schema library attached, for the preload: it is
 * bundled into every window and needs only the names. contract.ts checks at compile time that
 * these lists and its schemas name the same things.
 */
export const METHOD_NAMES = [
  'doctor',
  'cancelJob',
  'listProcessors',
  'openImage',
  'analyzeImage',
  'previewEdit',
  'exportImage',
  'closeImage',
  'beginUpload',
  'writeUpload',
  'finishUpload',
  'discardUpload',
  'listModels',
  'importSeanModel',
  'importModel',
  'removeModel',
  'appInfo', 'writeAutosave', 'listAutosaves', 'readAutosave', 'discardAutosave', 'encodeMaskPng',
  'openVideo', 'videoThumbnails', 'trackVideo', 'videoFrame', 'renderVideo', 'videoCodecs', 'readRender', 'discardRender', 'closeVideo',
  'beginSave', 'writeSave', 'finishSave', 'discardSave',
] as const;
export const EVENT_NAMES = ['onProgress', 'onAppCommand'] as const;

/** IPC channel per method; one channel carries every pushed event. */
export const methodChannel = (method: string): string => `seam:call:${method}`;
export const EVENT_CHANNEL = 'seam:event';

/** What crosses IPC for a call's outcome, so a SeamError's code survives Electron's invoke. */
export type WireResult = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };
