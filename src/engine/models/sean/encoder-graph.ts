/**
 * SEAN's style encoder (Zencoder + region-average pooling, INFERENCE.md §4):
 *
 *   inputs  image [1, 3, 256, 256] RGB in [-1, 1], seg [1, 19, 256, 256] one-hot
 *   output  codes [1, 19, 512]: per label, the mean of the 512-channel feature over the label's
 *           pixels at 128×128 (pixel (2i, 2j) of seg); zero for labels with no pixel there
 *
 * Zencoder: reflect-pad 1 → conv 3→32 → IN → lrelu; conv 32→64 s2 → IN → lrelu; conv 64→128 s2 →
 * IN → lrelu; convT 128→256 s2 (output_padding 1) → IN → lrelu; reflect-pad 1 → conv 256→512 → tanh.
 * Instance norms have no affine parameters (eps 1e-5). Pooling is a MatMul with the one-hot map
 * divided by the clamped pixel count.
 */
import { OnnxDataType, attr } from '../onnx/graph-builder';
import { LazyGraph } from './lazy-graph';
import { LEAKY_SLOPE, NORM_EPSILON, SEAN_IMAGE_SIZE, SEAN_LABELS, SEAN_POOL_SIZE, SEAN_STYLE_LENGTH } from './sean-architecture';
import type { SeanWeights } from './sean-weights';

export const ENCODER_INPUTS = { image: 'image', seg: 'seg' } as const;
export const ENCODER_OUTPUT = 'codes';

interface EncoderConv {
  index: number;
  dims: [number, number, number, number];
  attributes: Record<string, ReturnType<typeof attr.ints>>;
  transposed?: boolean;
  reflectPad?: boolean;
}

const S2P1 = { strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]) };

/** Zencoder.model.<index>: the conv layers, in order. Weights are [out, in, 3, 3] except the transposed conv's [in, out, 3, 3]. */
const CONVS: EncoderConv[] = [
  { index: 1, dims: [32, 3, 3, 3], attributes: {}, reflectPad: true },
  { index: 4, dims: [64, 32, 3, 3], attributes: S2P1 },
  { index: 7, dims: [128, 64, 3, 3], attributes: S2P1 },
  { index: 10, dims: [128, 256, 3, 3], attributes: { ...S2P1, output_padding: attr.ints([1, 1]) }, transposed: true },
  { index: 14, dims: [512, 256, 3, 3], attributes: {}, reflectPad: true },
];

export async function buildEncoderGraph(w: SeanWeights, options: { fp16?: boolean } = {}): Promise<LazyGraph> {
  const g = new LazyGraph('sean_encoder', options);
  const b = g.builder;
  b.addInput(ENCODER_INPUTS.image, OnnxDataType.FLOAT, [1, 3, SEAN_IMAGE_SIZE, SEAN_IMAGE_SIZE]);
  b.addInput(ENCODER_INPUTS.seg, OnnxDataType.FLOAT, [1, SEAN_LABELS, SEAN_IMAGE_SIZE, SEAN_IMAGE_SIZE]);

  let x: string = ENCODER_INPUTS.image;
  for (const conv of CONVS) {
    const key = `Zencoder.model.${conv.index}`;
    const outChannels = conv.transposed ? conv.dims[1] : conv.dims[0];
    if (conv.reflectPad) x = g.node('Pad', [x, g.int64s('reflect_pads', [0, 0, 1, 1, 0, 0, 1, 1])], { mode: attr.string('reflect') });
    const weight = g.weight(`${key}.weight`, conv.dims, () => w.read(`${key}.weight`));
    const bias = g.constant(`${key}.bias`, [outChannels], await w.read(`${key}.bias`));
    x = g.node(conv.transposed ? 'ConvTranspose' : 'Conv', [x, weight, bias], conv.attributes);
    if (conv.index === 14) break;
    const ones = g.constant(`in_scale_${outChannels}`, [outChannels], new Float32Array(outChannels).fill(1));
    const zeros = g.constant(`in_bias_${outChannels}`, [outChannels], new Float32Array(outChannels));
    x = g.node('InstanceNormalization', [x, ones, zeros], { epsilon: attr.float(NORM_EPSILON) });
    x = g.node('LeakyRelu', [x], { alpha: attr.float(LEAKY_SLOPE) });
  }
  const features = g.node('Tanh', [x], {}, 'features'); // [1, 512, 128, 128]

  const pixels = SEAN_POOL_SIZE * SEAN_POOL_SIZE;
  const step = SEAN_IMAGE_SIZE / SEAN_POOL_SIZE;
  const seg = g.node('Slice', [
    ENCODER_INPUTS.seg, g.int64s('slice_starts', [0, 0]), g.int64s('slice_ends', [SEAN_IMAGE_SIZE, SEAN_IMAGE_SIZE]), g.int64s('slice_axes', [2, 3]), g.int64s('slice_steps', [step, step]),
  ]);
  const flatSeg = g.node('Reshape', [seg, g.int64s('flat_seg_shape', [1, SEAN_LABELS, pixels])]);
  const flatFeatures = g.node('Reshape', [features, g.int64s('flat_features_shape', [1, SEAN_STYLE_LENGTH, pixels])]);
  // [1, 512, P] × [1, P, 19] → [1, 512, 19]: the per-label sums, then transposed to [1, 19, 512].
  const sums = g.node('MatMul', [flatFeatures, g.node('Transpose', [flatSeg], { perm: attr.ints([0, 2, 1]) })]);
  const perLabel = g.node('Transpose', [sums], { perm: attr.ints([0, 2, 1]) });
  const area = g.node('ReduceSum', [flatSeg, g.int64s('pixel_axis', [2])], { keepdims: attr.int(1) });
  const clamped = g.node('Max', [area, g.constant('one', [1], [1])]);
  const codes = g.node('Div', [perLabel, clamped]);
  b.addOutput(codes, OnnxDataType.FLOAT, [1, SEAN_LABELS, SEAN_STYLE_LENGTH], ENCODER_OUTPUT);
  return g;
}
