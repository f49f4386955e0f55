/**
 * SEAN's CelebA-HQ generator as data (source: /work/shared/facts/sean/INFERENCE.md §5): the seven
 * residual blocks, their ACE layers in SEAN's noise draw order, and the generator's noise inputs.
 */
import { LABEL_COUNT } from '../../../shared/labels';

export const SEAN_LABELS = LABEL_COUNT; // 19, CelebAMask-HQ order (src/shared/labels.ts)
export const SEAN_STYLE_LENGTH = 512;
export const SEAN_IMAGE_SIZE = 256;
/** Resolution of the encoder's feature map, where region-average pooling happens. */
export const SEAN_POOL_SIZE = 128;
export const SEAN_SPADE_HIDDEN = 128;
export const LEAKY_SLOPE = 0.2;
export const NORM_EPSILON = 1e-5;

export interface SeanBlock {
  name: 'head_0' | 'G_middle_0' | 'G_middle_1' | 'up_0' | 'up_1' | 'up_2' | 'up_3';
  fin: number;
  fout: number;
  /** The resolution the block runs at (x is upsampled ×2 nearest before it when smaller). */
  resolution: number;
  /** up_3 runs plain SPADE: no per-region style branch. */
  style: boolean;
}

/** Forward order. No upsampling between G_middle_0 and G_middle_1 ("normal" upsampling layers). */
export const SEAN_BLOCKS: readonly SeanBlock[] = [
  { name: 'head_0', fin: 1024, fout: 1024, resolution: 8, style: true },
  { name: 'G_middle_0', fin: 1024, fout: 1024, resolution: 16, style: true },
  { name: 'G_middle_1', fin: 1024, fout: 1024, resolution: 16, style: true },
  { name: 'up_0', fin: 1024, fout: 512, resolution: 32, style: true },
  { name: 'up_1', fin: 512, fout: 256, resolution: 64, style: true },
  { name: 'up_2', fin: 256, fout: 128, resolution: 128, style: true },
  { name: 'up_3', fin: 128, fout: 64, resolution: 256, style: false },
];

export interface SeanAce {
  block: SeanBlock;
  ace: 'ace_s' | 'ace_0' | 'ace_1';
  /** Channels of x at this ACE (the length of its noise_var). */
  channels: number;
  /** State-dict prefix, e.g. 'up_0.ace_s'. */
  prefix: string;
  /** The generator's noise input for this ACE, e.g. 'noise_up_0_ace_s'. */
  noiseInput: string;
}

export const hasLearnedShortcut = (block: SeanBlock) => block.fin !== block.fout;

/** A block's ACEs in SEAN's execution (and noise draw) order: the shortcut's first. */
export function blockAces(block: SeanBlock): SeanAce[] {
  const middle = Math.min(block.fin, block.fout);
  const list: Array<[SeanAce['ace'], number]> = [];
  if (hasLearnedShortcut(block)) list.push(['ace_s', block.fin]);
  list.push(['ace_0', block.fin], ['ace_1', middle]);
  return list.map(([ace, channels]) => ({
    block,
    ace,
    channels,
    prefix: `${block.name}.${ace}`,
    noiseInput: `noise_${block.name}_${ace}`,
  }));
}

export const SEAN_ACES: readonly SeanAce[] = SEAN_BLOCKS.flatMap(blockAces);

export interface NoiseInputSpec {
  name: string;
  /** The map is [1, 1, resolution, resolution]. */
  resolution: number;
  /** noise_var length: how many channels the map is scaled into. */
  channels: number;
}

/** The 18 noise inputs of the generator, in SEAN's draw order. */
export const SEAN_NOISE_INPUTS: readonly NoiseInputSpec[] = SEAN_ACES.map((a) => ({
  name: a.noiseInput,
  resolution: a.block.resolution,
  channels: a.channels,
}));
