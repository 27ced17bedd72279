import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, logsumexp, tf } from '@dlm/core';
import { tokenCrossEntropy } from './token-cross-entropy.ts';
import { fdGradCheck, testValues } from './fd-check.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('tokenCrossEntropy', () => {
  const logits = testValues(2 * 3 * 4, 3).map((v) => 3 * v);
  const ids = { data: Int32Array.of(0, 3, 1, 2, 2, 0), shape: [2, 3] };

  it('is logsumexp(logits) − logits[id] per position', () => {
    const got = tf.tidy(() => tokenCrossEntropy(tf.tensor(logits, [2, 3, 4]), ids).dataSync());
    for (let p = 0; p < 6; p++) {
      const row = Array.from(logits.slice(4 * p, 4 * p + 4));
      expect(got[p]).toBeCloseTo(logsumexp(row) - row[ids.data[p]!]!, 5);
    }
  });

  it('gradient matches finite differences', () => {
    const r = fdGradCheck((x) => tf.sum(tokenCrossEntropy(x, ids)) as tf.Scalar, [{ data: logits, shape: [2, 3, 4] }]);
    expect(r.worst).toBeLessThanOrEqual(0);
  });

  it('rejects ids outside the vocabulary and shape mismatches', () => {
    tf.tidy(() => {
      const x = tf.tensor(logits, [2, 3, 4]);
      expect(() => tokenCrossEntropy(x, { data: Int32Array.of(0, 4, 1, 2, 2, 0), shape: [2, 3] }, 'myloss')).toThrow(
        /myloss: input_ids\[1\].*\[0, 4\)/,
      );
      expect(() => tokenCrossEntropy(x, { data: new Int32Array(4), shape: [2, 2] })).toThrow(/input_ids.*\[2,3\]/);
    });
  });
});
