// The conditional bound of MDLM and SEDD (conditional-bound.ts) and LLaDA's estimator through the family method:
// same seed → the same numbers, another seed → other draws; keepPromptClean restores the prompt and gives it weight
// 0; LLaDA scores a single-token continuation exactly and honours CFG; bad mcNum / lengths are named errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng, initBackend } from '@dlm/core';
import { loglinear } from '@dlm/schedules';
import type { ContinuationOptions, FamilyModel } from '../family.ts';
import { buildLlada } from './llada/llada.ts';
import { buildMdlm } from './mdlm/mdlm.ts';
import { buildSedd } from './sedd/sedd.ts';
import { keepPromptClean } from './conditional-bound.ts';

const V = 12,
  MASK = 11,
  BOS = 9,
  L = 8;
const dit = {
  name: 'dit',
  hidden_size: 16,
  cond_dim: 8,
  n_heads: 2,
  n_blocks: 1,
  length: L,
  init: 'random',
  dropout: 0,
};
const vocab = { size: V, maskId: MASK, bosId: BOS, eosId: 10 };
const noise = loglinear({ eps: 1e-3 });
const builders: [string, () => FamilyModel][] = [
  ['mdlm', () => buildMdlm({ family: {}, model: dit, noise, vocab, rng: Rng.seeded(1) })],
  ['sedd', () => buildSedd({ family: {}, model: dit, noise, vocab, rng: Rng.seeded(1) })],
  [
    'sedd uniform',
    () =>
      buildSedd({
        family: { graph: 'uniform' },
        model: dit,
        noise,
        vocab: { size: V, bosId: BOS, eosId: 10 },
        rng: Rng.seeded(1),
      }),
  ],
  [
    'llada',
    () =>
      buildLlada({
        family: {},
        model: { name: 'llada', d_model: 16, n_heads: 2, n_layers: 1, mlp_hidden_size: 32, max_sequence_length: L },
        noise,
        vocab,
        rng: Rng.seeded(1),
      }),
  ],
];
const reqs = [
  { context: [1, 2, 3], continuation: [4, 5] },
  { context: [1, 2, 3], continuation: [6] },
];
const opts = (seed: number, o: Partial<ContinuationOptions> = {}): ContinuationOptions => ({
  rng: Rng.seeded(seed),
  mcNum: 8,
  batch: 4,
  cfgScale: 0,
  addBos: true,
  ...o,
});

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('conditional log-likelihood of the bound families', () => {
  it.each(builders)('%s: same seed → same numbers; another seed → other draws; finite stderr', (_n, build) => {
    const m = build();
    try {
      const a = m.continuationLogLikelihood!(reqs, opts(5));
      const b = m.continuationLogLikelihood!(reqs, opts(5));
      const c = m.continuationLogLikelihood!(reqs, opts(6));
      expect(b).toEqual(a);
      expect(c[0]!.logLikelihood).not.toBe(a[0]!.logLikelihood);
      for (const s of a) {
        expect(s.logLikelihood).toBeLessThan(0);
        expect(s.nfe).toBe(2);
      }
      // LLaDA's stratified counts mask the one token of a single-token continuation in every row: no variance.
      expect(a[0]!.stderr).toBeGreaterThan(0);
      if (_n !== 'llada') expect(a[1]!.stderr).toBeGreaterThan(0);
    } finally {
      m.dispose();
    }
  });

  it.each(builders.slice(0, 3))('%s: mcNum not a multiple of batch is a named error', (_n, build) => {
    const m = build();
    try {
      expect(() => m.continuationLogLikelihood!(reqs, opts(1, { mcNum: 6, batch: 4 }))).toThrow(
        /mcNum, expected a positive multiple of batch 4/,
      );
      expect(() =>
        m.continuationLogLikelihood!([{ context: [1, 2, 3, 4, 5, 6, 7], continuation: [1] }], opts(1)),
      ).toThrow(/at most the model's length 8/);
    } finally {
      m.dispose();
    }
  });

  it('keepPromptClean restores prompt ids and zeroes their weight (padding stays 0)', () => {
    const xt = Int32Array.from([MASK, MASK, MASK, 4]);
    const w = keepPromptClean(xt, {
      ids: { data: Int32Array.from([1, 2, 3, 4]), shape: [1, 4] },
      promptMask: { data: Uint8Array.from([1, 1, 0, 0]), shape: [1, 4] },
      attention: { data: Uint8Array.from([1, 1, 1, 0]), shape: [1, 4] },
    });
    expect(Array.from(xt)).toEqual([1, 2, MASK, 4]);
    expect(Array.from(w)).toEqual([0, 0, 1, 0]);
  });

  it('llada: a single-token continuation is scored exactly (any seed); CFG changes the number', () => {
    const m = builders[3]![1]();
    try {
      const [a, b] = [m.continuationLogLikelihood!(reqs, opts(4)), m.continuationLogLikelihood!(reqs, opts(9))];
      expect(a[1]!.logLikelihood).toBe(b[1]!.logLikelihood);
      expect(a[1]!.stderr).toBe(0);
      const cfg = m.continuationLogLikelihood!(reqs, opts(4, { cfgScale: 0.5 }));
      expect(cfg[1]!.logLikelihood).not.toBeCloseTo(a[1]!.logLikelihood, 6);
      expect(cfg[1]!.nfe).toBe(2); // iterations (each one pass of 2·batch rows with CFG)
    } finally {
      m.dispose();
    }
  });
});
