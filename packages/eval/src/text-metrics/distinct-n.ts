// distinct-n: the share of unique n-grams among all n-grams of all outputs (a corpus-level diversity measure).
//   distinct-n = |{ distinct n-grams over all outputs }| / Σ_outputs #n-grams(output),   0 when there is no n-gram
// Variant, stated exactly because papers differ:
//   - tokens: Python str.split() of each output (whitespace, case kept, punctuation attached to words), or the
//     `tokenize` given;
//   - n-grams never cross from one output into the next; an output shorter than n adds none;
//   - the denominator counts n-grams (not tokens as Li et al. 2016, "A Diversity-Promoting Objective Function for
//     Neural Conversation Models", §4.2 write it), and the ratio is taken over the whole set, not averaged per output
//     (DiffuSeq's eval_seq2seq.py averages per sentence).
import { ConfigError, brief } from '@dlm/core/errors';
import { countNgrams } from './ngram-counts.ts';
import { pySplit } from './python-str.ts';

export interface DistinctN {
  n: number;
  /** Distinct n-grams over all outputs. */
  unique: number;
  /** All n-grams of all outputs. */
  total: number;
  /** unique / total (0 when total = 0). */
  distinct: number;
}

/** distinct-n of a set of outputs (see the header for the exact variant). */
export function distinctN(
  outputs: readonly string[],
  n: number,
  opts: { tokenize?: (text: string) => string[] } = {},
): DistinctN {
  if (!(Number.isInteger(n) && n >= 1)) {
    throw new ConfigError({ op: 'distinctN', arg: 'n', expected: 'an integer ≥ 1', got: brief(n) });
  }
  const tokenize = opts.tokenize ?? pySplit;
  const seen = new Set<string>();
  let total = 0;
  for (const out of outputs) {
    for (const [g, c] of countNgrams(tokenize(out), n, ' ')) {
      seen.add(g);
      total += c;
    }
  }
  return { n, unique: seen.size, total, distinct: total === 0 ? 0 : seen.size / total };
}
