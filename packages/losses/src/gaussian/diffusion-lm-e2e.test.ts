import { beforeAll, describe, expect, it } from 'vitest';
import { Rng, initBackend, logsumexp, tf, tensorCountDelta, type Nd } from '@dlm/core';
import { GaussianEmbeddingProcess, embedTokens } from '@dlm/processes';
import { diffusionLmE2eLoss } from './diffusion-lm-e2e.ts';
import { fdGradCheck, testValues } from './fd-check.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

// Tiny problem: B = 2, L = 3, D = 2, V = 4, T = 10.
const B = 2,
  L = 3,
  D = 2,
  V = 4;
const p = GaussianEmbeddingProcess.named('sqrt', 10);
const E = testValues(V * D, 1);
const bias = testValues(V, 2);
const W = testValues(D * D, 3); // the denoiser: x̂₀ = x_t·W
const eps0 = testValues(B * L * D, 4);
const eps = testValues(B * L * D, 5);
const inputIds = { data: Int32Array.of(0, 3, 1, 2, 2, 0), shape: [B, L] };

const linearModel =
  (w: tf.Tensor) =>
  (xt: tf.Tensor): tf.Tensor =>
    tf.reshape(tf.matMul(tf.reshape(xt, [-1, D]), w), xt.shape);
const f64 = (a: Float32Array, shape: number[]): Nd => ({ data: Float64Array.from(a), shape });

/** The same objective on the host in float64 (x̂₀ = x_t·W), term by term; t [B] or [B, L] (per position). */
function hostTerms(t: number[]) {
  const tAt = (pos: number) => (t.length === B ? t[Math.floor(pos / L)]! : t[pos]!);
  const xsm = embedTokens(inputIds, f64(E, [V, D]));
  const std = Math.fround(p.schedule.tables.sqrtOneMinusAlphasCumprod[0]!);
  const xs = { data: xsm.data.map((v, i) => v + std * eps0[i]!), shape: xsm.shape };
  const xt = p.qSample(xs, t, f64(eps, [B, L, D]));
  const out = xt.data.map((_, i) => {
    const pos = Math.floor(i / D),
      d = i % D;
    return xt.data[pos * D]! * W[d]! + xt.data[pos * D + 1]! * W[D + d]!;
  });
  const sAc = Math.fround(p.schedule.tables.sqrtAlphasCumprod[9]!);
  const per = (f: (i: number) => number) =>
    Array.from({ length: B }, (_, b) => {
      let s = 0;
      for (let i = b * L * D; i < (b + 1) * L * D; i++) s += f(i);
      return s / (L * D);
    });
  const mse = per((i) => (tAt(Math.floor(i / D)) === 0 ? xsm.data[i]! - out[i]! : xs.data[i]! - out[i]!) ** 2);
  const t0 = per((i) => (xsm.data[i]! - out[i]!) ** 2);
  const tT = per((i) => (sAc * xs.data[i]!) ** 2);
  const nll = Array.from({ length: B }, (_, b) => {
    let s = 0;
    for (let l = 0; l < L; l++) {
      const pos = b * L + l;
      const logits = Array.from(
        { length: V },
        (_, v) => xs.data[pos * D]! * E[v * D]! + xs.data[pos * D + 1]! * E[v * D + 1]! + bias[v]!,
      );
      s += logsumexp(logits) - logits[inputIds.data[pos]!]!;
    }
    return s / L;
  });
  return { mse, t0, tT, nll, loss: mse.map((m, b) => m + nll[b]! + tT[b]!), xt };
}

