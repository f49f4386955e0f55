/**
 * One ACE layer (INFERENCE.md §5) as ONNX nodes:
 *
 *   x + noise·noise_var → batch norm (running stats, no affine) → × (1 + γ) + β
 *   γ, β = a·(style branch) + (1 − a)·(SPADE branch), a = sigmoid(blend logit)
 *
 * Both branches end in 3×3 convolutions, so gamma and beta of both are computed by ONE convolution
 * over the channel-concatenation of the branch inputs, with the blend factors folded into its
 * weights and the "+ 1" into its bias.
 *
 * The style branch's input is a 512-channel map that is constant inside each label's region:
 * Σ_j seg_j · v_j, v_j = ReLU(fc_mu_j(code_j)). Its convolution therefore equals a convolution of the
 * 19-channel one-hot map with per-label kernels K[o, j, tap] = Σ_k W[o, k, tap] · v_j[k] — the same
 * sum, regrouped — which is what 'factored' builds (one small MatMul per ACE gives K): 19 input
 * channels instead of 512, a third of SEAN's compute overall. 'direct' paints the 512-channel map
 * (a MatMul of the one-hot map with the stacked v) and convolves it, as SEAN does.
 */
import { attr } from '../onnx/graph-builder';
import type { LazyGraph } from './lazy-graph';
import { NORM_EPSILON, SEAN_LABELS, SEAN_SPADE_HIDDEN, SEAN_STYLE_LENGTH, type SeanAce } from './sean-architecture';
import { blendedBias, kernelsByInputChannel, type SeanWeights } from './sean-weights';

export type StyleConvolution = 'factored' | 'direct';

/** What every ACE of one generator graph shares. */
export interface AceContext {
  g: LazyGraph;
  w: SeanWeights;
  styleConvolution: StyleConvolution;
  /** The one-hot map at a resolution (nearest downsampling). */
  segAt(resolution: number): string;
  /** codes [1, 19, 512] as [19, 512, 1], ready for the stacked fc_mu MatMul. */
  codesColumn: string;
  /** Cached constant vectors of ones / zeros per length (batch norm's identity scale and bias). */
  filled(value: 0 | 1, length: number): string;
}

const PAD_1 = { pads: attr.ints([1, 1, 1, 1]) };

/** γ and β input and weights of the SPADE branch (ReLU(conv(seg))). */
async function spadeBranch(ctx: AceContext, ace: SeanAce): Promise<string> {
  const { g, w } = ctx;
  const p = `${ace.prefix}.Spade.mlp_shared.0`;
  const weight = g.weight(`${p}.weight`, [SEAN_SPADE_HIDDEN, SEAN_LABELS, 3, 3], () => w.read(`${p}.weight`));
  const bias = g.constant(`${p}.bias`, [SEAN_SPADE_HIDDEN], await w.read(`${p}.bias`));
  return g.node('Relu', [g.node('Conv', [ctx.segAt(ace.block.resolution), weight, bias], PAD_1)]);
}

/** v = ReLU(fc_mu_j(code_j)) for all 19 labels: [19, 512]. */
async function styleVectors(ctx: AceContext, ace: SeanAce): Promise<string> {
  const { g, w } = ctx;
  const n = SEAN_STYLE_LENGTH;
  const weight = g.weight(`${ace.prefix}.fc_mu`, [SEAN_LABELS, n, n], () => w.stackedStyleLinearWeight(ace.prefix));
  const bias = g.constant(`${ace.prefix}.fc_mu_bias`, [SEAN_LABELS, n, 1], await w.stackedStyleLinearBias(ace.prefix));
  const v = g.node('Relu', [g.node('Add', [g.node('MatMul', [weight, ctx.codesColumn]), bias])]);
  return g.node('Reshape', [v, g.int64s('labels_by_style', [SEAN_LABELS, n])]);
}

