// The Diffusion-LM family beyond the contract test: fixed embeddings stay fixed, Difformer's anchor loss keeps the
// learned embedding from collapsing (its rows' norms shrink less than without it, same run otherwise), the
// evaluation terms are those of the e2e loss (loss = mse + terminal + rounding CE), and sampling respaces the
// chain to the requested steps (NFE = steps) for both samplers.
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW, Rng, initBackend, tf, type Nd } from '@dlm/core';
import { gradientControl, type GaussianStepState } from '@dlm/samplers';
import { loglinear } from '@dlm/schedules';
import { diffusionLmFamily } from './diffusion-lm.ts';
import { embeddingSamplers } from './samplers.ts';
import { GaussianEmbeddingProcess } from '@dlm/processes';

const V = 12,
  L = 8;
const model = {
  name: 'embedding-transformer',
  hidden_dim: 8,
  hidden_t_dim: 8,
  seq_len: L,
  hidden_size: 16,
  num_hidden_layers: 1,
  num_attention_heads: 2,
  dropout: 0,
  attention_probs_dropout_prob: 0,
};
const build = (family: Record<string, unknown>, v = V) =>
  diffusionLmFamily.build({
    family: { diffusion_steps: 100, ...family },
    model,
    noise: loglinear({ eps: 1e-3 }),
    vocab: { size: v, bosId: v - 2, eosId: v - 1 },
    rng: Rng.seeded(4),
  });
const ids: Nd<Int32Array> = { data: Int32Array.from({ length: 4 * L }, (_, i) => (i * 5) % 10), shape: [4, L] };
const meanNorm = (w: tf.Tensor) => tf.tidy(() => tf.mean(tf.sqrt(tf.sum(tf.square(w), 1))).dataSync()[0]!);

function trainSteps(m: ReturnType<typeof build>, batches: readonly { ids: Nd<Int32Array> }[]): void {
  const opt = new AdamW(m.params.trainable(), { lr: 1e-2, weightDecay: 0 });
  for (let s = 0; s < batches.length; s++) {
    const { value, grads } = m.params.valueAndGrads(() => m.trainLoss(batches[s]!, Rng.seeded(100 + s)));
    opt.step(grads);
    value.dispose();
    for (const g of grads.values()) g.dispose();
  }
}

