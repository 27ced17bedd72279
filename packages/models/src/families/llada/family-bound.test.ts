// The llada family's nll (one draw per sequence, @dlm/models) is LLaDA's Monte-Carlo estimator of
// ./mc-loglik.ts with mc_num = batch_size = 1: same draws (rngLikelihoodDraws' 'k' / 'perm' streams),
// same number, for a whole sequence (empty prompt) and for an SFT row (prompt mask = the prompt).
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng, initBackend, tf, type Nd } from '@dlm/core';
import { buildBackbone } from '../../backbones/registry.ts';
import { buildLlada } from './llada.ts';
import { loglinear } from '@dlm/schedules';
import { rngLikelihoodDraws } from './forward-process.ts';
import { mcConditionalLogLikelihood } from './mc-loglik.ts';

const V = 10,
  MASK = 9,
  L = 8;
const model = { name: 'llada', d_model: 16, n_heads: 2, n_layers: 1, mlp_hidden_size: 32, max_sequence_length: L };
const ids = [3, 1, 4, 1, 5, 2, 6, 5];

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('llada family nll = mcConditionalLogLikelihood with mcNum 1', () => {
  it.each([0, 3])('prompt length %i', (p) => {
    const family = p ? { objective: 'sft' } : {};
    const m = buildLlada({
      family,
      model,
      noise: loglinear({ eps: 1e-3 }),
      vocab: { size: V, maskId: MASK },
      rng: Rng.seeded(2),
    });
    const batch = {
      ids: { data: Int32Array.from(ids), shape: [1, L] },
      ...(p ? { promptMask: { data: Uint8Array.from(ids, (_, j) => (j < p ? 1 : 0)), shape: [1, L] } } : {}),
    };
    const draw = m.nll(batch, Rng.seeded(7));
    // The family's network (it draws its weights from rng.split('init')).
    const net = buildBackbone(model, {
      family: 'llada',
      accepted: ['llada'],
      vocabSize: V,
      timeConditioning: false,
      rng: Rng.seeded(2).split('init'),
    });
    const logits = (x: Nd<Int32Array>) =>
      tf.tidy(
        () =>
          net
            .forward(tf.tensor2d(x.data, x.shape as [number, number], 'int32'), tf.zeros([x.shape[0]!]))
            .dataSync() as Float32Array,
      );
    const opts = { mcNum: 1, batchSize: 1, maskId: MASK, vocabSize: V };
    const r = mcConditionalLogLikelihood(
      logits,
      ids.slice(0, p),
      ids.slice(p),
      opts,
      rngLikelihoodDraws(Rng.seeded(7)),
    );
    expect(draw.tokens[0]).toBe(L - p);
    expect(draw.nats[0]!).toBeGreaterThan(0);
    expect(draw.nats[0]!).toBeCloseTo(-r.logLikelihood, 4);
    net.dispose();
    m.dispose();
  });
});
