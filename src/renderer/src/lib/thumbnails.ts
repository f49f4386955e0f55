/** Small JPEG data: URLs of a photo or a face in it, for the recent-files list and the face picker. */
import type { Rect } from '../masks/rect';
import { imageDataFrom } from '../view/image-data';

export function thumbnail(pixels: Uint8Array, width: number, height: number, maxSide = 96, crop?: Rect): string {
  const source = crop ?? { x: 0, y: 0, width, height };
  const scale = Math.min(1, maxSide / Math.max(source.width, source.height));
  const full = document.createElement('canvas');
  full.width = width;
  full.height = height;
  const fullContext = full.getContext('2d');
  const small = document.createElement('canvas');
  small.width = Math.max(1, Math.round(source.width * scale));
  small.height = Math.max(1, Math.round(source.height * scale));
  const smallContext = small.getContext('2d');
  if (!fullContext || !smallContext) return '';
  fullContext.putImageData(imageDataFrom(pixels, width, height), 0, 0);
  smallContext.imageSmoothingQuality = 'high';
  smallContext.drawImage(full, source.x, source.y, source.width, source.height, 0, 0, small.width, small.height);
  return small.toDataURL('image/jpeg', 0.75);
}

/** A face's square, widened so the thumbnail shows the head, clipped to the photo. */
export function faceCrop(box: Rect, width: number, height: number): Rect {
  const side = Math.max(box.width, box.height) * 1.4;
  const x = Math.max(0, Math.round(box.x + box.width / 2 - side / 2));
  const y = Math.max(0, Math.round(box.y + box.height / 2 - side / 2));
  return { x, y, width: Math.max(1, Math.min(width - x, Math.round(side))), height: Math.max(1, Math.min(height - y, Math.round(side))) };
}
