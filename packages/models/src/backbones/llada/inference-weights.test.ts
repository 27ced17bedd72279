import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng, ShapeError, initBackend, shutdownBackend, tf } from '@dlm/core';
import { LladaInferenceWeights } from './inference-weights.ts';
import { LladaModel } from './llada.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});
afterAll(async () => {
  await shutdownBackend();
});

describe('LladaInferenceWeights', () => {
  it('the forward with pre-transposed weights equals the plain one; dispose frees every copy', () => {
    const m = new LladaModel(
      { vocabSize: 11, hidden: 16, heads: 4, kvHeads: 2, layers: 2, mlpHidden: 24 },
      Rng.seeded(2),
      0.3,
    );
    try {
      const before = tf.memory().numTensors;
      const w = new LladaInferenceWeights(m.params);
      // q, k, v, attn_out, ff_proj, up_proj, ff_out per layer, and the head: the embedding table stays
      expect(tf.memory().numTensors - before).toBe(2 * 7 + 1);
      const ids = tf.tensor2d(
        Int32Array.from({ length: 14 }, (_, i) => (i * 5) % 11),
        [2, 7],
        'int32',
      );
      const a = tf.tidy(() => m.forward(ids).dataSync() as Float32Array);
      const b = tf.tidy(() => m.forward(ids, { weights: w }).dataSync() as Float32Array);
      const diff = a.reduce((d, v, i) => Math.max(d, Math.abs(v - b[i]!)), 0);
      expect(diff).toBeLessThan(1e-5);
      expect(Math.max(...a.map(Math.abs))).toBeGreaterThan(0.1);
      expect(() => tf.tidy(() => w.project(tf.zeros([2, 5]), 'model.transformer.ff_out.weight'))).toThrow(ShapeError);
      expect(() => tf.tidy(() => w.project(tf.zeros([2, 16]), 'model.transformer.wte.weight'))).toThrow(
        /a 2-D projection/,
      );
      ids.dispose();
      w.dispose();
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      m.dispose();
    }
  });
});
