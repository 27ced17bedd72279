// Options of the GPT-2 backbone (Hugging Face transformers GPT2LMHeadModel; fixtures/checkpoints/README.md §8).
// Each option is one GPT2Config field (named in its doc); config.ts reads a config.json into them.
import { ConfigError, brief } from '@dlm/core';

export interface Gpt2Options {
  /** V (`vocab_size`): rows of `wte` = width of the logits (tied head). */
  vocabSize: number;
  /** D (`n_embd`). */
  hidden: number;
  /** H (`n_head`); D divisible by H. */
  heads: number;
  /** `n_layer`. */
  layers: number;
  /** `n_positions`: rows of `wpe`, the longest context (cache included). */
  maxPositions: number;
  /** MLP width (`n_inner`; null in the config = 4·D). */
  inner: number;
  /** `layer_norm_epsilon` (GPT-2: 1e-5). */
  layerNormEps: number;
}

export type Gpt2OptionsInput = Pick<Gpt2Options, 'vocabSize' | 'hidden' | 'heads' | 'layers' | 'maxPositions'> &
  Partial<Gpt2Options>;

const KEYS = ['vocabSize', 'hidden', 'heads', 'layers', 'maxPositions', 'inner', 'layerNormEps'];

/** Fills defaults (inner = 4·hidden, layerNormEps = 1e-5) and validates; unknown keys are an error. */
export function resolveGpt2Options(input: Gpt2OptionsInput): Gpt2Options {
  const op = 'GPT-2 options';
  for (const k of Object.keys(input)) {
    if (!KEYS.includes(k))
      throw new ConfigError({ op, arg: k, expected: `one of ${KEYS.join(', ')}` }, 'is not an option');
  }
  const o: Gpt2Options = { inner: 4 * input.hidden, layerNormEps: 1e-5, ...input };
  for (const k of ['vocabSize', 'hidden', 'heads', 'layers', 'maxPositions', 'inner'] as const) {
    const v = o[k];
    if (!(typeof v === 'number' && Number.isInteger(v) && v >= 1))
      throw new ConfigError({ op, arg: k, expected: 'an integer ≥ 1', got: brief(v) });
  }
  if (o.hidden % o.heads !== 0)
    throw new ConfigError({ op, arg: 'heads', expected: `a divisor of hidden (${o.hidden})`, got: brief(o.heads) });
  if (!(typeof o.layerNormEps === 'number' && o.layerNormEps > 0))
    throw new ConfigError({ op, arg: 'layerNormEps', expected: 'a number > 0', got: brief(o.layerNormEps) });
  return o;
}
