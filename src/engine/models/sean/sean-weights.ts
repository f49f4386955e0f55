/**
 * SEAN's weights as the ONNX graphs want them, computed from the checkpoint at write time:
 *
 * - spectral norm baked: W = weight_orig / sigma, sigma = u · (W_mat · v) with the stored u, v
 *   (eval mode runs no power iteration, INFERENCE.md §6);
 * - the 19 fc_mu Linear layers of an ACE stacked into one [19, 512, 512] tensor ([label, out, in]);
 * - an ACE's gamma and beta convolutions stacked into one, with sigmoid(blend logit) folded in.
 */
import { SeamError } from '../../../shared/errors';
import type { TorchCheckpoint } from '../torch/torch-checkpoint';
import { SEAN_LABELS, SEAN_STYLE_LENGTH } from './sean-architecture';

export class SeanWeights {
  constructor(readonly checkpoint: TorchCheckpoint) {}

  read(key: string): Promise<Float32Array> {
    return this.checkpoint.readFloat32(key);
  }

  /** A scalar (blend logits). */
  async scalar(key: string): Promise<number> {
    return (await this.read(key))[0]!;
  }

  /** sigmoid(logit) in float32, as torch.sigmoid gives it. */
  async blend(key: string): Promise<number> {
    return Math.fround(1 / (1 + Math.exp(-(await this.scalar(key)))));
  }

  /** The effective weight of a spectral-norm conv in eval mode. */
  async spectralNormWeight(prefix: string): Promise<Float32Array> {
    const [weight, u, v] = await Promise.all([this.read(`${prefix}.weight_orig`), this.read(`${prefix}.weight_u`), this.read(`${prefix}.weight_v`)]);
    const columns = v.length;
    let sigma = 0;
    for (let row = 0; row < u.length; row++) {
      let dot = 0;
      const base = row * columns;
      for (let c = 0; c < columns; c++) dot += weight[base + c]! * v[c]!;
      sigma += u[row]! * dot;
    }
    sigma = Math.fround(sigma);
    if (!Number.isFinite(sigma) || sigma <= 0) {
      throw new SeamError('MODEL_INVALID', `${this.checkpoint.label}: the spectral norm of ${prefix} is ${sigma} (its weight_u/weight_v are degenerate), so the layer cannot be evaluated.`);
    }
    const out = new Float32Array(weight.length);
    for (let i = 0; i < weight.length; i++) out[i] = weight[i]! / sigma;
    return out;
  }

  /** fc_mu0..18 of an ACE stacked: [19 labels, 512 out, 512 in]. */
  async stackedStyleLinearWeight(prefix: string): Promise<Float32Array> {
    const size = SEAN_STYLE_LENGTH * SEAN_STYLE_LENGTH;
    const weight = new Float32Array(SEAN_LABELS * size);
    for (let j = 0; j < SEAN_LABELS; j++) weight.set(await this.read(`${prefix}.fc_mu${j}.weight`), j * size);
    return weight;
  }

  /** Their biases: [19, 512] (as [19, 512, 1] in the graph). */
  async stackedStyleLinearBias(prefix: string): Promise<Float32Array> {
    const bias = new Float32Array(SEAN_LABELS * SEAN_STYLE_LENGTH);
    for (let j = 0; j < SEAN_LABELS; j++) bias.set(await this.read(`${prefix}.fc_mu${j}.bias`), j * SEAN_STYLE_LENGTH);
    return bias;
  }

  /**
   * conv_gamma then conv_beta stacked on the output axis, each scaled by its blend factor:
   * [2C, Cin, kh, kw] with the rows of gamma × aGamma and of beta × aBeta.
   */
  async stackedScaledConvs(gammaKey: string, betaKey: string, aGamma: number, aBeta: number): Promise<Float32Array> {
    const gamma = await this.read(gammaKey);
    const out = new Float32Array(gamma.length * 2);
    for (let i = 0; i < gamma.length; i++) out[i] = gamma[i]! * aGamma;
    const beta = await this.read(betaKey);
    for (let i = 0; i < beta.length; i++) out[gamma.length + i] = beta[i]! * aBeta;
    return out;
  }
}

/**
 * [2C, K, 3, 3] → [K, 2C·9]: the layout that lets a MatMul of per-label style vectors [19, K] with
 * it give each label's 3×3 kernels for all 2C outputs at once (see ace-graph.ts).
 */
export function kernelsByInputChannel(weight: Float32Array, outputs: number, inputs: number): Float32Array {
  const taps = 9;
  const out = new Float32Array(weight.length);
  for (let o = 0; o < outputs; o++) {
    for (let k = 0; k < inputs; k++) {
      const from = (o * inputs + k) * taps;
      const to = k * outputs * taps + o * taps;
      for (let t = 0; t < taps; t++) out[to + t] = weight[from + t]!;
    }
  }
  return out;
}

/** Per-output-channel bias of a blended pair: a·style + (1 − a)·spade (+ 1 for gamma: x·(1 + γ)). */
export function blendedBias(style: Float32Array | null, spade: Float32Array, a: number, plusOne: boolean): Float32Array {
  const out = new Float32Array(spade.length);
  for (let i = 0; i < spade.length; i++) {
    const value = style ? a * style[i]! + (1 - a) * spade[i]! : spade[i]!;
    out[i] = value + (plusOne ? 1 : 0);
  }
  return out;
}
