// AR continuation scoring = the family's own exact NLL read the way the harness reads a request: with BOS added,
// log p(cont | ctx) = nll(ctx) − nll(ctx + cont) on rows that start with BOS; without BOS, the model reads
// (ctx + cont)[:-1] as tokenized. Shared inputs run once; is_greedy agrees with the argmax.
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng, initBackend } from '@dlm/core';
import { loglinear } from '@dlm/schedules';
import { buildAr } from './ar.ts';
import { arContinuationInput } from './continuation.ts';

const V = 9,
  BOS = 7;
const gpt2 = { name: 'gpt2', n_embd: 16, n_layer: 2, n_head: 2, n_positions: 12 };
const build = () =>
  buildAr({
    family: {},
    model: gpt2,
    noise: loglinear({ eps: 1e-3 }),
    vocab: { size: V, bosId: BOS, eosId: 8 },
    rng: Rng.seeded(3),
  });
const o = (addBos: boolean) => ({ rng: Rng.seeded(0), mcNum: 1, batch: 4, cfgScale: 0, addBos });
const nllOf = (m: ReturnType<typeof build>, ids: number[]) =>
  m.nll({ ids: { data: Int32Array.from(ids), shape: [1, ids.length] } }, Rng.seeded(0)).nats[0]!;

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('AR continuation log-likelihood', () => {
  it('input = (ctx + cont)[:-1], BOS prepended only when asked and absent', () => {
    expect(arContinuationInput({ context: [1, 2], continuation: [3, 4] }, { addBos: false, bosId: BOS })).toEqual({
      input: [1, 2, 3],
      first: 1,
    });
    expect(arContinuationInput({ context: [1, 2], continuation: [3] }, { addBos: true, bosId: BOS })).toEqual({
      input: [BOS, 1, 2],
      first: 2,
    });
    expect(arContinuationInput({ context: [BOS, 1], continuation: [3] }, { addBos: true, bosId: BOS }).input).toEqual([
      BOS,
      1,
    ]);
    expect(() => arContinuationInput({ context: [], continuation: [3] }, { addBos: false, bosId: BOS })).toThrow(
      /non-empty context/,
    );
  });

  it('equals the difference of exact NLLs, with and without BOS; one pass for a shared input', () => {
    const m = build();
    try {
      const reqs = [
        { context: [1, 2, 3], continuation: [4, 5] },
        { context: [1, 2, 3], continuation: [6] },
        { context: [1, 2, 3], continuation: [2] },
      ];
      const withBos = m.continuationLogLikelihood!(reqs, o(true));
      reqs.forEach((r, i) => {
        const want = nllOf(m, [BOS, ...r.context]) - nllOf(m, [BOS, ...r.context, ...r.continuation]);
        expect(withBos[i]!.logLikelihood).toBeCloseTo(want, 4);
        expect(withBos[i]!.stderr).toBe(0);
      });
      // Requests 2 and 3 share the input [BOS, 1, 2, 3]: 2 distinct rows, one pass of batch 4.
      expect(withBos.reduce((a, s) => a + s.nfe, 0)).toBe(1);
      // Without BOS: a row that starts with BOS is read as it is by the family's nll, so prefix the context by hand.
      const noBos = m.continuationLogLikelihood!(
        reqs.map((r) => ({ ...r, context: [BOS, ...r.context] })),
        o(false),
      );
      noBos.forEach((s, i) => expect(s.logLikelihood).toBeCloseTo(withBos[i]!.logLikelihood, 5));
      const plain = m.continuationLogLikelihood!(reqs, o(false));
      expect(plain[0]!.logLikelihood).not.toBeCloseTo(withBos[0]!.logLikelihood, 3);
    } finally {
      m.dispose();
    }
  });

  it('is_greedy: true exactly when every continuation token is the argmax', () => {
    const m = build();
    try {
      const ctx = [1, 2];
      const g = m.continuationLogLikelihood!(
        Array.from({ length: V }, (_, t) => ({ context: ctx, continuation: [t] })),
        o(false),
      );
      const logits = g.map((s) => s.logLikelihood);
      const best = logits.indexOf(Math.max(...logits));
      expect(g.map((s) => s.isGreedy)).toEqual(Array.from({ length: V }, (_, t) => t === best));
    } finally {
      m.dispose();
    }
  });
});
