// gradientControl: the exact signed Adagrad step on λ·NLL + fluency, the off switches (λ = 0, K = 0, k below
// skipBelow) and, through both loops, that a zero weight reproduces the uncontrolled samples bit for bit while a
// positive weight moves them towards the attribute.
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Rng, initBackend, tf, type Nd } from '@dlm/core';
import { GaussianEmbeddingProcess } from '@dlm/processes';
import { gaussianDdimLoop } from './ddim.ts';
import { gradientControl } from './gradient-control.ts';
import type { GaussianStepState, HostDenoiser } from './loop-common.ts';
import { gaussianSampleLoop } from './p-sample-loop.ts';

const B = 2,
  L = 3,
  D = 2;
const shape = [B, L, D] as const;
// A linear "classifier": −log p(c | x) = −a·Σ_{l,d} x per row, so ∂nll_b/∂x = −a everywhere.
const linearNll = (a: number) => (x: tf.Tensor3D) => tf.mul(tf.sum(x, [1, 2]), -a) as tf.Tensor1D;
// A logistic one: p(c | x) = sigmoid(Σ x), −log p = softplus(−Σ x) per row.
const logisticNll = (x: tf.Tensor3D) => tf.softplus(tf.neg(tf.sum(x, [1, 2]))) as tf.Tensor1D;
const state = (over: Partial<GaussianStepState> = {}): GaussianStepState => ({
  k: 5,
  numSteps: 10,
  sample: { data: Float64Array.from({ length: B * L * D }, (_, i) => 0.1 * i - 0.5), shape: [...shape] },
  mean: { data: new Float64Array(B * L * D).fill(0), shape: [...shape] },
  sigma: Float64Array.of(0.5, 0),
  timestep: 7,
  ...over,
});
const denoiser: HostDenoiser = (x) => ({ data: x.data.map((v) => 0.5 * Math.tanh(v)), shape: x.shape });

