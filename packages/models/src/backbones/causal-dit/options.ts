// Options of the causal DiT, the autoregressive baseline of MDLM (kuleshov-group/mdlm
// models/autoregressive.py `AR` with `model.causal: true`, configs/model/small-ar.yaml): the DDiT
// blocks with causal attention, rotary positions and no time conditioning (no σ embedding, no adaLN).
import { ConfigError, brief } from '@dlm/core';

export interface CausalDitOptions {
  /** V: rows of `vocab_embed.embedding` = width of the logits. */
  vocabSize: number;
  /** D */
  hidden: number;
  /** H (D divisible by H, an even head dim for rotary). */
  heads: number;
  /** Number of blocks. */
  blocks: number;
  /** MLP width = mlpRatio·D (reference 4). */
  mlpRatio: number;
  /** The longest sequence the model accepts (MDLM `model.length`); rotary itself has no limit. */
  maxLength: number;
  /** Rotary base (reference 10000). */
  rotaryBase: number;
}

export const CAUSAL_DIT_DEFAULTS: Pick<CausalDitOptions, 'mlpRatio' | 'rotaryBase'> = {
  mlpRatio: 4,
  rotaryBase: 10000,
};

export type CausalDitOptionsInput = Omit<CausalDitOptions, keyof typeof CAUSAL_DIT_DEFAULTS> &
  Partial<CausalDitOptions>;

const KEYS = ['vocabSize', 'hidden', 'heads', 'blocks', 'mlpRatio', 'maxLength', 'rotaryBase'];

/** Fills defaults and validates; unknown keys are an error. */
export function resolveCausalDitOptions(input: CausalDitOptionsInput): CausalDitOptions {
  const op = 'causal DiT options';
  for (const k of Object.keys(input)) {
    if (!KEYS.includes(k))
      throw new ConfigError({ op, arg: k, expected: `one of ${KEYS.join(', ')}` }, 'is not an option');
  }
  const o: CausalDitOptions = { ...CAUSAL_DIT_DEFAULTS, ...input };
  for (const k of ['vocabSize', 'hidden', 'heads', 'blocks', 'mlpRatio', 'maxLength'] as const) {
    const v = o[k];
    if (!(typeof v === 'number' && Number.isInteger(v) && v >= 1))
      throw new ConfigError({ op, arg: k, expected: 'an integer ≥ 1', got: brief(v) });
  }
  if (o.hidden % o.heads !== 0)
    throw new ConfigError({ op, arg: 'heads', expected: `a divisor of hidden (${o.hidden})`, got: brief(o.heads) });
  if ((o.hidden / o.heads) % 2 !== 0) {
    throw new ConfigError({
      op,
      arg: 'heads',
      expected: 'an even head dim (hidden / heads) for rotary',
      got: `head dim ${o.hidden / o.heads}`,
    });
  }
  if (!(typeof o.rotaryBase === 'number' && o.rotaryBase > 0))
    throw new ConfigError({ op, arg: 'rotaryBase', expected: 'a number > 0', got: brief(o.rotaryBase) });
  return o;
}
