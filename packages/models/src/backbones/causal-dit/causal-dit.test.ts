import { beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  Rng,
  ShapeError,
  crossEntropy,
  embedding,
  initBackend,
  linear,
  rotaryTables,
  tf,
  tensorCountDelta,
} from '@dlm/core';
import { ditBlock, ditNorm } from '../dit/block.ts';
import { CausalDit } from './causal-dit.ts';
import { resolveCausalDitOptions } from './options.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const tiny = { vocabSize: 13, hidden: 16, heads: 2, blocks: 2, maxLength: 8 };
const ids = (rows: number[][]) => tf.tensor2d(rows, [rows.length, rows[0]!.length], 'int32');
const X = [
  [1, 4, 12, 2, 7, 3, 0],
  [12, 11, 5, 0, 9, 6, 6],
];
const host = (t: tf.Tensor) => {
  const a = Array.from(t.dataSync());
  t.dispose();
  return a;
};

describe('CausalDit parameters', () => {
  it("uses exactly MDLM's AR state_dict names (the DiT's names without sigma_map and adaLN)", () => {
    const m = new CausalDit(tiny, Rng.seeded(1));
    const shapes = Object.fromEntries(m.params.names().map((n) => [n, [...m.params.get(n).shape]]));
    const [V, D] = [13, 16];
    const want: Record<string, number[]> = {
      'vocab_embed.embedding': [V, D],
      'rotary_emb.inv_freq': [4],
      'output_layer.norm_final.weight': [D],
      'output_layer.linear.weight': [V, D],
      'output_layer.linear.bias': [V],
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
      });
    }
    expect(shapes).toEqual(want);
    const total = Object.entries(want)
      .filter(([n]) => n !== 'rotary_emb.inv_freq')
      .reduce((s, [, sh]) => s + sh.reduce((a, b) => a * b, 1), 0);
    expect(m.numParams()).toBe(total);
    m.dispose();
  });

  it('the same seed gives the same init; another seed another one', () => {
    const [a, b, c] = [1, 1, 2].map((s) => new CausalDit(tiny, Rng.seeded(s), 'random'));
    for (const n of a!.params.names())
      expect(Array.from(b!.params.get(n).dataSync()), n).toEqual(Array.from(a!.params.get(n).dataSync()));
    expect(Array.from(c!.params.get('blocks.0.attn_qkv.weight').dataSync())).not.toEqual(
      Array.from(a!.params.get('blocks.0.attn_qkv.weight').dataSync()),
    );
    [a, b, c].forEach((m) => m!.dispose());
  });

  it('loads its own state dict back by name (with the Lightning backbone. prefix)', () => {
    const a = new CausalDit(tiny, Rng.seeded(5), 'random');
    const b = new CausalDit(tiny, Rng.seeded(6), 'random');
    b.load(a.params.stateDict({ prefix: 'backbone.' }), { prefix: 'backbone.' });
    expect(host(b.forward(ids(X)))).toEqual(host(a.forward(ids(X))));
    const partial = a.params.stateDict();
    partial.delete('blocks.1.mlp.2.bias');
    expect(() => b.load(partial)).toThrow(/missing blocks\.1\.mlp\.2\.bias/);
    [a, b].forEach((m) => m.dispose());
  });

  it('rejects bad options, naming them', () => {
    expect(() => resolveCausalDitOptions({ ...tiny, heads: 3 })).toThrow(/heads, expected a divisor of hidden/);
    expect(() => resolveCausalDitOptions({ ...tiny, heads: 16 })).toThrow(/even head dim/);
    expect(() => resolveCausalDitOptions({ ...tiny, condDim: 8 } as never)).toThrow(ConfigError);
    expect(() => resolveCausalDitOptions({ ...tiny, maxLength: 0 })).toThrow(/maxLength/);
  });
});

