/** Which files Seam opens from the OS (file associations, a launch with paths). Pure, for tests. */
import { extname } from 'node:path';

// 'seam': a project file; the page tells it from a photo by its bytes. Clips open in the video
// workspace (the page routes by name, as for a dropped file).
export const OPENABLE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'tif', 'tiff', 'avif', 'heic', 'heif', 'seam', 'mp4', 'mov', 'mkv', 'webm', 'm4v'];

/** Paths given on the command line (a file association launch), skipping Electron's own flags. */
export function pathsFromArgv(argv: readonly string[]): string[] {
  return argv
    .slice(1)
    .filter((arg) => !arg.startsWith('-') && OPENABLE_EXTENSIONS.includes(extname(arg).slice(1).toLowerCase()));
}
