import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CheckpointError,
  Rng,
  ShapeError,
  closeReport,
  initBackend,
  shutdownBackend,
  tf,
  type StateTensor,
} from '@dlm/core';
import { repeatKvHeads } from './block.ts';
import { LladaModel } from './llada.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});
afterAll(async () => {
  await shutdownBackend();
});

const small = { vocabSize: 11, hidden: 16, heads: 4, layers: 2, mlpHidden: 24 };
const ids = (b: number, l: number, seed: number) => {
  const r = Rng.seeded(seed);
  return Int32Array.from({ length: b * l }, () => r.int(0, small.vocabSize - 1));
};
const run = (m: LladaModel, data: Int32Array, b: number, l: number, mask?: number[]) =>
  tf.tidy(
    () =>
      m
        .forward(tf.tensor2d(data, [b, l], 'int32'), mask ? { attentionMask: tf.tensor2d(mask, [b, l]) } : {})
        .dataSync() as Float32Array,
  );

describe('LladaModel', () => {
  it('logits [B, L, V], finite, published parameter names, no leaked tensors', () => {
    const m = new LladaModel(small, Rng.seeded(1), 0.3);
    try {
      expect(m.params.names()).toContain('model.transformer.blocks.1.up_proj.weight');
      expect(m.params.get('model.transformer.ff_out.weight').shape).toEqual([11, 16]);
      expect(m.numParams()).toBe(2 * 11 * 16 + 16 + 2 * (2 * 16 + 4 * 16 * 16 + 3 * 24 * 16));
      const before = tf.memory().numTensors;
      const out = tf.tidy(() => m.forward(tf.tensor2d(ids(2, 7, 2), [2, 7], 'int32')));
      expect(out.shape).toEqual([2, 7, 11]);
      expect(Array.from(out.dataSync()).every(Number.isFinite)).toBe(true);
      out.dispose();
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      m.dispose();
    }
  });

  it('grouped KV heads equal full heads whose K/V rows repeat each group (repeat_interleave)', () => {
    const gqa = new LladaModel({ ...small, kvHeads: 2 }, Rng.seeded(3), 0.3);
    const full = new LladaModel(small, Rng.seeded(4), 0.3);
    try {
      const hd = small.hidden / small.heads;
      const dict = new Map<string, StateTensor>();
      for (const [name, t] of gqa.params.stateDict()) {
        if (/\.(k|v)_proj\.weight$/.test(name)) {
          // kv head g owns rows [g·hd, (g+1)·hd); full head j uses kv head ⌊j/2⌋.
          const rows: number[] = [];
          for (let j = 0; j < small.heads; j++)
            rows.push(
              ...t.data.slice(Math.floor(j / 2) * hd * small.hidden, (Math.floor(j / 2) + 1) * hd * small.hidden),
            );
          dict.set(name, { shape: [small.hidden, small.hidden], data: Float32Array.from(rows) });
        } else dict.set(name, t);
      }
      full.load(dict);
      const x = ids(2, 6, 5);
      const a = run(gqa, x, 2, 6);
      const r = closeReport(run(full, x, 2, 6), a, 1e-5, 1e-5);
      expect(r.ratio).toBeLessThanOrEqual(1);
      expect(Math.max(...Array.from(a, Math.abs))).toBeGreaterThan(0.1);
    } finally {
      gqa.dispose();
      full.dispose();
    }
  });

  it('repeatKvHeads orders heads as torch repeat_interleave', () => {
    const out = tf.tidy(() => repeatKvHeads(tf.tensor4d([1, 2], [1, 2, 1, 1]), 3).dataSync());
    expect(Array.from(out)).toEqual([1, 1, 1, 2, 2, 2]);
  });

  it('attention mask: all ones = no mask; a padded key position has no influence on other rows', () => {
    const m = new LladaModel(small, Rng.seeded(6), 0.4);
    try {
      const [b, l, v] = [2, 6, small.vocabSize];
      const x = ids(b, l, 7);
      expect(closeReport(run(m, x, b, l, new Array(b * l).fill(1)), run(m, x, b, l), 0, 0).ratio).toBe(0);
      const mask = [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]; // row 0: key 0 padded
      const y = Int32Array.from(x);
      y[0] = (x[0]! + 1) % v; // change the padded token
      const a = run(m, x, b, l, mask);
      const c = run(m, y, b, l, mask);
      // rows 1… of sequence 0 and all of sequence 1 are unchanged; row 0 (the padded query) changes.
      expect(closeReport(c.slice(v), a.slice(v), 1e-6, 1e-6).ratio).toBeLessThanOrEqual(1);
      expect(closeReport(c.slice(0, v), a.slice(0, v), 1e-3, 1e-3).ratio).toBeGreaterThan(1);
      // without the mask, the token at position 0 does reach the other rows.
      expect(
        closeReport(run(m, y, b, l).slice(v, l * v), run(m, x, b, l).slice(v, l * v), 1e-3, 1e-3).ratio,
      ).toBeGreaterThan(1);
    } finally {
      m.dispose();
    }
  });

  it('strict load names missing / unexpected tensors and wrong shapes; forward checks its inputs', () => {
    const m = new LladaModel(small, Rng.seeded(8));
    try {
      const sd: Map<string, StateTensor> = m.params.stateDict();
      const missing = new Map(sd);
      missing.delete('model.transformer.ln_f.weight');
      expect(() => m.load(missing)).toThrow(CheckpointError);
      expect(() => m.load(missing)).toThrow(/ln_f\.weight/);
      const extra = new Map(sd).set('model.transformer.blocks.0.q_proj.bias', {
        shape: [16],
        data: new Float32Array(16),
      });
      expect(() => m.load(extra)).toThrow(/q_proj\.bias/);
      const bad = new Map(sd).set('model.transformer.wte.weight', { shape: [12, 16], data: new Float32Array(12 * 16) });
      expect(() => m.load(bad)).toThrow(/wte\.weight/);
      tf.tidy(() => {
        expect(() => m.forward(tf.tensor2d([[1, 2]], [1, 2], 'float32'))).toThrow(ShapeError);
        expect(() => m.forward(tf.tensor2d([[1, 2]], [1, 2], 'int32'), { attentionMask: tf.ones([1, 3]) })).toThrow(
          ShapeError,
        );
      });
    } finally {
      m.dispose();
    }
  });
});
