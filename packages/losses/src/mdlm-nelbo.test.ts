import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, Rng, tf, type Nd } from '@dlm/core';
import { mdlmForward, mdlmForwardFromRng, mdlmNelboLoss, nelboWeights } from './mdlm-nelbo.ts';
import { loglinear as loglinearSchedule } from '@dlm/schedules';
import { gradCheck, testLogits } from './testing/grad-check.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

// Log-linear schedule written out here as an independent oracle: σ = −log(1 − (1−ε)t).
const eps = 1e-3;
const loglinear = loglinearSchedule({ eps });
const B = 2,
  L = 4,
  V = 5,
  mask = V - 1;
const x0: Nd<Int32Array> = { data: Int32Array.from([0, 1, 2, 3, 3, 2, 1, 0]), shape: [B, L] };

describe('MDLM continuous NELBO', () => {
  it('noises with move chance 1 − e^{−σ(t)} and conditions the backbone on zeros by default', () => {
    const nb = mdlmForward(x0, [0.3, 0.3], [0.1, 0.9, 0.5, 0.2, 0.1, 0.7, 0.8, 0.9], {
      maskIndex: mask,
      noise: loglinear,
      antithetic: true,
      eps,
    });
    // antithetic: e = [0.15, 0.65] → t = (1−ε)e + ε
    expect(nb.t[0]).toBeCloseTo(0.999 * 0.15 + 0.001, 14);
    expect(nb.moveChance[1]).toBeCloseTo(0.999 * nb.t[1]!, 12); // log-linear: 1 − e^{−σ} = (1−ε)t
    expect(Array.from(nb.xt.data)).toEqual([mask, 1, 2, 3, mask, 2, 1, 0]); // u < mc ≈ [0.151, 0.650]
    expect(Array.from(nb.conditioning)).toEqual([0, 0]);
    expect(nelboWeights(nb.sigma, nb.dsigma)[0]).toBeCloseTo(1 / nb.t[0]!, 10); // log-linear weight = 1/t
  });

  it('equals −Σ log p(x0)/t over masked tokens / Σ attention (float64 oracle)', () => {
    const logits = testLogits(B * L * V, 3);
    const xt: Nd<Int32Array> = { data: Int32Array.from([mask, 1, mask, 3, mask, mask, 1, mask]), shape: [B, L] };
    const t = [0.2, 0.7];
    const attn = [1, 1, 1, 1, 1, 1, 1, 0];
    const w = nelboWeights(t.map(loglinear.totalNoise), t.map(loglinear.rate));
    const [loss, perToken] = tf.tidy(() => {
      const r = mdlmNelboLoss(tf.tensor3d(logits, [B, L, V]), { x0, xt, attentionMask: attn }, w, { maskIndex: mask });
      return [r.loss.dataSync()[0]!, r.perToken.dataSync()];
    });
    let sum = 0;
    for (let p = 0; p < B * L; p++) {
      let expected = 0;
      if (xt.data[p] === mask && attn[p]) {
        let z = 0;
        for (let v = 0; v < V - 1; v++) z += Math.exp(logits[p * V + v]!);
        expected = -(logits[p * V + x0.data[p]!]! - Math.log(z)) / t[Math.floor(p / L)]!;
      }
      expect(perToken[p]!).toBeCloseTo(expected, 4);
      sum += expected;
    }
    expect(loss).toBeCloseTo(sum / 7, 4);
  });

  it('gradient matches finite differences', () => {
    const xt: Nd<Int32Array> = { data: Int32Array.from([mask, 1, mask, 3, mask, mask, 1, mask]), shape: [B, L] };
    const { worst } = gradCheck(
      (lg) => mdlmNelboLoss(lg, { x0, xt }, [1 / 0.2, 1 / 0.7], { maskIndex: mask }).loss,
      testLogits(B * L * V, 11),
      [B, L, V],
    );
    expect(worst).toBeLessThanOrEqual(0);
  });

  it('draws reproducibly from an Rng and does not leak tensors', () => {
    const draw = (seed: number) => {
      const r = Rng.seeded(seed);
      return mdlmForward(x0, r.uniforms(B), r.uniforms(B * L), { maskIndex: mask, noise: loglinear });
    };
    expect(Array.from(draw(5).xt.data)).toEqual(Array.from(draw(5).xt.data));
    const viaRng = (seed: number) =>
      Array.from(mdlmForwardFromRng(x0, Rng.seeded(seed), { maskIndex: mask, noise: loglinear }).t);
    expect(viaRng(8)).toEqual(viaRng(8));
    expect(viaRng(8)).not.toEqual(viaRng(9));
    const lg = tf.tensor3d(testLogits(B * L * V), [B, L, V]);
    const before = tf.memory().numTensors;
    const nb = draw(5);
    for (let i = 0; i < 3; i++)
      tf.dispose(
        Object.values(mdlmNelboLoss(lg, { x0, xt: nb.xt }, nelboWeights(nb.sigma, nb.dsigma), { maskIndex: mask })),
      );
    expect(tf.memory().numTensors).toBe(before);
    lg.dispose();
  });
});
