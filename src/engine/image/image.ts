/**
 * Decoded images as the engine works on them: 8-bit interleaved RGB or RGBA in a Uint8Array,
 * upright (EXIF orientation applied), with no colour profile surprises (converted to sRGB).
 */
export interface RasterImage {
  width: number;
  height: number;
  channels: 3 | 4;
  data: Uint8Array;
}

export function createImage(width: number, height: number, channels: 3 | 4 = 3): RasterImage {
  return { width, height, channels, data: new Uint8Array(width * height * channels) };
}

export function cloneImage(image: RasterImage): RasterImage {
  return { ...image, data: image.data.slice() };
}