/** The γ/β convolution's input and weights [2C, Cin, 3, 3] for a style ACE. */
async function styleAndSpadeKernels(ctx: AceContext, ace: SeanAce, actv: string, aGamma: number, aBeta: number): Promise<{ input: string; weight: string }> {
  const { g, w } = ctx;
  const C2 = 2 * ace.channels;
  const r = ace.block.resolution;
  const p = ace.prefix;
  const seg = ctx.segAt(r);
  const spade = g.weight(`${p}.spade_gamma_beta`, [C2, SEAN_SPADE_HIDDEN, 3, 3], () =>
    w.stackedScaledConvs(`${p}.Spade.mlp_gamma.weight`, `${p}.Spade.mlp_beta.weight`, 1 - aGamma, 1 - aBeta),
  );
  const v = await styleVectors(ctx, ace);
  const scaledStyle = () => w.stackedScaledConvs(`${p}.conv_gamma.weight`, `${p}.conv_beta.weight`, aGamma, aBeta);
  if (ctx.styleConvolution === 'factored') {
    const byInput = g.weight(`${p}.style_kernels`, [SEAN_STYLE_LENGTH, C2 * 9], async () => kernelsByInputChannel(await scaledStyle(), C2, SEAN_STYLE_LENGTH));
    const perLabel = g.node('Reshape', [g.node('MatMul', [v, byInput]), g.int64s('label_kernels_shape', [SEAN_LABELS, C2, 3, 3])]);
    const kernels = g.node('Transpose', [perLabel], { perm: attr.ints([1, 0, 2, 3]) });
    return {
      input: g.node('Concat', [seg, actv], { axis: attr.int(1) }),
      weight: g.node('Concat', [kernels, spade], { axis: attr.int(1) }),
    };
  }
  const style = g.weight(`${p}.style_gamma_beta`, [C2, SEAN_STYLE_LENGTH, 3, 3], scaledStyle);
  const flatSeg = g.node('Reshape', [seg, g.int64s('flat_seg_shape', [SEAN_LABELS, r * r])]);
  const painted = g.node('MatMul', [g.node('Transpose', [v], { perm: attr.ints([1, 0]) }), flatSeg]);
  const styleMap = g.node('Reshape', [painted, g.int64s('style_map_shape', [1, SEAN_STYLE_LENGTH, r, r])]);
  return {
    input: g.node('Concat', [styleMap, actv], { axis: attr.int(1) }),
    weight: g.node('Concat', [style, spade], { axis: attr.int(1) }),
  };
}

/** Adds one ACE applied to `x` ([1, C, r, r]); returns its output. */
export async function addAce(ctx: AceContext, ace: SeanAce, x: string): Promise<string> {
  const { g, w } = ctx;
  const C = ace.channels;
  const p = ace.prefix;

  const noiseVar = g.constant(`${p}.noise_var`, [1, C, 1, 1], await w.read(`${p}.noise_var`));
  const noisy = g.node('Add', [x, g.node('Mul', [ace.noiseInput, noiseVar])]);
  const mean = g.constant(`${p}.running_mean`, [C], await w.read(`${p}.param_free_norm.running_mean`));
  const variance = g.constant(`${p}.running_var`, [C], await w.read(`${p}.param_free_norm.running_var`));
  const normalized = g.node('BatchNormalization', [noisy, ctx.filled(1, C), ctx.filled(0, C), mean, variance], { epsilon: attr.float(NORM_EPSILON) });

  const actv = await spadeBranch(ctx, ace);
  const spadeGammaBias = await w.read(`${p}.Spade.mlp_gamma.bias`);
  const spadeBetaBias = await w.read(`${p}.Spade.mlp_beta.bias`);
  let input: string;
  let weight: string;
  let gammaBias: Float32Array;
  let betaBias: Float32Array;
  if (ace.block.style) {
    const aGamma = await w.blend(`${p}.blending_gamma`);
    const aBeta = await w.blend(`${p}.blending_beta`);
    ({ input, weight } = await styleAndSpadeKernels(ctx, ace, actv, aGamma, aBeta));
    gammaBias = blendedBias(await w.read(`${p}.conv_gamma.bias`), spadeGammaBias, aGamma, true);
    betaBias = blendedBias(await w.read(`${p}.conv_beta.bias`), spadeBetaBias, aBeta, false);
  } else {
    // up_3: plain SPADE; its blend logits exist in the checkpoint but are never used.
    input = actv;
    weight = g.weight(`${p}.spade_gamma_beta`, [2 * C, SEAN_SPADE_HIDDEN, 3, 3], () =>
      w.stackedScaledConvs(`${p}.Spade.mlp_gamma.weight`, `${p}.Spade.mlp_beta.weight`, 1, 1),
    );
    gammaBias = blendedBias(null, spadeGammaBias, 0, true);
    betaBias = blendedBias(null, spadeBetaBias, 0, false);
  }
  const bias = new Float32Array(2 * C);
  bias.set(gammaBias, 0);
  bias.set(betaBias, C);
  const gammaBeta = g.node('Conv', [input, weight, g.constant(`${p}.gamma_beta_bias`, [2 * C], bias)], PAD_1);
  const [onePlusGamma, beta] = g.builder.addNodeMulti('Split', [gammaBeta, g.int64s('split_halves', [C, C])], [`${p}.gamma`, `${p}.beta`], { axis: attr.int(1) });
  return g.node('Add', [g.node('Mul', [normalized, onePlusGamma!]), beta!], {}, `${p}.out`);
}
