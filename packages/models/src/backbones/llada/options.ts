// Options of the LLaDA backbone (LLaDA modeling_llada.py: LLaDAModel with LLaDALlamaBlock;
// fixtures/checkpoints/README.md §5). Only the structure the published checkpoints use is
// supported: llama blocks, RMSNorm with weight, rotary, SwiGLU, no biases, untied head.
import { ConfigError, brief } from '@dlm/core';

export interface LladaOptions {
  /** `embedding_size`: rows of `wte` = width of the logits. */
  vocabSize: number;
  /** `d_model` (D) */
  hidden: number;
  /** `n_heads` (H); hd = D / H must be even for rotary. */
  heads: number;
  /** effective n_kv_heads (H must be a multiple); K/V heads are repeated (repeat_interleave) to H. */
  kvHeads: number;
  /** `n_layers` */
  layers: number;
  /** `mlp_hidden_size` (F): width of ff_proj / up_proj. */
  mlpHidden: number;
  /** `rms_norm_eps` */
  rmsNormEps: number;
  /** `rope_theta` */
  ropeTheta: number;
}

export const LLADA_DEFAULTS: Pick<LladaOptions, 'rmsNormEps' | 'ropeTheta'> = { rmsNormEps: 1e-5, ropeTheta: 500000 };

export type LladaOptionsInput = Pick<LladaOptions, 'vocabSize' | 'hidden' | 'heads' | 'layers' | 'mlpHidden'> &
  Partial<LladaOptions>;

const KEYS = new Set<string>([
  'vocabSize',
  'hidden',
  'heads',
  'kvHeads',
  'layers',
  'mlpHidden',
  'rmsNormEps',
  'ropeTheta',
]);

/** Fills defaults (kvHeads = heads) and validates; unknown keys are an error. */
export function resolveLladaOptions(input: LladaOptionsInput): LladaOptions {
  const op = 'LLaDA options';
  for (const k of Object.keys(input)) {
    if (!KEYS.has(k))
      throw new ConfigError({ op, arg: k, expected: `one of ${[...KEYS].join(', ')}` }, 'is not an option');
  }
  const o: LladaOptions = { ...LLADA_DEFAULTS, kvHeads: input.heads, ...input };
  for (const k of ['vocabSize', 'hidden', 'heads', 'kvHeads', 'layers', 'mlpHidden'] as const) {
    const v = o[k];
    if (!(typeof v === 'number' && Number.isInteger(v) && v >= 1))
      throw new ConfigError({ op, arg: k, expected: 'an integer ≥ 1', got: brief(v) });
  }
  if (o.hidden % o.heads !== 0)
    throw new ConfigError({ op, arg: 'heads', expected: `a divisor of hidden (${o.hidden})`, got: brief(o.heads) });
  if ((o.hidden / o.heads) % 2 !== 0)
    throw new ConfigError({
      op,
      arg: 'heads',
      expected: 'an even head dim (hidden / heads) for rotary',
      got: `head dim ${o.hidden / o.heads}`,
    });
  if (o.heads % o.kvHeads !== 0)
    throw new ConfigError({ op, arg: 'kvHeads', expected: `a divisor of heads (${o.heads})`, got: brief(o.kvHeads) });
  if (!(typeof o.rmsNormEps === 'number' && o.rmsNormEps > 0))
    throw new ConfigError({ op, arg: 'rmsNormEps', expected: 'a number > 0', got: brief(o.rmsNormEps) });
  if (!(typeof o.ropeTheta === 'number' && o.ropeTheta > 0))
    throw new ConfigError({ op, arg: 'ropeTheta', expected: 'a number > 0', got: brief(o.ropeTheta) });
  return o;
}
