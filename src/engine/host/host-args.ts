/** Reads the --data-dir and --resources arguments both engine host entries are started with. */
import { resolvePaths, type SeamPaths } from '../paths';

export function pathsFromArgs(argv: string[]): SeamPaths {
  const value = (name: string) => argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const dataDir = value('data-dir');
  const resources = value('resources');
  return resolvePaths({
    ...(dataDir ? { dataDir } : {}),
    ...(resources ? { packagedResourcesPath: resources } : {}),
  });
}
