/**
 * The browser's way to hand bytes to the user: an `<a download>` click. It is what saving falls
 * back to where the host has no Save dialog (save-file.ts); kept apart because it needs the DOM.
 */

/** Hands bytes to the user as a download: in a browser it lands in Downloads. */
export function saveBytes(name: string, bytes: Uint8Array, mime: string): void {
  const blob = new Blob([bytes.slice().buffer], { type: mime });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy once click() returns; free the URL a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
