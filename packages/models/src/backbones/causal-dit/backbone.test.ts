import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Rng, initBackend, tf } from '@dlm/core';
import { buildBackbone } from '../registry.ts';
import { CausalDit } from './causal-dit.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const slot = { name: 'causal-dit', hidden_size: 16, n_heads: 2, n_blocks: 2, length: 6, dropout: 0, init: 'random' };
const o = { family: 'ar', accepted: ['causal-dit'], vocabSize: 9, timeConditioning: false };

describe('causal-dit backbone', () => {
  it('is the CausalDit of the same knobs and Rng; σ is ignored; position t sees ids[0 … t] only', () => {
    const net = buildBackbone(slot, { ...o, rng: Rng.seeded(4) });
    const ref = new CausalDit({ vocabSize: 9, hidden: 16, heads: 2, blocks: 2, maxLength: 6 }, Rng.seeded(4), 'random');
    const a = [[1, 2, 3, 4, 5, 6]];
    const b = [[1, 2, 3, 4, 0, 0]];
    const run = (ids: number[][], sigma: number) =>
      tf.tidy(() => [...net.forward(tf.tensor2d(ids, undefined, 'int32'), tf.tensor1d([sigma])).dataSync()]);
    const want = tf.tidy(() => [...ref.forward(tf.tensor2d(a, undefined, 'int32')).dataSync()]);
    expect(run(a, 0)).toEqual(want);
    expect(run(a, 3.5)).toEqual(want);
    const V = 9;
    const la = run(a, 0),
      lb = run(b, 0);
    expect(lb.slice(0, 4 * V)).toEqual(la.slice(0, 4 * V)); // positions 0..3: same prefix
    expect(lb.slice(4 * V)).not.toEqual(la.slice(4 * V));
    expect(net.maxLength).toBe(6);
    expect(net.decode).toBeUndefined();
    net.dispose();
    ref.dispose();
  });

  it('rejects knobs it does not know, naming them', () => {
    expect(() => buildBackbone({ ...slot, causal: true }, { ...o, rng: Rng.seeded(0) })).toThrow(/causal/);
    expect(() => buildBackbone({ ...slot, n_heads: 3 }, { ...o, rng: Rng.seeded(0) })).toThrow(ConfigError);
  });
});