describe('diffusionLmE2eLoss', () => {
  it('matches the float64 host objective (FLOAT32 tolerance), including the t = 0 replacement', () => {
    for (const t of [
      [0, 6],
      [9, 3],
    ]) {
      const want = hostTerms(t);
      tf.tidy(() => {
        const r = diffusionLmE2eLoss(
          p,
          { embedding: tf.tensor(E, [V, D]), bias: tf.tensor(bias) },
          { inputIds, t, xStartNoise: tf.tensor(eps0, [B, L, D]), noise: tf.tensor(eps, [B, L, D]) },
          linearModel(tf.tensor(W, [D, D])),
        );
        const close = (got: tf.Tensor, exp: ArrayLike<number>) =>
          Array.from(got.dataSync()).forEach((g, i) =>
            expect(Math.abs(g - exp[i]!)).toBeLessThan(1e-5 + 1e-4 * Math.abs(exp[i]!)),
          );
        close(r.mse, want.mse);
        close(r.t0Loss, want.t0);
        close(r.tTLoss, want.tT);
        close(r.decoderNll, want.nll);
        close(r.loss, want.loss);
        close(r.xT, want.xt.data);
        expect(Array.from(r.modelT)).toEqual(t.map((s) => s * 100));
      });
    }
  });

  it('per-position t [B, L]: constant rows give the [B] path bit for bit; mixed rows replace mse per position', () => {
    const head = () => ({ embedding: tf.tensor(E, [V, D]), bias: tf.tensor(bias) });
    const run = (t: number[]) => {
      const seen: number[][] = [];
      const model = (xt: tf.Tensor, modelT: tf.Tensor1D | tf.Tensor2D) => {
        seen.push(modelT.shape);
        return linearModel(tf.tensor(W, [D, D]))(xt);
      };
      return tf.tidy(() => {
        const r = diffusionLmE2eLoss(
          p,
          head(),
          { inputIds, t, xStartNoise: tf.tensor(eps0, [B, L, D]), noise: tf.tensor(eps, [B, L, D]) },
          model,
        );
        const terms = [r.loss, r.mse, r.t0Loss, r.tTLoss, r.decoderNll, r.xT].map((x) => Array.from(x.dataSync()));
        return { terms, modelT: Array.from(r.modelT), seen };
      });
    };
    const row = run([0, 6]);
    const pos = run([0, 0, 0, 6, 6, 6]);
    expect(pos.terms).toEqual(row.terms);
    expect(row.seen).toEqual([[B]]);
    expect(pos.seen).toEqual([[B, L]]);
    expect(pos.modelT).toEqual([0, 0, 0, 600, 600, 600]);
    // AR-Diffusion-like rows: t = 0 on the left of row 0 only.
    const t = [0, 0, 4, 1, 5, 9];
    const want = hostTerms(t);
    const got = run(t).terms;
    const close = (g: number[], exp: ArrayLike<number>) =>
      g.forEach((v, i) => expect(Math.abs(v - exp[i]!)).toBeLessThan(1e-5 + 1e-4 * Math.abs(exp[i]!)));
    close(got[0]!, want.loss);
    close(got[1]!, want.mse);
    close(got[2]!, want.t0);
    close(got[5]!, want.xt.data);
    // Both kinds of position count: row 0's mse lies strictly between its all-t0 and no-t0 values.
    const none = hostTerms([1, 0, 4, 1, 5, 9]).mse[0]!;
    expect(want.mse[0]).not.toBeCloseTo(none, 6);
    expect(want.mse[0]).not.toBeCloseTo(want.t0[0]!, 6);
  });

  it('gradients w.r.t. the embedding, the bias and the denoiser match finite differences (t [B] and [B, L])', () => {
    for (const t of [
      [0, 5],
      [0, 0, 4, 1, 5, 9],
    ]) {
      const f = (e: tf.Tensor, b: tf.Tensor, w: tf.Tensor): tf.Scalar => {
        const r = diffusionLmE2eLoss(
          p,
          { embedding: e, bias: b },
          { inputIds, t, xStartNoise: tf.tensor(eps0, [B, L, D]), noise: tf.tensor(eps, [B, L, D]) },
          linearModel(w),
        );
        return tf.sum(r.loss) as tf.Scalar;
      };
      const res = fdGradCheck(f, [
        { data: E, shape: [V, D] },
        { data: bias, shape: [V] },
        { data: W, shape: [D, D] },
      ]);
      expect(res.worst).toBeLessThanOrEqual(0);
      expect(Math.max(...res.analytic[0]!.map(Math.abs))).toBeGreaterThan(1e-3); // the embedding gets a gradient
    }
  });

  it('draws missing noise from the rng deterministically and does not leak', () => {
    const run = (seed: number) =>
      tf.tidy(() =>
        diffusionLmE2eLoss(
          p,
          { embedding: tf.tensor(E, [V, D]) },
          { inputIds, t: [1, 2], rng: Rng.seeded(seed) },
          linearModel(tf.tensor(W, [D, D])),
        ).loss.dataSync(),
      );
    expect(Array.from(run(7))).toEqual(Array.from(run(7)));
    expect(Array.from(run(7))).not.toEqual(Array.from(run(8)));
    const e = tf.tensor(E, [V, D]),
      w = tf.tensor(W, [D, D]);
    expect(
      tensorCountDelta(() =>
        tf.tidy(() => {
          diffusionLmE2eLoss(p, { embedding: e }, { inputIds, t: [1, 2], rng: Rng.seeded(1) }, linearModel(w));
        }),
      ),
    ).toBe(0);
    tf.dispose([e, w]);
  });

  it('rejects bad timesteps, ids outside the vocabulary and mismatched widths', () => {
    tf.tidy(() => {
      const head = { embedding: tf.tensor(E, [V, D]) };
      const model = linearModel(tf.tensor(W, [D, D]));
      const noise = { xStartNoise: tf.tensor(eps0, [B, L, D]), noise: tf.tensor(eps, [B, L, D]) };
      expect(() => diffusionLmE2eLoss(p, head, { inputIds, t: [0, 10], ...noise }, model)).toThrow(
        /diffusionLmE2eLoss: t\[1\].*\[0, 10\)/,
      );
      expect(() =>
        diffusionLmE2eLoss(
          p,
          head,
          { inputIds: { data: Int32Array.of(0, 4, 1, 2, 2, 0), shape: [B, L] }, t: [0, 1], ...noise },
          model,
        ),
      ).toThrow(/diffusionLmE2eLoss: input_ids\[1\].*\[0, 4\)/);
      expect(() =>
        diffusionLmE2eLoss(
          p,
          head,
          { inputIds, t: [0, 1], xStartNoise: tf.zeros([B, L, 3]), noise: noise.noise },
          model,
        ),
      ).toThrow(/diffusionLmE2eLoss: x_start_noise.*\[2,3,2\]/);
      expect(() => diffusionLmE2eLoss(p, head, { inputIds, t: [0, 1] }, model)).toThrow(/x_start_noise.*or an rng/);
    });
  });
});
