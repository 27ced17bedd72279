import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Rng, initBackend, logsumexp, tf, type Nd } from '@dlm/core';
import { loglinear } from '@dlm/schedules';
import { buildBackbone } from '../../backbones/registry.ts';
import { buildLlada, lladaFamily } from './llada.ts';

const V = 10,
  MASK = 9,
  L = 8,
  EPS = 1e-3;
const model = { name: 'llada', d_model: 16, n_heads: 2, n_layers: 1, mlp_hidden_size: 32, max_sequence_length: L };
const build = (family: Record<string, unknown> = {}, m: typeof model | Record<string, unknown> = model) =>
  buildLlada({
    family,
    model: m as typeof model,
    noise: loglinear({ eps: 1e-3 }),
    vocab: { size: V, maskId: MASK, eosId: 8 },
    rng: Rng.seeded(3),
  });
// The same weights as build(): the family draws its backbone from rng.split('init').
const net = () =>
  buildBackbone(model, {
    family: 'llada',
    accepted: ['llada'],
    vocabSize: V,
    timeConditioning: false,
    rng: Rng.seeded(3).split('init'),
  });
const logitsOf = (x: Nd<Int32Array>): Float32Array => {
  const n = net();
  const out = tf.tidy(() =>
    n.forward(tf.tensor2d(x.data, x.shape as [number, number], 'int32'), tf.zeros([x.shape[0]!])).dataSync(),
  );
  n.dispose();
  return out as Float32Array;
};
const ce = (lg: ArrayLike<number>, i: number, target: number) =>
  logsumexp(lg, i * V, (i + 1) * V) - lg[i * V + target]!;
const ids: Nd<Int32Array> = { data: Int32Array.from({ length: 3 * L }, (_, i) => (i * 7) % 8), shape: [3, L] };

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

/** GUIDELINES.md pre-training loss by hand, with the draws of lladaTrainForwardFromRng. */
function handPretrainLoss(x: Nd<Int32Array>, rng: Rng): number {
  const [b, l] = x.shape as [number, number];
  const t = rng.split('t').uniforms(b),
    u = rng.split('mask').uniforms(b * l);
  const p = Array.from(t, (v) => (1 - EPS) * v + EPS);
  const noisy = Int32Array.from(x.data, (v, i) => (u[i]! < p[Math.floor(i / l)]! ? MASK : v));
  const lg = logitsOf({ data: noisy, shape: [b, l] });
  let sum = 0;
  for (let i = 0; i < b * l; i++) if (noisy[i] === MASK) sum += ce(lg, i, x.data[i]!) / p[Math.floor(i / l)]!;
  return sum / (b * l);
}

