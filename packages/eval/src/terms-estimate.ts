// Named per-sequence evaluation terms (FamilyModel.evalTerms: Diffusion-LM's mse, terminal ‖μ_T‖², rounding CE,
// rounding error rates) averaged over validation sequences with a standard error. For each sequence i the term's
// value is averaged over `timeSamples` draws (of t and the noise): v̄_i; the report is
//   mean = Σ_i v̄_i / n,   se = sd(v̄) / sqrt(n)   (sample standard deviation, n − 1)
// covering both noise sources, like estimateNll's ratio for the bounds.
import { ConfigError, type Rng } from '@dlm/core';
import type { FamilyModel, TokenBatch } from '@dlm/models';

export interface TermEstimate {
  mean: number;
  stderr: number;
}

export interface TermsEstimate {
  terms: Record<string, TermEstimate>;
  sequences: number;
  timeSamples: number;
}

export function estimateTerms(
  model: Pick<FamilyModel, 'evalTerms'>,
  batches: readonly TokenBatch[],
  rng: Rng,
  timeSamples: number,
): TermsEstimate {
  const op = 'estimateTerms';
  if (!model.evalTerms) throw new ConfigError({ op, arg: 'model', expected: 'a family model with evalTerms' });
  if (!(Number.isInteger(timeSamples) && timeSamples >= 1))
    throw new ConfigError({ op, arg: 'timeSamples', expected: 'a positive integer', got: String(timeSamples) });
  if (batches.length === 0) throw new ConfigError({ op, arg: 'batches', expected: 'at least one batch' });
  const perSeq = new Map<string, number[]>();
  batches.forEach((batch, bi) => {
    const B = batch.ids.shape[0]!;
    const sums = new Map<string, Float64Array>();
    for (let d = 0; d < timeSamples; d++) {
      const draw = model.evalTerms!(batch, rng.split(`batch-${bi}`).split(`draw-${d}`));
      for (const [k, v] of Object.entries(draw)) {
        const s = sums.get(k) ?? new Float64Array(B);
        for (let i = 0; i < B; i++) s[i]! += v[i]!;
        sums.set(k, s);
      }
    }
    for (const [k, s] of sums) {
      const list = perSeq.get(k) ?? [];
      for (const v of s) list.push(v / timeSamples);
      perSeq.set(k, list);
    }
  });
  const terms: Record<string, TermEstimate> = {};
  let sequences = 0;
  for (const [k, v] of perSeq) {
    const n = v.length;
    sequences = n;
    const mean = v.reduce((a, b) => a + b, 0) / n;
    const ss = v.reduce((a, b) => a + (b - mean) ** 2, 0);
    terms[k] = { mean, stderr: n > 1 ? Math.sqrt(ss / (n - 1) / n) : NaN };
  }
  return { terms, sequences, timeSamples };
}
