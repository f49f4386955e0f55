/**
 * Driving the editor in Chromium the way a user does, for the editor e2e tests: open files
 * through the Open button's input, paint with the mouse at image coordinates, read the canvas's
 * pixels back to see what changed. Page code is passed as strings: tsx's compiled functions
 * reference helpers the page does not have.
 */
import type { Page } from 'playwright-core';

export interface CanvasDiff {
  /** Pixels whose colour moved by more than the threshold (sum of |ΔR|+|ΔG|+|ΔB|). */
  changed: number;
  /** Their bounding box in image pixels, or null. */
  box: { x0: number; y0: number; x1: number; y1: number } | null;
}

const CANVAS = '[data-testid="photo-canvas"]';

/** The image point (x, y) in page CSS pixels, from the canvas's viewport data attributes. */
export async function imageToPage(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const canvas = page.locator(CANVAS);
  const box = await canvas.boundingBox();
  if (!box) throw new Error('the photo canvas is not on screen');
  const data = await canvasData(page);
  const zoom = Number(data.zoom);
  return { x: box.x + Number(data.panX) + x * zoom, y: box.y + Number(data.panY) + y * zoom };
}

/** A mouse drag through image points, with intermediate moves so it looks like a hand. */
export async function dragThrough(page: Page, points: Array<[number, number]>, stepsPerSegment = 6): Promise<void> {
  const first = await imageToPage(page, ...points[0]!);
  await page.mouse.move(first.x, first.y);
  await page.mouse.down();
  for (const point of points.slice(1)) {
    const p = await imageToPage(page, ...point);
    await page.mouse.move(p.x, p.y, { steps: stepsPerSegment });
  }
  await page.mouse.up();
}

/** Keeps a copy of the canvas's pixels under a name, in the page, once pending redraws have run. */
export async function snapshotCanvas(page: Page, name: string): Promise<void> {
  await page.evaluate(`(async () => {
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const c = document.querySelector(${JSON.stringify(CANVAS)});
    window.__seamSnapshots = window.__seamSnapshots || {};
    window.__seamSnapshots[${JSON.stringify(name)}] = c.getContext('2d').getImageData(0, 0, c.width, c.height).data.slice();
  })()`);
}

/** How two snapshots differ, with the changed area mapped back to image pixels. */
export async function canvasDiff(page: Page, a: string, b: string, threshold = 24): Promise<CanvasDiff> {
  return (await page.evaluate(`(() => {
    const c = document.querySelector(${JSON.stringify(CANVAS)});
    const A = window.__seamSnapshots[${JSON.stringify(a)}];
    const B = window.__seamSnapshots[${JSON.stringify(b)}];
    const dpr = c.width / c.getBoundingClientRect().width;
    const zoom = Number(c.dataset.zoom), panX = Number(c.dataset.panX), panY = Number(c.dataset.panY);
    let changed = 0, x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let i = 0; i < A.length; i += 4) {
      if (Math.abs(A[i] - B[i]) + Math.abs(A[i + 1] - B[i + 1]) + Math.abs(A[i + 2] - B[i + 2]) <= ${threshold}) continue;
      changed++;
      const p = i / 4, x = p % c.width, y = Math.floor(p / c.width);
      x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
    }
    const toImage = (v, pan) => (v / dpr - pan) / zoom;
    return { changed, box: changed ? { x0: toImage(x0, panX), y0: toImage(y0, panY), x1: toImage(x1 + 1, panX), y1: toImage(y1 + 1, panY) } : null };
  })()`)) as CanvasDiff;
}

/** The canvas's data attributes (zoom, pan, paint timings of the last stroke). */
export async function canvasData(page: Page): Promise<Record<string, string>> {
  return (await page.evaluate(`({ ...document.querySelector(${JSON.stringify(CANVAS)}).dataset })`)) as Record<string, string>;
}

/** Names of the layers in the panel, top to bottom. */
export async function layerNames(page: Page): Promise<string[]> {
  return (await page.evaluate(`[...document.querySelectorAll('[data-testid="layers"] [data-layer-name]')].map((r) => r.dataset.layerName)`)) as string[];
}
