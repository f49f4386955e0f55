/**
 * SEAN's generator from style codes (INFERENCE.md §5, §9 "generator from codes"):
 *
 *   inputs  seg [1, 19, 256, 256] one-hot, codes [1, 19, 512], noise_<block>_<ace> [1, 1, r, r] × 18
 *   output  image [1, 3, 256, 256] in [-1, 1] (tanh)
 *
 * seg ↓8 → fc → head_0 → ↑ → G_middle_0 → G_middle_1 → ↑ up_0 → ↑ up_1 → ↑ up_2 → ↑ up_3
 * → LeakyReLU 0.2 → conv_img → tanh. Downsampling is nearest (every step-th pixel from 0, as a
 * strided Slice); upsampling ×2 nearest.
 */
import { OnnxDataType, attr } from '../onnx/graph-builder';
import { addAce, type AceContext, type StyleConvolution } from './ace-graph';
import { LazyGraph } from './lazy-graph';
import {
  LEAKY_SLOPE, SEAN_BLOCKS, SEAN_IMAGE_SIZE, SEAN_LABELS, SEAN_NOISE_INPUTS, SEAN_STYLE_LENGTH, blockAces, hasLearnedShortcut, type SeanBlock,
} from './sean-architecture';
import type { SeanWeights } from './sean-weights';

export interface GeneratorGraphOptions {
  fp16?: boolean;
  /** 'factored' (default) is the fast exact regrouping; 'direct' convolves the 512-channel style map as SEAN does. */
  styleConvolution?: StyleConvolution;
}

export const GENERATOR_INPUTS = { seg: 'seg', codes: 'codes' } as const;
export const GENERATOR_OUTPUT = 'image';

const PAD_1 = { pads: attr.ints([1, 1, 1, 1]) };

/** Nearest downsampling of the one-hot map: source index = dst × (256 / r), a strided slice. */
function segSampler(g: LazyGraph): (resolution: number) => string {
  const cache = new Map<number, string>();
  return (resolution) => {
    if (resolution === SEAN_IMAGE_SIZE) return GENERATOR_INPUTS.seg;
    let value = cache.get(resolution);
    if (value === undefined) {
      const step = SEAN_IMAGE_SIZE / resolution;
      value = g.node(
        'Slice',
        [GENERATOR_INPUTS.seg, g.int64s('slice_starts', [0, 0]), g.int64s('slice_ends', [SEAN_IMAGE_SIZE, SEAN_IMAGE_SIZE]), g.int64s('slice_axes', [2, 3]), g.int64s(`slice_steps_${step}`, [step, step])],
        {},
        `seg_${resolution}`,
      );
      cache.set(resolution, value);
    }
    return value;
  };
}

function filledConstants(g: LazyGraph): AceContext['filled'] {
  const cache = new Map<string, string>();
  return (value, length) => {
    const key = `${value}:${length}`;
    let name = cache.get(key);
    if (name === undefined) {
      name = g.constant(value === 1 ? `ones_${length}` : `zeros_${length}`, [length], new Float32Array(length).fill(value));
      cache.set(key, name);
    }
    return name;
  };
}

async function spectralConv(ctx: AceContext, key: string, x: string, dims: number[], withBias: boolean): Promise<string> {
  const { g, w } = ctx;
  const weight = g.weight(`${key}.weight`, dims, () => w.spectralNormWeight(key));
  const inputs = [x, weight];
  if (withBias) inputs.push(g.constant(`${key}.bias`, [dims[0]!], await w.read(`${key}.bias`)));
  return g.node('Conv', inputs, dims[2] === 3 ? PAD_1 : {});
}

/** SEAN's residual block: [ace_s → conv_s] + conv_1(lrelu(ace_1(conv_0(lrelu(ace_0(x)))))). */
async function addResBlock(ctx: AceContext, block: SeanBlock, x: string): Promise<string> {
  const { g } = ctx;
  const middle = Math.min(block.fin, block.fout);
  const aces = new Map(blockAces(block).map((a) => [a.ace, a]));
  const lrelu = (v: string) => g.node('LeakyRelu', [v], { alpha: attr.float(LEAKY_SLOPE) });
  let shortcut = x;
  if (hasLearnedShortcut(block)) {
    const normed = await addAce(ctx, aces.get('ace_s')!, x);
    shortcut = await spectralConv(ctx, `${block.name}.conv_s`, normed, [block.fout, block.fin, 1, 1], false);
  }
  let dx = await spectralConv(ctx, `${block.name}.conv_0`, lrelu(await addAce(ctx, aces.get('ace_0')!, x)), [middle, block.fin, 3, 3], true);
  dx = await spectralConv(ctx, `${block.name}.conv_1`, lrelu(await addAce(ctx, aces.get('ace_1')!, dx)), [block.fout, middle, 3, 3], true);
  return g.node('Add', [shortcut, dx], {}, `${block.name}.out`);
}

export async function buildGeneratorGraph(w: SeanWeights, options: GeneratorGraphOptions = {}): Promise<LazyGraph> {
  const g = new LazyGraph('sean_generator', { fp16: options.fp16 });
  const b = g.builder;
  b.addInput(GENERATOR_INPUTS.seg, OnnxDataType.FLOAT, [1, SEAN_LABELS, SEAN_IMAGE_SIZE, SEAN_IMAGE_SIZE]);
  b.addInput(GENERATOR_INPUTS.codes, OnnxDataType.FLOAT, [1, SEAN_LABELS, SEAN_STYLE_LENGTH]);
  for (const noise of SEAN_NOISE_INPUTS) b.addInput(noise.name, OnnxDataType.FLOAT, [1, 1, noise.resolution, noise.resolution]);

  const ctx: AceContext = {
    g,
    w,
    styleConvolution: options.styleConvolution ?? 'factored',
    segAt: segSampler(g),
    codesColumn: g.node('Reshape', [GENERATOR_INPUTS.codes, g.int64s('codes_column_shape', [SEAN_LABELS, SEAN_STYLE_LENGTH, 1])], {}, 'codes_column'),
    filled: filledConstants(g),
  };

  const fcWeight = g.weight('fc.weight', [1024, SEAN_LABELS, 3, 3], () => w.read('fc.weight'));
  let x = g.node('Conv', [ctx.segAt(8), fcWeight, g.constant('fc.bias', [1024], await w.read('fc.bias'))], PAD_1);
  let resolution = 8;
  const upsampleScales = g.constant('upsample_scales', [4], [1, 1, 2, 2]);
  for (const block of SEAN_BLOCKS) {
    if (resolution < block.resolution) {
      x = g.node('Resize', [x, '', upsampleScales], {
        mode: attr.string('nearest'),
        coordinate_transformation_mode: attr.string('asymmetric'),
        nearest_mode: attr.string('floor'),
      });
      resolution *= 2;
    }
    x = await addResBlock(ctx, block, x);
  }
  const imgWeight = g.weight('conv_img.weight', [3, 64, 3, 3], () => w.read('conv_img.weight'));
  const activated = g.node('LeakyRelu', [x], { alpha: attr.float(LEAKY_SLOPE) });
  const image = g.node('Tanh', [g.node('Conv', [activated, imgWeight, g.constant('conv_img.bias', [3], await w.read('conv_img.bias'))], PAD_1)]);
  b.addOutput(image, OnnxDataType.FLOAT, [1, 3, SEAN_IMAGE_SIZE, SEAN_IMAGE_SIZE], GENERATOR_OUTPUT);
  return g;
}
