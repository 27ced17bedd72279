import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Rng, crossEntropy, initBackend, tf } from '@dlm/core';
import { Dit } from './dit.ts';
import { resolveDitOptions } from './options.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const tiny = { vocabSize: 11, hidden: 16, heads: 2, blocks: 2, condDim: 8 };
const ids = (rows: number[][]) => tf.tensor2d(rows, [rows.length, rows[0]!.length], 'int32');
const X = [
  [1, 4, 10, 2, 7, 3],
  [10, 10, 5, 0, 9, 6],
];

describe('Dit parameters', () => {
  it('uses exactly the reference state_dict names and shapes', () => {
    const m = new Dit(tiny, Rng.seeded(1));
    const shapes = Object.fromEntries(m.params.names().map((n) => [n, [...m.params.get(n).shape]]));
    const [V, D, C] = [11, 16, 8];
    const want: Record<string, number[]> = {
      'vocab_embed.embedding': [V, D],
      'sigma_map.mlp.0.weight': [C, 256],
      'sigma_map.mlp.0.bias': [C],
      'sigma_map.mlp.2.weight': [C, C],
      'sigma_map.mlp.2.bias': [C],
      'rotary_emb.inv_freq': [4],
      'output_layer.norm_final.weight': [D],
      'output_layer.linear.weight': [V, D],
      'output_layer.linear.bias': [V],
      'output_layer.adaLN_modulation.weight': [2 * D, C],
      'output_layer.adaLN_modulation.bias': [2 * D],
    };
    for (const i of [0, 1]) {
      Object.assign(want, {
        [`blocks.${i}.norm1.weight`]: [D],
        [`blocks.${i}.norm2.weight`]: [D],
        [`blocks.${i}.attn_qkv.weight`]: [3 * D, D],
        [`blocks.${i}.attn_out.weight`]: [D, D],
        [`blocks.${i}.mlp.0.weight`]: [4 * D, D],
        [`blocks.${i}.mlp.0.bias`]: [4 * D],
        [`blocks.${i}.mlp.2.weight`]: [D, 4 * D],
        [`blocks.${i}.mlp.2.bias`]: [D],
        [`blocks.${i}.adaLN_modulation.weight`]: [6 * D, C],
        [`blocks.${i}.adaLN_modulation.bias`]: [6 * D],
      });
    }
    expect(shapes).toEqual(want);
    const total = Object.entries(want)
      .filter(([n]) => n !== 'rotary_emb.inv_freq')
      .reduce((s, [, sh]) => s + sh.reduce((a, b) => a * b, 1), 0);
    expect(m.numParams()).toBe(total);
    expect(Array.from(m.params.get('rotary_emb.inv_freq').dataSync())).toEqual(
      Array.from(Float32Array.from([1, 0.1, 0.01, 0.001])),
    );
    m.dispose();
  });

  it('benchmark switches: learned positions, no norm weights, no final adaLN', () => {
    const m = new Dit(
      { ...tiny, positions: 'learned', maxLength: 8, normAffine: false, finalAdaLN: false },
      Rng.seeded(1),
    );
    const names = m.params.names();
    expect(names).toContain('pos_embed.embedding');
    expect(m.params.get('pos_embed.embedding').shape).toEqual([8, 16]);
    expect(
      names.some((n) => n.includes('norm') || n.startsWith('rotary_emb') || n.startsWith('output_layer.adaLN')),
    ).toBe(false);
    expect(m.forward(ids(X), tf.tensor1d([0.5, 1])).shape).toEqual([2, 6, 11]);
    expect(() => m.forward(ids([[1, 2, 3, 4, 5, 6, 7, 8, 9]]), tf.tensor1d([1]))).toThrow(/maxLength 8/);
    m.dispose();
  });

  it('rejects bad options, naming them', () => {
    expect(() => resolveDitOptions({ ...tiny, heads: 3 })).toThrow(/heads, expected a divisor of hidden/);
    expect(() => resolveDitOptions({ ...tiny, heads: 16 })).toThrow(/even head dim/);
    expect(() => resolveDitOptions({ ...tiny, dropout: 0.1 } as never)).toThrow(ConfigError);
    expect(() => resolveDitOptions({ ...tiny, positions: 'alibi' } as never)).toThrow(/positions/);
  });
});

