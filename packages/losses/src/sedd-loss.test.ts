import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, initBackend, Rng, tf, type Nd } from '@dlm/core';
import { absorbingGraph, uniformGraph } from '@dlm/processes';
import { geometric, loglinear } from '@dlm/schedules';
import { seddForward, seddForwardFromRng, seddLoss, seddLossHost, seddTrainingLoss } from './sedd-loss.ts';
import { gradCheck, testLogits } from './testing/grad-check.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const B = 2,
  L = 4,
  D = 6;
const x0: Nd<Int32Array> = { data: Int32Array.from([0, 1, 2, 3, 4, 3, 2, 1]), shape: [B, L] };
const absorbing = absorbingGraph({ dim: D });
const noise = loglinear({ eps: 1e-3 });

describe('SEDD training loss', () => {
  it('noises with t = (1 − eps)u + eps and moves where u < 1 − e^{−σ}', () => {
    const nb = seddForward(
      x0,
      [0.5, 0.25],
      { uniform: [0.1, 0.9, 0.2, 0.6, 0.1, 0.1, 0.3, 0.99] },
      { graph: absorbing, noise },
    );
    expect(nb.t[0]).toBeCloseTo(0.999 * 0.5 + 0.001, 15);
    expect(nb.sigma[0]).toBe(noise.totalNoise(nb.t[0]!));
    expect(nb.dsigma[1]).toBe(noise.rate(nb.t[1]!));
    // move chances ≈ (1 − eps)t = [0.5005, 0.2507]
    expect([...nb.xt.data]).toEqual([5, 1, 5, 3, 5, 5, 2, 1]);
    const a = seddForwardFromRng(x0, Rng.seeded(3), { graph: absorbing, noise });
    const b = seddForwardFromRng(x0, Rng.seeded(3), { graph: absorbing, noise });
    expect([...a.xt.data]).toEqual([...b.xt.data]);
    expect([...a.t]).toEqual([...b.t]);
  });

  it('loss[b] = Σ_l dσ_b·score_entropy; tfjs and float64 host agree; per-position dσ is honoured', () => {
    const g = uniformGraph({ dim: D });
    const s = testLogits(B * L * D, 6);
    const sigma = [0.4, 2.2],
      dsigma = [1.5, 3];
    const xt: Nd<Int32Array> = { data: Int32Array.from([0, 5, 2, 1, 4, 3, 0, 1]), shape: [B, L] };
    const se = g.scoreEntropy({ data: s, shape: [B, L, D] }, sigma, xt, x0).data;
    const expected = [0, 1].map((r) => dsigma[r]! * se.slice(r * L, r * L + L).reduce((a, c) => a + c, 0));
    const got = tf.tidy(() => seddLoss(g, tf.tensor3d(s, [B, L, D]), { sigma, dsigma, xt, x0 }).dataSync());
    const host = seddLossHost(g, { data: s, shape: [B, L, D] }, { sigma, dsigma, xt, x0 });
    for (let r = 0; r < B; r++) {
      expect(host[r]).toBeCloseTo(expected[r]!, 12);
      expect(Math.abs(got[r]! - expected[r]!)).toBeLessThan(1e-4 * Math.abs(expected[r]!));
    }
    const perPos = Float64Array.from({ length: B * L }, (_, p) =>
      p % L === 0 ? 2 * dsigma[Math.floor(p / L)]! : dsigma[Math.floor(p / L)]!,
    );
    const hostPos = seddLossHost(g, { data: s, shape: [B, L, D] }, { sigma, dsigma: perPos, xt, x0 });
    expect(hostPos[0]).toBeCloseTo(expected[0]! + dsigma[0]! * se[0]!, 12);
  });

  it('gradient w.r.t. the log score matches finite differences (uniform graph, geometric noise)', () => {
    const g = uniformGraph({ dim: D });
    const nz = geometric({ sigma_min: 1e-4, sigma_max: 20 });
    const t = [0.3, 0.6];
    const xt: Nd<Int32Array> = { data: Int32Array.from([0, 5, 2, 1, 4, 3, 0, 1]), shape: [B, L] };
    const inp = { sigma: t.map((v) => nz.totalNoise(v)), dsigma: t.map((v) => nz.rate(v)), xt, x0 };
    const { worst } = gradCheck((s) => tf.mean(seddLoss(g, s, inp)) as tf.Scalar, testLogits(B * L * D, 12), [B, L, D]);
    expect(worst).toBeLessThanOrEqual(0);
  });

  it('calls the model once with (x_t, σ) and trains its parameters; leaks no tensors', () => {
    const w = tf.variable(tf.tensor3d(testLogits(B * L * D, 8), [B, L, D]));
    const seen: Float64Array[] = [];
    const model = (_xt: Nd<Int32Array>, sigma: Float64Array) => {
      seen.push(sigma);
      return tf.mul(w, 1) as tf.Tensor3D;
    };
    const before = tf.memory().numTensors;
    const r = seddTrainingLoss(
      model,
      { x0, uniformT: [0.2, 0.7], move: { uniform: new Array(B * L).fill(0.05) } },
      { graph: absorbing, noise },
    );
    expect(seen).toHaveLength(1);
    expect([...seen[0]!]).toEqual([...r.sigma]);
    expect([...r.xt.data]).toEqual(new Array(B * L).fill(5)); // u = 0.05 < move chance everywhere
    expect(r.loss.dataSync()[0]).toBeCloseTo((r.perSequence.dataSync()[0]! + r.perSequence.dataSync()[1]!) / 2, 4);
    r.loss.dispose();
    r.perSequence.dispose();
    const { grads, value } = tf.variableGrads(
      () => seddTrainingLoss(model, { x0, t: [0.2, 0.7], xt: r.xt }, { graph: absorbing, noise }).loss,
    );
    expect(tf.tidy(() => tf.sum(tf.abs(grads[w.name]!)).dataSync()[0]!)).toBeGreaterThan(0);
    value.dispose();
    tf.dispose(grads);
    expect(tf.memory().numTensors).toBe(before);
    w.dispose();
  });

  it('refuses missing times or perturbed batches, naming them', () => {
    const model = () => tf.zeros([B, L, D]) as tf.Tensor3D;
    expect(() => seddTrainingLoss(model, { x0 }, { graph: absorbing, noise })).toThrow(ConfigError);
    expect(() => seddTrainingLoss(model, { x0, t: [0.1, 0.2] }, { graph: absorbing, noise })).toThrow(
      /seddTrainingLoss: xt \/ move/,
    );
    expect(() => seddTrainingLoss(model, { x0, t: [0.1, 1.2], xt: x0 }, { graph: absorbing, noise })).toThrow(
      /seddTrainingLoss: t/,
    );
  });
});