describe('gradientControl', () => {
  beforeAll(() => initBackend({ backend: 'cpu', log: () => {} }));

  it('one step: x − lr·g/(|g| + 1e-10) with g = (λ·∂nll/∂x + 2(x − μ)/σ′)/B, σ′ = 1 where σ = 0', () => {
    const s = state();
    const lam = 3,
      lr = 0.1;
    const seen: number[] = [];
    const ctl = gradientControl({
      nll: (x, t) => {
        seen.push(t);
        return linearNll(1)(x);
      },
      weight: lam,
      steps: 1,
      stepSize: lr,
    });
    const out = ctl(s);
    const n = L * D;
    for (let j = 0; j < B * n; j++) {
      const x = s.sample.data[j]!;
      const sig = j < n ? 0.5 : 1;
      const g = (lam * -1 + (2 * x) / sig) / B;
      expect(out.data[j]).toBeCloseTo(x - (lr * g) / (Math.abs(g) + 1e-10), 12);
    }
    // Row 0 (σ = 0.5): x = −0.5 … 0.0 → g < 0 everywhere → +lr; row 1 (σ′ = 1): x = 0.1 … 0.6 ≥ 0.1 → g < 0
    // only where 2x < 3, i.e. everywhere here.
    expect(Array.from(out.data, (v, j) => Math.round((v - s.sample.data[j]!) * 10) / 10)).toEqual(
      new Array(B * n).fill(0.1),
    );
    // The classifier saw the sample's timestep, once (no onStep: no extra evaluation).
    expect(seen).toEqual([7]);
  });

  it('K steps lower the classifier NLL; onStep reports it before and after', () => {
    const infos: { nllBefore: number; nllAfter: number }[] = [];
    const ctl = gradientControl({
      nll: logisticNll,
      weight: 100,
      steps: 3,
      stepSize: 0.1,
      onStep: (i) => infos.push(i),
    });
    const s = state();
    const out = ctl(s);
    expect(infos).toHaveLength(1);
    // Σx per row rises by 3·0.1·6 = 1.8 (every element steps up: λ dominates the fluency pull).
    const sum = (d: ArrayLike<number>, b: number) =>
      Array.from(d)
        .slice(b * 6, b * 6 + 6)
        .reduce((a, v) => a + v, 0);
    for (const b of [0, 1]) expect(sum(out.data, b) - sum(s.sample.data, b)).toBeCloseTo(1.8, 9);
    expect(infos[0]!.nllAfter).toBeLessThan(infos[0]!.nllBefore - 0.5);
  });

  it('λ = 0, K = 0 and k < skipBelow return the sample unchanged; bad options are named errors', () => {
    const s = state();
    expect(gradientControl({ nll: logisticNll, weight: 0, steps: 3, stepSize: 0.1 })(s)).toBe(s.sample);
    expect(gradientControl({ nll: logisticNll, weight: 5, steps: 0, stepSize: 0.1 })(s)).toBe(s.sample);
    const skip = gradientControl({ nll: logisticNll, weight: 5, steps: 3, stepSize: 0.1, skipBelow: 6 });
    expect(skip(s)).toBe(s.sample);
    expect(skip(state({ k: 6 }))).not.toBe(s.sample);
    const bad = (o: Partial<Parameters<typeof gradientControl>[0]>, re: RegExp) => {
      const f = () => gradientControl({ nll: logisticNll, weight: 1, steps: 1, stepSize: 0.1, ...o });
      expect(f).toThrow(ConfigError);
      expect(f).toThrow(re);
    };
    bad({ weight: -1 }, /weight/);
    bad({ steps: 1.5 }, /steps/);
    bad({ stepSize: 0 }, /stepSize/);
    bad({ skipBelow: -2 }, /skipBelow/);
  });

  it('no tensor leaks across controlled steps', () => {
    const ctl = gradientControl({ nll: logisticNll, weight: 10, steps: 2, stepSize: 0.1 });
    ctl(state());
    const before = tf.memory().numTensors;
    ctl(state());
    ctl(state());
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the loops with a step control', () => {
  beforeAll(() => initBackend({ backend: 'cpu', log: () => {} }));
  const p = GaussianEmbeddingProcess.named('sqrt', 40);
  const loops = {
    ancestral: (control?: ReturnType<typeof gradientControl>, onState?: (s: GaussianStepState) => void) =>
      gaussianSampleLoop(p, {
        shape,
        model: denoiser,
        rng: Rng.seeded(11),
        respacing: [8],
        ...(control ? { control: (s) => (onState?.(s), control(s)) } : {}),
      }).sample,
    ddim: (control?: ReturnType<typeof gradientControl>, onState?: (s: GaussianStepState) => void) =>
      gaussianDdimLoop(p, {
        shape,
        model: denoiser,
        rng: Rng.seeded(11),
        respacing: [8],
        eta: 0,
        ...(control ? { control: (s) => (onState?.(s), control(s)) } : {}),
      }).sample,
  };
  const sumOf = (x: Nd) => x.data.reduce((a, v) => a + v, 0);

  for (const [name, run] of Object.entries(loops)) {
    it(`${name}: weight 0 gives the uncontrolled samples exactly; weight > 0 raises Σx; the hook sees k, t, σ`, () => {
      const plain = run();
      const states: GaussianStepState[] = [];
      const zero = run(gradientControl({ nll: logisticNll, weight: 0, steps: 3, stepSize: 0.1 }), (s) =>
        states.push(s),
      );
      expect(Array.from(zero.data)).toEqual(Array.from(plain.data));
      // Respaced to 8 of 40 steps (kept timesteps 0, 6, 11, 17, 22, 28, 33, 39): k = 7 … 0, each sample's timestep
      // is the kept predecessor's, and x_0's is 0.
      expect(states.map((s) => s.k)).toEqual([7, 6, 5, 4, 3, 2, 1, 0]);
      expect(states.map((s) => s.timestep)).toEqual([33, 28, 22, 17, 11, 6, 0, 0]);
      expect(states.every((s) => s.numSteps === 8)).toBe(true);
      if (name === 'ddim') expect(states.every((s) => s.sigma.every((v) => v === 0))).toBe(true);
      else expect(states[0]!.sigma.every((v) => v > 0.05)).toBe(true);
      const steered = run(gradientControl({ nll: logisticNll, weight: 100, steps: 3, stepSize: 0.1 }));
      expect(sumOf(steered)).toBeGreaterThan(sumOf(plain) + 1);
    });
  }
});
