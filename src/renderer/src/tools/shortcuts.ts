/**
 * Keyboard shortcuts users bring from Photoshop: B brush, E eraser, G fill, L lasso (Shift+L the
 * polygon lasso), X swaps brush and eraser, [ ] brush size, Shift+[ ] hardness, Ctrl/Cmd+Z undo,
 * Ctrl/Cmd+Shift+Z (and Ctrl+Y) redo, Ctrl/Cmd+0 fit, Ctrl/Cmd+1 100 %, Ctrl/Cmd +/− zoom,
 * Ctrl/Cmd+O open, Ctrl/Cmd+S save the project (Ctrl/Cmd+Shift+S save as), Ctrl/Cmd+E export (as the app menu has it), \ toggles the mask overlay, P the photo without its edits (Camera Raw's before/after). Space is held to pan;
 * the canvas view handles that itself. A pure function of the key event, tested in Node.
 */
import type { ToolId } from './tool';

export type EditorAction =
  | { kind: 'tool'; tool: ToolId }
  | { kind: 'swap-paint-erase' }
  | { kind: 'brush-size'; direction: 1 | -1 }
  | { kind: 'brush-hardness'; direction: 1 | -1 }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'zoom'; to: 'in' | 'out' | 'fit' | 'actual' }
  | { kind: 'open' }
  | { kind: 'export' }
  | { kind: 'save' }
  | { kind: 'save-as' }
  | { kind: 'toggle-overlay' }
  | { kind: 'toggle-before' };

export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** The shortcut table as the help overlay and tooltips show it. */
export const SHORTCUT_HINTS: Record<string, string> = {
  brush: 'B',
  eraser: 'E',
  fill: 'G',
  lasso: 'L',
  polygon: 'Shift+L',
  undo: 'Ctrl+Z',
  redo: 'Ctrl+Shift+Z',
  open: 'Ctrl+O',
  export: 'Ctrl+E',
  save: 'Ctrl+S',
  saveAs: 'Ctrl+Shift+S',
  fit: 'Ctrl+0',
  actual: 'Ctrl+1',
  overlay: '\\',
  before: 'P',
};

/** The actions Electron's application menu also sends (as AppCommands): there the menu owns their keys. */
export const MENU_ACTIONS: ReadonlySet<EditorAction['kind']> = new Set(['undo', 'redo', 'open', 'export', 'zoom', 'save', 'save-as']);

/** `mac` decides whether Cmd or Ctrl is the command key. */
export function actionForKey(event: KeyLike, mac: boolean): EditorAction | null {
  const command = mac ? event.metaKey : event.ctrlKey;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  if (command) {
    if (event.altKey) return null;
    switch (key) {
      case 'z':
        return { kind: event.shiftKey ? 'redo' : 'undo' };
      case 'y':
        return mac ? null : { kind: 'redo' };
      case 'o':
        return event.shiftKey ? null : { kind: 'open' };
      case 'e':
        return event.shiftKey ? null : { kind: 'export' };
      case 's':
        return { kind: event.shiftKey ? 'save-as' : 'save' };
      case '0':
        return { kind: 'zoom', to: 'fit' };
      case '1':
        return { kind: 'zoom', to: 'actual' };
      case '=':
      case '+':
        return { kind: 'zoom', to: 'in' };
      case '-':
      case '_':
        return { kind: 'zoom', to: 'out' };
      default:
        return null;
    }
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  // Brackets by physical key too: on many layouts [ and ] need AltGr, and Shift changes them to { }.
  const bracket = event.code === 'BracketLeft' || key === '[' || key === '{' ? -1 : event.code === 'BracketRight' || key === ']' || key === '}' ? 1 : 0;
  if (bracket !== 0) return { kind: event.shiftKey ? 'brush-hardness' : 'brush-size', direction: bracket };
  switch (key) {
    case 'b':
      return { kind: 'tool', tool: 'brush' };
    case 'e':
      return { kind: 'tool', tool: 'eraser' };
    case 'g':
      return { kind: 'tool', tool: 'fill' };
    case 'l':
      return { kind: 'tool', tool: event.shiftKey ? 'polygon' : 'lasso' };
    case 'x':
      return { kind: 'swap-paint-erase' };
    case '\\':
      return { kind: 'toggle-overlay' };
    case 'p':
      return { kind: 'toggle-before' };
    default:
      return null;
  }
}

/** Photoshop's bracket steps: finer for small brushes, coarser for big ones. */
export function nextBrushSize(size: number, direction: 1 | -1): number {
  const step = (s: number) => (s < 10 ? 1 : s < 100 ? 10 : s < 200 ? 25 : s < 500 ? 50 : 100);
  const next = direction > 0 ? size + step(size) : size - step(size - 1);
  return Math.max(1, Math.min(2500, Math.round(next)));
}

export function nextHardness(hardness: number, direction: 1 | -1): number {
  return Math.max(0, Math.min(1, Math.round((hardness + direction * 0.25) * 100) / 100));
}