describe('Dit forward', () => {
  it("reference init outputs exactly zero logits (zero final linear, as SEDD/MDLM's init)", () => {
    const m = new Dit(tiny, Rng.seeded(3));
    const y = m.forward(ids(X), tf.tensor1d([0.3, 2]));
    expect(y.shape).toEqual([2, 6, 11]);
    expect(y.dataSync().every((v) => v === 0)).toBe(true);
    m.dispose();
  });

  it('σ matters only with time conditioning', () => {
    for (const timeConditioning of [true, false]) {
      const m = new Dit({ ...tiny, timeConditioning }, Rng.seeded(4), 'random');
      const a = Array.from(m.forward(ids(X), tf.tensor1d([0.3, 2])).dataSync());
      const b = m.forward(ids(X), tf.tensor1d([1.5, 0.01])).dataSync();
      const diff = a.reduce((s, v, i) => Math.max(s, Math.abs(v - b[i]!)), 0);
      if (timeConditioning) expect(diff).toBeGreaterThan(1e-2);
      else expect(diff).toBe(0);
      m.dispose();
    }
  });

  it('positions matter: permuting the input does not just permute the output (rotary and learned)', () => {
    for (const positions of ['rotary', 'learned'] as const) {
      const m = new Dit({ ...tiny, positions, maxLength: 6 }, Rng.seeded(5), 'random');
      const s = tf.tensor1d([1]);
      const y = m.forward(ids([[1, 2, 3, 4, 5, 6]]), s).arraySync()[0]!;
      const yr = m.forward(ids([[6, 5, 4, 3, 2, 1]]), s).arraySync()[0]!;
      // position 0 of the reversed input holds token 6 = position 5 of the original
      const d = Math.max(...y[5]!.map((v, j) => Math.abs(v - yr[0]![j]!)));
      expect(d, positions).toBeGreaterThan(1e-3);
      m.dispose();
    }
    // and the rotary model is exactly shift-invariant in its attention pattern: a sequence of
    // identical tokens gives the same output at every position.
    const m = new Dit(tiny, Rng.seeded(5), 'random');
    const y = m.forward(ids([[7, 7, 7, 7]]), tf.tensor1d([1])).arraySync()[0]!;
    for (const row of y) row.forEach((v, j) => expect(v).toBeCloseTo(y[0]![j]!, 4));
    m.dispose();
  });

  it('every trainable parameter gets a gradient; no tensors leak', () => {
    const m = new Dit(tiny, Rng.seeded(6), 'random');
    const x = ids(X);
    const s = tf.tensor1d([0.3, 2]);
    const t = ids([
      [2, 3, 4, 5, 6, 7],
      [1, 1, 1, 1, 1, 1],
    ]);
    const before = tf.memory().numTensors;
    const { value, grads } = m.params.valueAndGrads(() => crossEntropy(m.forward(x, s), t) as tf.Scalar);
    expect([...grads.keys()].sort()).toEqual([...m.params.trainable().keys()].sort());
    for (const [n, g] of grads)
      expect(
        g.dataSync().some((v) => v !== 0),
        n,
      ).toBe(true);
    tf.dispose([value, ...grads.values()]);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });

  it('checks its inputs', () => {
    const m = new Dit(tiny, Rng.seeded(1));
    expect(() => m.forward(tf.tensor2d([[1, 2]]), tf.tensor1d([1]))).toThrow(/indices, expected int32/);
    expect(() => m.forward(ids([[1, 2]]), tf.tensor1d([1, 2]))).toThrow(/sigma, expected \[1\]/);
    m.dispose();
  });
});