describe('LLaDA family', () => {
  it('pre-training loss = Σ CE/p_mask over masked tokens ÷ (B·L)', () => {
    const m = build({ random_length_prob: 0 });
    const got = tf.tidy(() => m.trainLoss({ ids }, Rng.seeded(1)).dataSync()[0]!);
    expect(got).toBeCloseTo(handPretrainLoss(ids, Rng.seeded(1)), 4);
    m.dispose();
  });

  it('pre-training with padding: padding is never masked and the loss ÷ the real tokens', () => {
    const m = build({ random_length_prob: 0 });
    // rows 2, 3: 3 pads
    const att = Uint8Array.from({ length: 3 * L }, (_, i) => (i % L < L - (i < L ? 0 : 3) ? 1 : 0));
    const rng = Rng.seeded(12);
    const got = tf.tidy(() => m.trainLoss({ ids, attention: { data: att, shape: [3, L] } }, rng).dataSync()[0]!);
    const t = rng.split('t').uniforms(3),
      u = rng.split('mask').uniforms(3 * L);
    const p = Array.from(t, (v) => (1 - EPS) * v + EPS);
    const noisy = Int32Array.from(ids.data, (v, i) => (att[i] && u[i]! < p[Math.floor(i / L)]! ? MASK : v));
    const lg = logitsOf({ data: noisy, shape: [3, L] });
    let sum = 0;
    for (let i = 0; i < 3 * L; i++) if (noisy[i] === MASK) sum += ce(lg, i, ids.data[i]!) / p[Math.floor(i / L)]!;
    expect(got).toBeCloseTo(sum / (3 * L - 6), 4);
    m.dispose();
  });

  it('random_length_prob 1 crops every batch to a length drawn in [1, L]', () => {
    const m = build({ random_length_prob: 1 });
    const rng = Rng.seeded(4);
    const cut = rng.split('random-length-cut').int(1, L + 1);
    const cropped = {
      data: Int32Array.from({ length: 3 * cut }, (_, i) => ids.data[Math.floor(i / cut) * L + (i % cut)]!),
      shape: [3, cut],
    };
    const got = tf.tidy(() => m.trainLoss({ ids }, rng).dataSync()[0]!);
    expect(cut).toBeLessThan(L); // seed 4 draws a real cut
    expect(got).toBeCloseTo(handPretrainLoss(cropped, Rng.seeded(4)), 4);
    m.dispose();
  });

  it('nll: one MC draw of LLaDA bound, k of T targets masked and weighted T/k, per sequence', () => {
    const m = build();
    const draw = m.nll({ ids }, Rng.seeded(6));
    expect([...draw.tokens]).toEqual([L, L, L]);
    const rng = Rng.seeded(6);
    const kr = rng.split('k'),
      pr = rng.split('perm');
    const noisy = Int32Array.from(ids.data);
    const ks: number[] = [];
    for (let r = 0; r < 3; r++) {
      const k = kr.int(1, L + 1),
        perm = pr.permutation(L);
      ks.push(k);
      for (let j = 0; j < L; j++) if (perm[j]! < k) noisy[r * L + j] = MASK;
    }
    const lg = logitsOf({ data: noisy, shape: [3, L] });
    for (let r = 0; r < 3; r++) {
      let want = 0;
      for (let j = 0; j < L; j++)
        if (noisy[r * L + j] === MASK) want += ce(lg, r * L + j, ids.data[r * L + j]!) * (L / ks[r]!);
      expect(draw.nats[r]!).toBeCloseTo(want, 4);
      expect(draw.nats[r]!).toBeGreaterThan(0);
    }
    m.dispose();
  });

  it('SFT: prompt never masked; each row ÷ its answer length; the bound scores the answer only', () => {
    const m = build({ objective: 'sft' });
    const prompt = [3, 5, 2]; // prompt lengths per row
    const promptMask = {
      data: Uint8Array.from({ length: 3 * L }, (_, i) => (i % L < prompt[Math.floor(i / L)]! ? 1 : 0)),
      shape: [3, L],
    };
    const rng = Rng.seeded(8);
    const got = tf.tidy(() => m.trainLoss({ ids, promptMask }, rng).dataSync()[0]!);
    const t = rng.split('t').uniforms(3),
      u = rng.split('mask').uniforms(3 * L);
    const p = Array.from(t, (v) => (1 - EPS) * v + EPS);
    const noisy = Int32Array.from(ids.data, (v, i) =>
      !promptMask.data[i] && u[i]! < p[Math.floor(i / L)]! ? MASK : v,
    );
    const lg = logitsOf({ data: noisy, shape: [3, L] });
    let want = 0;
    for (let i = 0; i < 3 * L; i++) {
      const r = Math.floor(i / L);
      if (noisy[i] === MASK) want += ce(lg, i, ids.data[i]!) / p[r]! / (L - prompt[r]!);
    }
    expect(got).toBeCloseTo(want / 3, 4);
    const draw = m.nll({ ids, promptMask }, Rng.seeded(2));
    expect([...draw.tokens]).toEqual(prompt.map((p) => L - p));
    expect(() => m.trainLoss({ ids }, Rng.seeded(1))).toThrow(ConfigError); // sft needs a promptMask
    m.dispose();
    const pre = build();
    expect(() => pre.nll({ ids, promptMask }, Rng.seeded(1))).toThrow(/objective/);
    pre.dispose();
  });

  it('samples: ids of the vocabulary, NFE = steps, semi-AR blocks, same seed → same ids', () => {
    const m = build({ block_length: 4, temperature: 1 });
    for (const sampler of lladaFamily.samplers.names()) {
      const calls: number[] = [];
      const r = m.sample({
        num: 2,
        length: L,
        steps: L,
        sampler,
        rng: Rng.seeded(5),
        onStep: (_s, nfe) => calls.push(nfe),
      });
      expect(r.ids.shape).toEqual([2, L]);
      expect(r.nfe).toBe(L);
      expect(calls).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      // In the vocabulary (an untrained predictor may propose the mask id; generate.py keeps it too).
      expect([...r.ids.data].every((x) => x >= 0 && x < V)).toBe(true);
      expect([...m.sample({ num: 2, length: L, steps: L, sampler, rng: Rng.seeded(5) }).ids.data]).toEqual([
        ...r.ids.data,
      ]);
    }
    expect(() => m.sample({ num: 1, length: 2 * L, steps: 4, sampler: 'random', rng: Rng.seeded(1) })).toThrow(
      /sampling.length/,
    );
    expect(() => m.sample({ num: 1, length: 6, steps: 4, sampler: 'random', rng: Rng.seeded(1) })).toThrow(
      /blockLength/,
    );
    m.dispose();
  });

  it('generate keeps the prompt, fills genLength masks, and honours a left-padding attention mask', () => {
    const m = build();
    const prompt = { data: Int32Array.from([8, 1, 2, 3, 8, 8, 4, 5]), shape: [2, 4] };
    const attention = { data: Int32Array.from([1, 1, 1, 1, 0, 0, 1, 1]), shape: [2, 4] };
    const req = {
      prompt,
      genLength: 4,
      steps: 4,
      blockLength: 2,
      temperature: 0,
      remasking: 'low_confidence',
      cfgScale: 0,
      rng: Rng.seeded(1),
    };
    const a = m.generate!(req);
    expect(a.ids.shape).toEqual([2, 8]);
    expect(a.nfe).toBe(4);
    expect([...a.ids.data.slice(0, 4)]).toEqual([8, 1, 2, 3]);
    const b = m.generate!({ ...req, attention, cfgScale: 1 });
    expect(b.nfe).toBe(4);
    expect([...b.ids.data.slice(8, 12)]).toEqual([8, 8, 4, 5]);
    expect([...b.ids.data.slice(0, 4)]).toEqual([8, 1, 2, 3]);
    m.dispose();
  });

  it('builds on a DiT without time conditioning; refuses a vocabulary without a mask', () => {
    const dit = { name: 'dit', hidden_size: 16, cond_dim: 8, n_heads: 2, n_blocks: 1, length: L, dropout: 0 };
    const m = build({}, dit);
    expect(Number.isFinite(tf.tidy(() => m.trainLoss({ ids }, Rng.seeded(1)).dataSync()[0]!))).toBe(true);
    m.dispose();
    const noMask = () =>
      buildLlada({ family: {}, model, noise: loglinear({ eps: 1e-3 }), vocab: { size: V }, rng: Rng.seeded(1) });
    expect(noMask).toThrow(/vocab.maskId/);
  });
});
