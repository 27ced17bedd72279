import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf, type Nd } from '@dlm/core';
import { mdlmDiscreteNelboLoss } from './mdlm-nelbo-discrete.ts';
import { mdlmNelboLoss } from './mdlm-nelbo.ts';
import { gradCheck, testLogits } from './testing/grad-check.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const B = 2,
  L = 3,
  V = 4,
  mask = 1; // mask not in the last column
const x0: Nd<Int32Array> = { data: Int32Array.from([0, 2, 3, 3, 0, 2]), shape: [B, L] };
const xt: Nd<Int32Array> = { data: Int32Array.from([mask, 2, mask, mask, mask, 2]), shape: [B, L] };

describe('MDLM discrete-time NELBO (T steps, SUBS)', () => {
  it('under SUBS equals T·(dt/t)·(−log p) = −log p / t at masked tokens, like the continuous loss with weight 1/t', () => {
    const logits = testLogits(B * L * V, 5);
    const t = [0.25, 0.8];
    const [d, c] = tf.tidy(() => {
      const lg = tf.tensor3d(logits, [B, L, V]);
      const dd = mdlmDiscreteNelboLoss(lg, { x0, xt }, t, { maskIndex: mask, T: 100 }).perToken.dataSync();
      const cc = mdlmNelboLoss(
        lg,
        { x0, xt },
        t.map((x) => 1 / x),
        { maskIndex: mask },
      ).perToken.dataSync();
      return [dd, cc];
    });
    for (let i = 0; i < B * L; i++) expect(d[i]!).toBeCloseTo(c[i]!, 4);
    expect(d[1]).toBe(0);
  });

  it('stays finite at t = 1/T, where the reference computes 0·log(0/0 + 1) = NaN', () => {
    const v = tf.tidy(
      () =>
        mdlmDiscreteNelboLoss(tf.tensor3d(testLogits(B * L * V), [B, L, V]), { x0, xt }, [0.01, 0.02], {
          maskIndex: mask,
          T: 100,
        }).loss.dataSync()[0]!,
    );
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThan(0);
  });

  it('gradient matches finite differences', () => {
    const { worst } = gradCheck(
      (lg) => mdlmDiscreteNelboLoss(lg, { x0, xt }, [0.3, 0.6], { maskIndex: mask, T: 10 }).loss,
      testLogits(B * L * V, 13),
      [B, L, V],
    );
    expect(worst).toBeLessThanOrEqual(0);
  });
});
