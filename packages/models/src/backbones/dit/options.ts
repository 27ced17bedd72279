// Options of the DiT backbone (SEDD `SEDD` / MDLM `DIT`: Score-Entropy-Discrete-Diffusion
// model/transformer.py, kuleshov-group/mdlm models/dit.py). The defaults are the reference
// network; the switches let the same code serve the kernel-benchmark network.
import { ConfigError, brief } from '@dlm/core';

export interface DitOptions {
  /** V: rows of `vocab_embed.embedding` = width of the logits (SEDD absorb: tokens + 1). */
  vocabSize: number;
  /** D */
  hidden: number;
  /** H (D must be divisible by H; the head dim must be even for rotary). */
  heads: number;
  /** Number of DDiTBlocks. */
  blocks: number;
  /** C: width of the conditioning vector c that feeds every adaLN. */
  condDim: number;
  /** MLP width = mlpRatio·D (reference 4). */
  mlpRatio: number;
  /**
   * 'rotary' (reference; stores the `rotary_emb.inv_freq` buffer) or 'learned' (`pos_embed.embedding` [maxLength, D]).
   */
  positions: 'rotary' | 'learned';
  /** Rows of the learned position table; the longest sequence the model accepts with learned positions. */
  maxLength: number;
  /** LayerNorms carry a weight (reference: weight only, no bias) or nothing. */
  normAffine: boolean;
  /** false → σ replaced by zeros before the network (MDLM `time_conditioning: false`). */
  timeConditioning: boolean;
  /** The final layer modulates norm_final(x) with its own adaLN (reference) or is a plain LayerNorm + Linear. */
  finalAdaLN: boolean;
  /** Width of the sinusoidal σ features (reference: 256, fixed). */
  timeFeatures: number;
  /** Rotary base (reference 10000). */
  rotaryBase: number;
}

export const DIT_DEFAULTS: Omit<DitOptions, 'vocabSize' | 'hidden' | 'heads' | 'blocks' | 'condDim'> = {
  mlpRatio: 4,
  positions: 'rotary',
  maxLength: 1024,
  normAffine: true,
  timeConditioning: true,
  finalAdaLN: true,
  timeFeatures: 256,
  rotaryBase: 10000,
};

export type DitOptionsInput = Pick<DitOptions, 'vocabSize' | 'hidden' | 'heads' | 'blocks' | 'condDim'> &
  Partial<DitOptions>;

const KEYS = new Set<string>(['vocabSize', 'hidden', 'heads', 'blocks', 'condDim', ...Object.keys(DIT_DEFAULTS)]);

/** Fills defaults and validates; unknown keys are an error. */
export function resolveDitOptions(input: DitOptionsInput): DitOptions {
  const op = 'DiT options';
  for (const k of Object.keys(input)) {
    if (!KEYS.has(k))
      throw new ConfigError({ op, arg: k, expected: `one of ${[...KEYS].join(', ')}` }, 'is not an option');
  }
  const o: DitOptions = { ...DIT_DEFAULTS, ...input };
  const posInt = (k: keyof DitOptions) => {
    const v = o[k];
    if (!(typeof v === 'number' && Number.isInteger(v) && v >= 1))
      throw new ConfigError({ op, arg: k, expected: 'an integer ≥ 1', got: brief(v) });
  };
  (['vocabSize', 'hidden', 'heads', 'blocks', 'condDim', 'mlpRatio', 'maxLength', 'timeFeatures'] as const).forEach(
    posInt,
  );
  if (o.hidden % o.heads !== 0)
    throw new ConfigError({ op, arg: 'heads', expected: `a divisor of hidden (${o.hidden})`, got: brief(o.heads) });
  if (o.positions !== 'rotary' && o.positions !== 'learned')
    throw new ConfigError({ op, arg: 'positions', expected: "'rotary' or 'learned'", got: brief(o.positions) });
  if (o.positions === 'rotary' && (o.hidden / o.heads) % 2 !== 0) {
    throw new ConfigError({
      op,
      arg: 'heads',
      expected: 'an even head dim (hidden / heads) for rotary',
      got: `head dim ${o.hidden / o.heads}`,
    });
  }
  for (const k of ['normAffine', 'timeConditioning', 'finalAdaLN'] as const) {
    if (typeof o[k] !== 'boolean') throw new ConfigError({ op, arg: k, expected: 'a boolean', got: brief(o[k]) });
  }
  if (!(o.rotaryBase > 0))
    throw new ConfigError({ op, arg: 'rotaryBase', expected: 'a number > 0', got: brief(o.rotaryBase) });
  return o;
}