describe('diffusion-lm family', () => {
  beforeAll(() => initBackend({ backend: 'cpu', log: () => {} }));

  it('anchor_loss_weight: the embedding rows end farther apart than without it (same run otherwise)', () => {
    // Random tokens (the denoiser cannot predict x0 at high t, so mse presses E towards 0); 32 of 40 ids per batch.
    const rng = Rng.seeded(21);
    const batches = Array.from({ length: 150 }, () => ({
      ids: { data: Int32Array.from({ length: 8 * L }, () => rng.int(0, 40)), shape: [8, L] } as Nd<Int32Array>,
    }));
    const ratios: number[] = [];
    for (const w of [0, 1]) {
      const m = build({ anchor_loss_weight: w }, 42);
      const E = m.params.get('word_embedding.weight');
      const before = meanNorm(E);
      trainSteps(m, batches);
      ratios.push(meanNorm(E) / before);
      m.dispose();
    }
    // Measured: 1.045 without the anchor, 1.178 with it (mean row norm after / before 150 steps).
    expect(ratios[1]!).toBeGreaterThan(ratios[0]! + 0.1);
  });

  it('learned_embeddings false: E is not trainable and keeps its init', () => {
    const m = build({ learned_embeddings: false });
    expect(m.params.trainable().has('word_embedding.weight')).toBe(false);
    const before = Array.from(m.params.get('word_embedding.weight').dataSync());
    trainSteps(m, [{ ids }, { ids }]);
    expect(Array.from(m.params.get('word_embedding.weight').dataSync())).toEqual(before);
    m.dispose();
  });

  it('evaluation terms: loss = mse + terminal + rounding CE per sequence; rates in [0, 1]', () => {
    const m = build({});
    const t = m.evalTerms!({ ids }, Rng.seeded(9));
    for (let i = 0; i < 4; i++) {
      expect(t['loss']![i]!).toBeCloseTo(t['mse']![i]! + t['terminal']![i]! + t['rounding_ce']![i]!, 5);
      for (const k of ['rounding_error', 'embedding_error']) expect(t[k]![i]! >= 0 && t[k]![i]! <= 1).toBe(true);
    }
    // nll = the same loss × tokens (one draw from the same rng)
    const n = m.nll({ ids }, Rng.seeded(9));
    for (let i = 0; i < 4; i++) expect(n.nats[i]!).toBeCloseTo(t['loss']![i]! * L, 4);
    m.dispose();
  });

  it('samplers respace the chain to the requested steps (NFE = steps); more steps than T is a named error', () => {
    const m = build({});
    for (const sampler of ['ancestral', 'ddim']) {
      const r = m.sample({ num: 2, length: L, steps: 7, sampler, rng: Rng.seeded(1) });
      expect(r.nfe).toBe(7);
      expect(r.ids.shape).toEqual([2, L]);
    }
    expect(() => m.sample({ num: 1, length: L, steps: 101, sampler: 'ddim', rng: Rng.seeded(1) })).toThrow(
      /steps.*\[1, 100\]/,
    );
    m.dispose();
  });

  it('embeddingSpace + control: the hook runs after every chain step; a zero-weight control changes nothing', () => {
    const m = build({});
    const space = m.embeddingSpace!();
    expect(space.process.numTimesteps).toBe(100);
    expect(space.embedding.shape).toEqual([V, 8]);
    expect(Array.from(space.embedding.data)).toEqual(
      Array.from(m.params.get('word_embedding.weight').dataSync(), (v) => v),
    );
    // A "classifier" that wants large values in the first embedding coordinate everywhere.
    const nll = (x: tf.Tensor3D) => tf.neg(tf.sum(tf.slice(x, [0, 0, 0], [-1, -1, 1]), [1, 2])) as tf.Tensor1D;
    for (const sampler of ['ancestral', 'ddim']) {
      const req = { num: 3, length: L, steps: 6, sampler };
      const plain = m.sample({ ...req, rng: Rng.seeded(2) });
      const seen: number[] = [];
      const zero = gradientControl({ nll, weight: 0, steps: 3, stepSize: 0.1 });
      const off = m.sample({
        ...req,
        rng: Rng.seeded(2),
        control: (s: GaussianStepState) => (seen.push(s.k), zero(s)),
      });
      expect(Array.from(off.ids.data)).toEqual(Array.from(plain.ids.data));
      expect(seen).toEqual([5, 4, 3, 2, 1, 0]);
      const on = m.sample({
        ...req,
        rng: Rng.seeded(2),
        control: gradientControl({ nll, weight: 1e3, steps: 3, stepSize: 1 }),
      });
      expect(Array.from(on.ids.data)).not.toEqual(Array.from(plain.ids.data));
    }
    m.dispose();
  });
  it("AR-Diffusion's loop has no step control: asking for both is a named error", () => {
    const process = GaussianEmbeddingProcess.named('sqrt', 20);
    const req = {
      process,
      shape: [1, 4, 2] as const,
      model: (x: Nd) => x,
      rng: Rng.seeded(1),
      steps: 4,
      embedding: { data: Float64Array.of(1, 0, 0, 1), shape: [2, 2] },
      clamp: 'none' as const,
      clampStep: 0,
      clampFirst: true,
      sigmaSmall: false,
      eta: 0,
      time: { name: 'ar-diffusion' as const, endPointScale: 2 },
      control: (s: GaussianStepState) => s.sample,
    };
    for (const name of ['ancestral', 'ddim'])
      expect(() => embeddingSamplers.get(name).run(req)).toThrow(/control.*AR-Diffusion/s);
  });
});
