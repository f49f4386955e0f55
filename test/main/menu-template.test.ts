/**
 * The application menu, as a user meets it: each item does what its label says (sends the page
 * the command its toolbar and keys also run) under the accelerator users expect, no two items
 * claim one key, and keys the page handles itself (P, \) are shown but never taken from it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appMenuTemplate, type MenuActions, type MenuItemTemplate } from '../../src/main/menu-template';
import { AppCommandSchema } from '../../src/shared/contract';

function recorder() {
  const calls: string[] = [];
  const actions: MenuActions = {
    send: (command) => void calls.push(`send ${command.command}`),
    openWithDialog: async () => void calls.push('open dialog'),
    openPath: async (path) => void calls.push(`open ${path}`),
    clearRecent: async () => void calls.push('clear recent'),
  };
  return { calls, actions };
}

/** Every item, with the path of labels that leads to it ("File › Save"). */
function flatten(items: MenuItemTemplate[], prefix = ''): { path: string; item: MenuItemTemplate }[] {
  return items.flatMap((item) => {
    const path = `${prefix}${(item.label ?? item.role ?? item.type ?? '?').replace('&', '')}`;
    return [{ path, item }, ...flatten(item.submenu ?? [], `${path} › `)];
  });
}

function clicked(items: MenuItemTemplate[], path: string, calls: string[]): string[] {
  const found = flatten(items).find((entry) => entry.path === path);
  assert.ok(found?.item.click, `${path} is an item that can be clicked`);
  calls.length = 0;
  found.item.click();
  return [...calls];
}

const linux = { platform: 'linux' as const, packaged: true, recent: [] };

describe('application menu', () => {
  it('sends each document command the page runs, under the expected accelerator', () => {
    const { calls, actions } = recorder();
    const menu = appMenuTemplate(actions, linux);
    const expected: [path: string, command: string, accelerator: string | undefined][] = [
      ['File › Save', 'save', 'CmdOrCtrl+S'],
      ['File › Save As…', 'save-as', 'CmdOrCtrl+Shift+S'],
      ['File › Export…', 'export', 'CmdOrCtrl+E'],
      ['File › Export Masks…', 'export-masks', undefined],
      ['Edit › Undo', 'undo', 'CmdOrCtrl+Z'],
      ['Edit › Redo', 'redo', 'CmdOrCtrl+Shift+Z'],
      ['View › Zoom In', 'zoom-in', 'CmdOrCtrl+='],
      ['View › Zoom Out', 'zoom-out', 'CmdOrCtrl+-'],
      ['View › Fit to Window', 'zoom-fit', 'CmdOrCtrl+0'],
      ['View › Actual Size', 'zoom-actual', 'CmdOrCtrl+1'],
      ['View › Before/After', 'toggle-before', 'P'],
      ['View › Mask Overlay', 'toggle-overlay', '\\'],
      ['Help › About Seam', 'about', undefined],
    ];
    for (const [path, command, accelerator] of expected) {
      assert.deepEqual(clicked(menu, path, calls), [`send ${command}`], path);
      assert.ok(AppCommandSchema.safeParse({ command }).success, `${command} is an AppCommand the page accepts`);
      assert.equal(flatten(menu).find((e) => e.path === path)?.item.accelerator, accelerator, `${path}'s accelerator`);
    }
    // Every item that sends a command is in the table above: a new one needs its row.
    const sending = flatten(menu)
      .filter(({ path, item }) => item.click && clicked(menu, path, calls).some((call) => call.startsWith('send ')))
      .map(({ path }) => path);
    assert.deepEqual(sending.sort(), expected.map(([path]) => path).sort());
  });

  it('opens with main’s own dialog and from the recent list, and clears it', () => {
    const { calls, actions } = recorder();
    const menu = appMenuTemplate(actions, { ...linux, recent: ['/photos/me.jpg', '/work/p.seam'] });
    assert.deepEqual(clicked(menu, 'File › Open…', calls), ['open dialog']);
    assert.equal(flatten(menu).find((e) => e.path === 'File › Open…')?.item.accelerator, 'CmdOrCtrl+O');
    assert.deepEqual(clicked(menu, 'File › Open Recent › me.jpg', calls), ['open /photos/me.jpg']);
    assert.deepEqual(clicked(menu, 'File › Open Recent › p.seam', calls), ['open /work/p.seam']);
    assert.deepEqual(clicked(menu, 'File › Open Recent › Clear Menu', calls), ['clear recent']);
    const empty = appMenuTemplate(actions, linux);
    assert.deepEqual(flatten(empty).find((e) => e.path === 'File › Open Recent › No recent files')?.item.enabled, false);
  });

  it('gives no two items the same key', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const keys = flatten(appMenuTemplate(recorder().actions, { ...linux, platform })).flatMap(({ item }) => (item.accelerator ? [item.accelerator] : []));
      assert.deepEqual(keys, [...new Set(keys)], platform);
    }
  });

  it('leaves keys without a modifier to the page, so typing in a field still works', () => {
    for (const platform of ['linux', 'win32'] as const) {
      const items = flatten(appMenuTemplate(recorder().actions, { ...linux, platform })).map((e) => e.item);
      for (const item of items.filter((i) => i.accelerator && !i.accelerator.includes('CmdOrCtrl'))) {
        assert.equal(item.registerAccelerator, false, `${item.label} (${item.accelerator}) on ${platform}`);
      }
    }
    // macOS would take the key whatever registerAccelerator says: there the item shows none.
    const mac = flatten(appMenuTemplate(recorder().actions, { ...linux, platform: 'darwin' }));
    assert.equal(mac.find((e) => e.path === 'View › Before/After')?.item.accelerator, undefined);
  });

  it('follows the platform: the app menu and Close on macOS, Quit elsewhere, DevTools only in development', () => {
    const roles = (platform: NodeJS.Platform, packaged: boolean) =>
      flatten(appMenuTemplate(recorder().actions, { platform, packaged, recent: [] })).flatMap(({ item }) => (item.role ? [item.role] : []));
    assert.deepEqual(roles('darwin', true), ['appMenu', 'close', 'togglefullscreen']);
    assert.deepEqual(roles('linux', true), ['quit', 'togglefullscreen']);
    assert.deepEqual(roles('win32', false), ['quit', 'togglefullscreen', 'toggleDevTools']);
  });
});
