/** True while the user types into a field: editor shortcuts must leave those keys alone. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  // Sliders, checkboxes and buttons take no text: shortcuts still work while they have focus.
  return !['range', 'checkbox', 'radio', 'button', 'submit', 'file', 'color'].includes(target.type);
}

/** True on elements that Space activates (buttons, checkboxes, tabs): there Space keeps its meaning. */
export function isControl(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('button, input, select, textarea, a[href], summary, [role="tab"], [role="radio"], [role="checkbox"]') !== null;
}