describe('CausalDit forward', () => {
  it('reference init: zero output layer → zero logits of shape [B, L, V]', () => {
    const m = new CausalDit(tiny, Rng.seeded(3));
    const y = m.forward(ids(X));
    expect(y.shape).toEqual([2, 7, 13]);
    expect(host(y).every((v) => v === 0)).toBe(true);
    expect(() => m.forward(ids([[1, 2, 3, 4, 5, 6, 7, 8, 9]]))).toThrow(/maxLength 8/);
    expect(() => m.forward(tf.tensor2d([[1, 2]], [1, 2], 'float32'))).toThrow(ShapeError);
    m.dispose();
  });

  it('is causal: changing the token at j changes no logits before j, and does change those at j and after', () => {
    const m = new CausalDit(tiny, Rng.seeded(4), 'random');
    const base = host(m.forward(ids(X)));
    const [L, V] = [7, 13];
    for (const j of [0, 3, 6]) {
      const changed = X.map((r) => r.map((t, k) => (k === j ? (t + 5) % 13 : t)));
      const got = host(m.forward(ids(changed)));
      for (let b = 0; b < 2; b++) {
        for (let t = 0; t < L; t++) {
          const diff = Math.max(
            ...Array.from({ length: V }, (_, v) => Math.abs(got[(b * L + t) * V + v]! - base[(b * L + t) * V + v]!)),
          );
          if (t < j) expect(diff, `row ${b} position ${t} < ${j}`).toBe(0);
          else expect(diff, `row ${b} position ${t} ≥ ${j}`).toBeGreaterThan(1e-4);
        }
      }
    }
    m.dispose();
  });

  it('one block: the last position sees every key, so it equals the block with bidirectional attention there', () => {
    const m = new CausalDit({ ...tiny, blocks: 1 }, Rng.seeded(7), 'random');
    const p = m.params;
    const x = ids(X);
    const bidirectional = tf.tidy(() => {
      let h = embedding(p.get('vocab_embed.embedding'), x);
      const rope = rotaryTables(7, p.get('rotary_emb.inv_freq'));
      h = ditBlock(p, 0, m.options, h, undefined, rope, undefined, false);
      return linear(
        ditNorm(p, 'output_layer.norm_final', h),
        p.get('output_layer.linear.weight'),
        p.get('output_layer.linear.bias'),
      );
    });
    const got = m.forward(x);
    const last = (t: tf.Tensor) => host(tf.slice(t, [0, 6, 0], [2, 1, 13]));
    const first = (t: tf.Tensor) => host(tf.slice(t, [0, 0, 0], [2, 1, 13]));
    const a = last(got);
    const b = last(bidirectional);
    a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(1e-5));
    // …while position 0 differs (bidirectional attention sees the future there).
    const f = first(got);
    const g = first(bidirectional);
    expect(Math.max(...f.map((v, i) => Math.abs(v - g[i]!)))).toBeGreaterThan(1e-3);
    tf.dispose([got, bidirectional, x]);
    m.dispose();
  });

  it('leaks no tensors, and gradients reach every trainable parameter', () => {
    const m = new CausalDit(tiny, Rng.seeded(8), 'random');
    const x = ids(X);
    const targets = ids(X.map((r) => [...r.slice(1), 0]));
    expect(tensorCountDelta(() => tf.dispose(m.forward(x)))).toBe(0);
    expect(tensorCountDelta(() => tf.dispose(m.forward(x, { dropout: 0.1, seed: 3 })))).toBe(0);
    const { value, grads } = m.params.valueAndGrads(
      () => crossEntropy(m.forward(x, { dropout: 0.1, seed: 3 }), targets) as tf.Scalar,
    );
    expect(value.dataSync()[0]).toBeGreaterThan(0);
    const trainable = [...m.params.trainable().keys()];
    expect([...grads.keys()].sort()).toEqual([...trainable].sort());
    for (const [n, g] of grads) expect(Math.max(...Array.from(g.dataSync(), Math.abs)), n).toBeGreaterThan(0);
    tf.dispose([value, ...grads.values(), x, targets]);
    m.dispose();
  });

  it('forward = outputHead applied to forwardHidden', () => {
    const m = new CausalDit(tiny, Rng.seeded(10), 'random');
    const x = ids(X);
    const head = m.outputHead();
    const h = m.forwardHidden(x);
    expect(h.shape).toEqual([2, 7, 16]);
    expect(host(linear(h, head.weight, head.bias))).toEqual(host(m.forward(x)));
    tf.dispose([x, h]);
    m.dispose();
  });

  it('dropout: the same seed gives the same logits, another seed others', () => {
    const m = new CausalDit(tiny, Rng.seeded(9), 'random');
    const x = ids(X);
    const a = host(m.forward(x, { dropout: 0.2, seed: 1 }));
    expect(host(m.forward(x, { dropout: 0.2, seed: 1 }))).toEqual(a);
    expect(host(m.forward(x, { dropout: 0.2, seed: 2 }))).not.toEqual(a);
    expect(host(m.forward(x))).not.toEqual(a);
    x.dispose();
    m.dispose();
  });
});
