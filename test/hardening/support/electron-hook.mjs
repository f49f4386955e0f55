/**
 * A module resolve hook (module.register) that hands `import … from 'electron'` the test's fake
 * (fake-electron.ts), so src/main/ipc.ts registers its handlers on a fake ipcMain in plain Node.
 */
const FAKE = new URL('./fake-electron.ts', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: FAKE, format: 'module', shortCircuit: true };
  return next(specifier, context);
}
