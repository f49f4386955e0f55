/** RESIZE_BILINEAR → ONNX Resize (linear) with the matching coordinate transform. */
import { attr } from '../../onnx/graph-builder';
import { resizeBilinearOptions } from '../../tflite/options';
import type { TfliteOperator } from '../../tflite/read-model';
import type { ConversionContext } from '../conversion-context';
import { expectInputs, expectShape, nhwcShape } from './common';

export function convertResizeBilinear(ctx: ConversionContext, op: TfliteOperator): void {
  const [x, sizeTensor] = expectInputs(ctx, op, 2, 2) as [number, number];
  const out = op.outputs[0]!;
  const o = resizeBilinearOptions(op);
  if (o.alignCorners && o.halfPixelCenters) throw ctx.fail('align_corners and half_pixel_centers are both set');
  const [n, , , c] = nhwcShape(ctx, x);
  const size = ctx.intConstant(sizeTensor);
  if (size.length !== 2 || size.some((v) => v < 1)) throw ctx.fail(`size [${size}]`);
  const [newH, newW] = size as [number, number];
  expectShape(ctx, out, [n, newH, newW, c]);
  // TFLite half_pixel_centers: src = (dst + 0.5)·in/out − 0.5, clamped at 0 — ONNX 'half_pixel'
  // (onnxruntime clamps the same way). align_corners and neither map to their ONNX namesakes.
  const mode = o.halfPixelCenters ? 'half_pixel' : o.alignCorners ? 'align_corners' : 'asymmetric';
  const base = ctx.baseName(out);
  const sizes = ctx.graph.addInt64Vector(`${base}_sizes`, [n, c, newH, newW]);
  const y = ctx.graph.addNode('Resize', [ctx.value(x, 'NCHW'), '', '', sizes], {
    mode: attr.string('linear'),
    coordinate_transformation_mode: attr.string(mode),
  }, base);
  ctx.define(out, y, 'NCHW');
}
