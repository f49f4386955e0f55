/** DEQUANTIZE of float16 weights: folded into float32 constants at conversion time. */
import { expectNoOptions } from '../../tflite/options';
import type { TfliteOperator } from '../../tflite/read-model';
import { TensorType } from '../../tflite/schema';
import type { ConversionContext } from '../conversion-context';
import { decodeFloat16 } from '../float16';
import { expectInputs } from './common';

export function convertDequantize(ctx: ConversionContext, op: TfliteOperator): void {
  const [x] = expectInputs(ctx, op, 1, 1) as [number];
  expectNoOptions(op, 'DequantizeOptions');
  const out = op.outputs[0]!;
  const input = ctx.tensor(x);
  if (ctx.tensor(out).type !== TensorType.FLOAT32) throw ctx.fail(`output type ${ctx.tensor(out).typeName}, expected float32`);
  if (input.quantized || input.type !== TensorType.FLOAT16) throw ctx.fail(`only float16 → float32 is supported, input ${input.name} is ${input.quantized ? 'quantized ' : ''}${input.typeName}`);
  if (!ctx.isConstant(x)) throw ctx.fail(`input ${input.name} is computed at run time; only constant float16 weights are supported`);
  const c = ctx.constant(x);
  if (c.kind !== 'float16') throw ctx.fail(`input ${input.name} is not float16 data`);
  ctx.setConstant(out, { kind: 'float', shape: ctx.shape(out), data: decodeFloat16(c.raw) });
}
