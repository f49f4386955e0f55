/**
 * SSD anchors as MediaPipe's SsdAnchorsCalculator generates them, with the face detectors'
 * settings from MODELS.md. Both detectors use fixed-size anchors (every anchor is 1×1 in
 * normalised units), so only the centres matter; the order (layer group, row, column, anchor)
 * matches the model's output rows.
 */

export interface SsdAnchorOptions {
  inputWidth: number;
  inputHeight: number;
  strides: readonly number[];
  minScale: number;
  maxScale: number;
  anchorOffsetX: number;
  anchorOffsetY: number;
  aspectRatios: readonly number[];
  /** > 0 adds one anchor per layer at the geometric mean of this and the next layer's scale. */
  interpolatedScaleAspectRatio: number;
  fixedAnchorSize: boolean;
}

export interface Anchor {
  x: number;
  y: number;
  width: number;
  height: number;
}

function layerScale(minScale: number, maxScale: number, index: number, count: number): number {
  return count === 1 ? (minScale + maxScale) / 2 : minScale + ((maxScale - minScale) * index) / (count - 1);
}

export function generateSsdAnchors(o: SsdAnchorOptions): Anchor[] {
  const anchors: Anchor[] = [];
  const layers = o.strides.length;
  let layer = 0;
  while (layer < layers) {
    const widths: number[] = [];
    const heights: number[] = [];
    // Consecutive layers with the same stride share one feature map: their anchors interleave per cell.
    let last = layer;
    while (last < layers && o.strides[last] === o.strides[layer]) {
      const scale = layerScale(o.minScale, o.maxScale, last, layers);
      for (const ratio of o.aspectRatios) {
        widths.push(scale * Math.sqrt(ratio));
        heights.push(scale / Math.sqrt(ratio));
      }
      if (o.interpolatedScaleAspectRatio > 0) {
        const next = last === layers - 1 ? 1 : layerScale(o.minScale, o.maxScale, last + 1, layers);
        const interpolated = Math.sqrt(scale * next);
        widths.push(interpolated * Math.sqrt(o.interpolatedScaleAspectRatio));
        heights.push(interpolated / Math.sqrt(o.interpolatedScaleAspectRatio));
      }
      last++;
    }
    const stride = o.strides[layer]!;
    const rows = Math.ceil(o.inputHeight / stride);
    const cols = Math.ceil(o.inputWidth / stride);
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        for (let k = 0; k < widths.length; k++) {
          anchors.push({
            x: (x + o.anchorOffsetX) / cols,
            y: (y + o.anchorOffsetY) / rows,
            width: o.fixedAnchorSize ? 1 : widths[k]!,
            height: o.fixedAnchorSize ? 1 : heights[k]!,
          });
        }
      }
    }
    layer = last;
  }
  return anchors;
}
