/** Small checks shared by the op handlers. */
import type { TfliteOperator } from '../../tflite/read-model';
import type { ConversionContext } from '../conversion-context';

/** The operator's inputs after checking their count; omitted optional inputs come back as -1. */
export function expectInputs(ctx: ConversionContext, op: TfliteOperator, min: number, max: number): number[] {
  if (op.inputs.length < min || op.inputs.length > max) throw ctx.fail(`has ${op.inputs.length} inputs, expected ${min === max ? min : `${min}–${max}`}`);
  for (let i = 0; i < min; i++) if (op.inputs[i]! < 0) throw ctx.fail(`required input ${i} is omitted`);
  if (op.outputs.length !== 1) throw ctx.fail(`has ${op.outputs.length} outputs, expected 1`);
  return op.inputs;
}

export function nhwcShape(ctx: ConversionContext, index: number): [number, number, number, number] {
  const shape = ctx.shape(index);
  if (shape.length !== 4) throw ctx.fail(`tensor ${ctx.tensor(index).name} has shape [${shape}], expected 4-D NHWC`);
  return shape as [number, number, number, number];
}

export function expectShape(ctx: ConversionContext, index: number, expected: number[]): void {
  const actual = ctx.shape(index);
  if (actual.length !== expected.length || actual.some((d, i) => d !== expected[i])) {
    throw ctx.fail(`output ${ctx.tensor(index).name} has shape [${actual}], but the computed shape is [${expected}]`);
  }
}
