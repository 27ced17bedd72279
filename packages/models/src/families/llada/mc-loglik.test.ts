import { describe, expect, it } from 'vitest';
import { Rng, logsumexp } from '@dlm/core';
import type { llada } from '@dlm/samplers';
import { rngLikelihoodDraws } from './forward-process.ts';
import { mcConditionalLogLikelihood } from './mc-loglik.ts';

const V = 5,
  MASK = 4;
const row = [1.0, -0.5, 0.3, 2.0, -3];
// A model that ignores its input: the same logits at every position, so the answer tokens are
// independent and log p(answer) = Σ log softmax(row)[a_i] exactly. With stratified counts each
// iteration's estimate Σ_masked CE / p_mask is exact too (n·c / (n/T) = T·c) when the answer repeats a token.
const constant: llada.MaskPredictor = (x) => {
  const n = x.data.length;
  const out = new Float64Array(n * V);
  for (let p = 0; p < n; p++) out.set(row, p * V);
  return out;
};
const logp = (v: number) => row[v]! - logsumexp(row);

describe('mcConditionalLogLikelihood', () => {
  it('is exact for an input-independent model and a repeated answer token', () => {
    const r = mcConditionalLogLikelihood(
      constant,
      [0, 1],
      [3, 3, 3],
      { mcNum: 8, batchSize: 4, maskId: MASK, vocabSize: V },
      rngLikelihoodDraws(Rng.seeded(1)),
    );
    expect(r.logLikelihood).toBeCloseTo(3 * logp(3), 12);
    expect(r.nfe).toBe(2);
    expect(r.stderr).toBeCloseTo(0, 12);
  });

  it('is unbiased for distinct answer tokens (mean over many draws, fixed seed)', () => {
    const answer = [0, 2, 3, 1];
    const exact = answer.reduce((a, v) => a + logp(v), 0);
    const r = mcConditionalLogLikelihood(
      constant,
      [1],
      answer,
      { mcNum: 4000, batchSize: 4, maskId: MASK, vocabSize: V },
      rngLikelihoodDraws(Rng.seeded(9)),
    );
    expect(Math.abs(r.logLikelihood - exact)).toBeLessThan(4 * r.stderr + 1e-9);
    expect(r.stderr).toBeGreaterThan(0);
  });

  it('rejects mcNum not a multiple of batchSize and ids outside the vocabulary', () => {
    const d = rngLikelihoodDraws(Rng.seeded(1));
    expect(() =>
      mcConditionalLogLikelihood(constant, [0], [1], { mcNum: 5, batchSize: 2, maskId: MASK, vocabSize: V }, d),
    ).toThrow(/mcNum/);
    expect(() =>
      mcConditionalLogLikelihood(constant, [0], [7], { mcNum: 2, batchSize: 2, maskId: MASK, vocabSize: V }, d),
    ).toThrow(/answer/);
  });
});
