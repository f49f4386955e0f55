/**
 * Which files the open dialog, a drop or the start screen hand to the video workspace instead of
 * the photo editor, and the MIME type of a rendered container for saving it.
 */

export const VIDEO_EXTENSIONS = ['mp4', 'mov', 'mkv', 'webm', 'm4v'] as const;

/** For the file inputs' `accept`: video types and the extensions browsers may not map to one. */
export const VIDEO_ACCEPT = ['video/*', ...VIDEO_EXTENSIONS.map((e) => `.${e}`)].join(',');

export function isVideoFile(file: { name: string; type?: string }): boolean {
  const extension = /\.([^.]+)$/.exec(file.name)?.[1]?.toLowerCase();
  if (extension && (VIDEO_EXTENSIONS as readonly string[]).includes(extension)) return true;
  return !!file.type?.startsWith('video/');
}

export function containerMime(container: 'mp4' | 'mov' | 'mkv'): string {
  return container === 'mp4' ? 'video/mp4' : container === 'mov' ? 'video/quicktime' : 'video/x-matroska';
}
