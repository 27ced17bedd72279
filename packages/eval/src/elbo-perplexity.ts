// Likelihood-bound perplexity with a Monte-Carlo standard error.
//
// The family gives, per sequence i and draw d, an unbiased estimate n_id of its NELBO in nats
// (one time / mask draw; MDLM `ppl_eval`, SEDD's eval loss). With n̄_i the mean over the
// `timeSamples` draws and T_i the sequence's token count, the reported bound is the ratio
//   R = Σ_i n̄_i / Σ_i T_i         (nats per token; ppl = e^R, bits per token = R / ln 2)
// and its standard error is the delta-method one of a ratio estimator over sequences:
//   se(R) = sqrt( Σ_i (n̄_i − R·T_i)² / (n(n − 1)) ) / mean_i T_i .
// It covers both sources of noise (which sequences, which times); with more time samples the
// bound's own variance shrinks. Perplexity is an upper bound on the true perplexity.
import { ConfigError, type Rng } from '@dlm/core';
import type { FamilyModel, TokenBatch } from '@dlm/models';

export interface NllEstimate {
  natsPerToken: number;
  stderrNatsPerToken: number;
  perplexity: number;
  bitsPerToken: number;
  sequences: number;
  tokens: number;
  timeSamples: number;
}

export function estimateNll(
  model: Pick<FamilyModel, 'nll'>,
  batches: readonly TokenBatch[],
  rng: Rng,
  timeSamples: number,
  /** Called after each batch with the batches done and the total (progress lines). */
  onBatch?: (done: number, total: number) => void,
): NllEstimate {
  if (!(Number.isInteger(timeSamples) && timeSamples >= 1)) {
    throw new ConfigError({
      op: 'estimateNll',
      arg: 'timeSamples',
      expected: 'a positive integer',
      got: String(timeSamples),
    });
  }
  if (batches.length === 0)
    throw new ConfigError({ op: 'estimateNll', arg: 'batches', expected: 'at least one batch' });
  const nbar: number[] = [];
  const toks: number[] = [];
  batches.forEach((batch, bi) => {
    const sums = new Float64Array(batch.ids.shape[0]!);
    let tokens: Float64Array | undefined;
    for (let d = 0; d < timeSamples; d++) {
      const draw = model.nll(batch, rng.split(`batch-${bi}`).split(`draw-${d}`));
      for (let i = 0; i < sums.length; i++) sums[i]! += draw.nats[i]!;
      tokens = draw.tokens;
    }
    for (let i = 0; i < sums.length; i++) {
      nbar.push(sums[i]! / timeSamples);
      toks.push(tokens![i]!);
    }
    onBatch?.(bi + 1, batches.length);
  });
  const n = nbar.length;
  const totalTokens = toks.reduce((a, b) => a + b, 0);
  const R = nbar.reduce((a, b) => a + b, 0) / totalTokens;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (nbar[i]! - R * toks[i]!) ** 2;
  const se = n > 1 ? Math.sqrt(ss / (n * (n - 1))) / (totalTokens / n) : NaN;
  return {
    natsPerToken: R,
    stderrNatsPerToken: se,
    perplexity: Math.exp(R),
    bitsPerToken: R / Math.LN2,
    sequences: n,
    tokens: totalTokens,
    timeSamples,
  };
}
