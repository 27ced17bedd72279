import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, initBackend, tf, type Nd } from '@dlm/core';
import { gatherTargets, subsLogProbs } from './subs.ts';
import { gradCheck, testLogits } from './testing/grad-check.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const B = 2,
  L = 3,
  V = 5;
const xt = (maskIndex: number): Nd<Int32Array> => ({
  data: Int32Array.from([maskIndex, 1, maskIndex, 0, maskIndex, 3]),
  shape: [B, L],
});

describe('SUBS parameterisation', () => {
  for (const maskIndex of [V - 1, 2]) {
    it(`masked rows are a log-softmax with the mask column at −1e6; unmasked rows are one-hot (mask ${maskIndex})`, () => {
      const logits = testLogits(B * L * V);
      const lp = tf.tidy(() => subsLogProbs(tf.tensor3d(logits, [B, L, V]), xt(maskIndex), maskIndex).dataSync());
      const x = xt(maskIndex).data;
      for (let p = 0; p < B * L; p++) {
        const row = Array.from(lp.subarray(p * V, (p + 1) * V));
        if (x[p] === maskIndex) {
          expect(row[maskIndex]!).toBeLessThan(-9.99e5);
          // The other columns: log-softmax of the logits without the mask column.
          const others = [...Array(V).keys()].filter((v) => v !== maskIndex);
          const lse = Math.log(others.reduce((a, v) => a + Math.exp(logits[p * V + v]!), 0));
          for (const v of others) expect(row[v]!).toBeCloseTo(logits[p * V + v]! - lse, 5);
        } else {
          row.forEach((val, v) => expect(val).toBe(v === x[p] ? 0 : -1e6));
        }
      }
    });
  }

  it('is differentiable w.r.t. the logits (finite differences), zero gradient at unmasked rows', () => {
    const logits = testLogits(B * L * V, 7);
    const targets: Nd<Int32Array> = { data: Int32Array.from([0, 1, 3, 0, 2, 3]), shape: [B, L] };
    const { worst, analytic } = gradCheck(
      (lg) => tf.sum(gatherTargets(subsLogProbs(lg, xt(V - 1), V - 1), targets)) as tf.Scalar,
      logits,
      [B, L, V],
    );
    expect(worst).toBeLessThanOrEqual(0);
    expect(Array.from(analytic.subarray(1 * V, 2 * V)).every((g) => g === 0)).toBe(true); // xt[0,1] = 1 is unmasked
    expect(Math.max(...Array.from(analytic).map(Math.abs))).toBeGreaterThan(0.1);
  });

  it('rejects a token id outside [0, V) and a mask index outside the vocabulary', () => {
    const lg = tf.zeros([B, L, V]) as tf.Tensor3D;
    expect(() => subsLogProbs(lg, { data: Int32Array.from([0, 1, 2, 3, 4, 5]), shape: [B, L] }, 4)).toThrow(
      /xt.*\[0, 5\)/,
    );
    expect(() => subsLogProbs(lg, xt(4), 5)).toThrow(ConfigError);
    lg.dispose();
  });

  it('does not leak tensors', () => {
    const lg = tf.tensor3d(testLogits(B * L * V), [B, L, V]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.dispose(subsLogProbs(lg, xt(4), 4));
    expect(tf.memory().numTensors).toBe(before);
    lg.dispose();
  });
});
