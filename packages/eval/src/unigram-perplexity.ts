// The baseline every language model must beat: perplexity of the validation tokens under the
// unigram distribution of the training tokens, add-α smoothed over the whole vocabulary
// (α = 1: Laplace) so unseen tokens have finite cost:
//   p(v) = (count_train(v) + α) / (N_train + α·V),   ppl = exp(−mean_{x ∈ val} log p(x)).
// Positions with attention 0 (padding) are skipped in both splits.
import { ConfigError } from '@dlm/core';

export function unigramPerplexity(
  train: ArrayLike<number>,
  evalTokens: ArrayLike<number>,
  vocabSize: number,
  opts: {
    alpha?: number;
    trainMask?: ArrayLike<number>;
    evalMask?: ArrayLike<number>;
    exclude?: readonly number[];
  } = {},
): { perplexity: number; natsPerToken: number; tokens: number } {
  const alpha = opts.alpha ?? 1;
  if (!(alpha > 0))
    throw new ConfigError({ op: 'unigramPerplexity', arg: 'alpha', expected: 'a number > 0', got: String(alpha) });
  const skip = new Set(opts.exclude ?? []);
  const counts = new Float64Array(vocabSize);
  let n = 0;
  for (let i = 0; i < train.length; i++) {
    if (opts.trainMask && !opts.trainMask[i]) continue;
    const v = train[i]!;
    if (skip.has(v)) continue;
    if (!(v >= 0 && v < vocabSize))
      throw new ConfigError({
        op: 'unigramPerplexity',
        arg: 'train token',
        expected: `an id in [0, ${vocabSize})`,
        got: String(v),
      });
    counts[v]!++;
    n++;
  }
  const denom = n + alpha * vocabSize;
  let nats = 0;
  let m = 0;
  for (let i = 0; i < evalTokens.length; i++) {
    if (opts.evalMask && !opts.evalMask[i]) continue;
    const v = evalTokens[i]!;
    if (skip.has(v)) continue;
    if (!(v >= 0 && v < vocabSize))
      throw new ConfigError({
        op: 'unigramPerplexity',
        arg: 'eval token',
        expected: `an id in [0, ${vocabSize})`,
        got: String(v),
      });
    nats -= Math.log((counts[v]! + alpha) / denom);
    m++;
  }
  if (m === 0) throw new ConfigError({ op: 'unigramPerplexity', arg: 'evalTokens', expected: 'at least one token' });
  return { perplexity: Math.exp(nats / m), natsPerToken: nats / m, tokens: m };
}
