/**
 * TFLite padding → explicit ONNX pads. TFLite SAME puts the odd pixel AFTER (for stride 2 with an
 * even input that is often 0 before, 1 after); ONNX `auto_pad=SAME_UPPER` would agree, but
 * explicit pads make every layer's padding visible in the graph and checkable against the shapes.
 */
import type { PaddingKind } from '../tflite/options';

export interface AxisPadding {
  before: number;
  after: number;
  /** The output size TFLite computes for this axis. */
  outSize: number;
}

export function tflitePadding(kind: PaddingKind, inSize: number, kernel: number, stride: number, dilation = 1): AxisPadding {
  const effectiveKernel = (kernel - 1) * dilation + 1;
  if (kind === 'VALID') return { before: 0, after: 0, outSize: Math.floor((inSize - effectiveKernel + stride) / stride) };
  const outSize = Math.floor((inSize + stride - 1) / stride);
  const total = Math.max((outSize - 1) * stride + effectiveKernel - inSize, 0);
  const before = Math.floor(total / 2);
  return { before, after: total - before, outSize };
}
