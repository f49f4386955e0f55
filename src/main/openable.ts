/** Which files Seam opens from the OS (file associations, a launch with paths). Pure, for tests. */
import { extname } from 'node:path';

export const OPENABLE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'tif', 'tiff', 'avif', 'heic', 'heif'];

/** Paths given on the command line (a file association launch), skipping Electron's own flags. */
export function pathsFromArgv(argv: readonly string[]): string[] {
  return argv
    .slice(1)
    .filter((arg) => !arg.startsWith('-') && OPENABLE_EXTENSIONS.includes(extname(arg).slice(1).toLowerCase()));
}
