// A tiny family for runner tests: a unigram model p(v) = softmax(w)[v] whose training loss
// drops a random subset of positions (so it consumes its Rng like a diffusion loss does).
import { ParamStore, Rng, sampleCategorical, tf } from '@dlm/core';
import type { FamilyModel, NllDraw, SampleRequest, SampleResult, TokenBatch } from '@dlm/models';

export function toyFamily(vocab: number, seed = 0, opts: { poisonAtCall?: number } = {}): FamilyModel {
  const params = new ParamStore(Rng.seeded(seed));
  const w = params.add('w', [vocab], { kind: 'normal', std: 0.1 });
  let calls = 0;
  return {
    family: 'toy',
    params,
    trainLoss(batch: TokenBatch, rng: Rng) {
      calls++;
      const keep = Float32Array.from(batch.ids.data, () => (rng.uniform() < 0.7 ? 1 : 0));
      const poison = opts.poisonAtCall === calls ? NaN : 0;
      const ids = tf.tensor1d(batch.ids.data, 'int32');
      const lp = tf.gather(tf.logSoftmax(w), ids);
      const k = tf.tensor1d(keep);
      return tf.add(tf.neg(tf.div(tf.sum(tf.mul(lp, k)), tf.add(tf.sum(k), 1e-6))), poison) as tf.Scalar;
    },
    nll(batch: TokenBatch): NllDraw {
      const lp = tf.tidy(() => tf.logSoftmax(w).dataSync());
      const [B, L] = batch.ids.shape as [number, number];
      const nats = new Float64Array(B);
      for (let i = 0; i < B * L; i++) nats[Math.floor(i / L)]! -= lp[batch.ids.data[i]!]!;
      return { nats, tokens: new Float64Array(B).fill(L) };
    },
    sample(req: SampleRequest): SampleResult {
      const logits = Float64Array.from(tf.tidy(() => w.dataSync()));
      const rows = new Float64Array(req.num * req.length * vocab);
      for (let r = 0; r < req.num * req.length; r++) rows.set(logits, r * vocab);
      const ids = sampleCategorical(
        req.rng,
        { logits: { data: rows, shape: [req.num * req.length, vocab] } },
        { temperature: 1 },
      );
      return { ids: { data: ids.data, shape: [req.num, req.length] }, nfe: 1 };
    },
    dispose: () => params.dispose(),
  };
}
