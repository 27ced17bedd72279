// MDLM (Sahoo et al. 2024, kuleshov-group/mdlm @ c112c52) as a preset: absorbing process with
// the mask as its absorbing state, a continuous schedule (log-linear by default), the SUBS
// parameterisation, the continuous-time NELBO (T = 0) or the discrete-T loss, and the
// ddpm / ddpm_cache / analytic samplers, on the DiT backbone.
import { ConfigError, tf, type Nd, type Rng } from '@dlm/core';
import { mdlmDiscreteNelboLoss, mdlmForwardFromRng, mdlmNelboLossFromHidden, nelboWeights } from '@dlm/losses';
import { mdlm as mdlmSamplers } from '@dlm/samplers';
import { Dit } from '../../backbones/dit/dit.ts';
import type { FamilyBuildContext, FamilyDef, FamilyModel, NllDraw, SampleRequest, SampleResult, TokenBatch } from '../../family.ts';
import { ditModelSchema, mdlmFamilySchema } from './schema.ts';
import { semiArSample } from './semi-ar.ts';

export function buildMdlm(ctx: FamilyBuildContext): FamilyModel {
  const f = mdlmFamilySchema.parse(ctx.family);
  const m = ditModelSchema.parse(ctx.model);
  const maskIndex = ctx.vocab.maskId;
  if (maskIndex === undefined || !(maskIndex >= 0 && maskIndex < ctx.vocab.size)) {
    throw new ConfigError({ op: 'mdlm', arg: 'vocab.maskId', expected: `a mask token id in [0, ${ctx.vocab.size})`, got: String(maskIndex) });
  }
  const dit = new Dit(
    { vocabSize: ctx.vocab.size, hidden: m.hidden_size, heads: m.n_heads, blocks: m.n_blocks, condDim: m.cond_dim, timeConditioning: f.time_conditioning, maxLength: m.length },
    ctx.rng.split('init'),
    m.init,
  );
  const noise = ctx.noise;
  const forwardOpts = { maskIndex, noise, antithetic: f.antithetic_sampling, eps: f.sampling_eps, T: f.T, timeConditioning: f.time_conditioning };

  // Shared by training and evaluation: noise x0, run the DiT, return the per-token NELBO [B, L].
  const perTokenLoss = (batch: TokenBatch, rng: Rng, training: boolean): tf.Tensor2D => {
    const x0 = batch.ids;
    const [, l] = x0.shape as [number, number];
    if (l > m.length) throw new ConfigError({ op: 'mdlm', arg: 'sequence length', expected: `at most model.length ${m.length}`, got: String(l) });
    const n = mdlmForwardFromRng(x0, rng, forwardOpts);
    const attention = batch.attention?.data;
    return tf.tidy(() => {
      const train = training && m.dropout > 0 ? { dropout: m.dropout, seed: rng.split('dropout').nextUint32() } : undefined;
      const xt = tf.tensor2d(n.xt.data, n.xt.shape as [number, number], 'int32');
      const sigma = tf.tensor1d(Float32Array.from(n.conditioning));
      const inputs = { x0, xt: n.xt, ...(attention ? { attentionMask: attention } : {}) };
      if (f.T > 0) return mdlmDiscreteNelboLoss(dit.forward(xt, sigma, train), inputs, n.t, { maskIndex, T: f.T }).perToken;
      // T = 0: the vocabulary projection only at masked positions, in chunks (no [B, L, V] logits).
      const w = nelboWeights(n.sigma, n.dsigma);
      return mdlmNelboLossFromHidden(dit.forwardHidden(xt, sigma, train), dit.outputHead(), inputs, w, { maskIndex }).perToken;
    });
  };

  const backboneHost = (x: Nd<Int32Array>, sigma: Float64Array): Float32Array =>
    tf.tidy(() => dit.forward(tf.tensor2d(x.data, x.shape as [number, number], 'int32'), tf.tensor1d(Float32Array.from(sigma))).dataSync() as Float32Array);

  return {
    family: 'mdlm',
    params: dit.params,
    trainLoss(batch, rng) {
      return tf.tidy(() => {
        const per = perTokenLoss(batch, rng, true);
        const denom = batch.attention ? Math.max(1, batch.attention.data.reduce((a, c) => a + c, 0)) : per.size;
        return tf.div(tf.sum(per), denom) as tf.Scalar; // MDLM token_nll: Σ loss / Σ attention_mask
      });
    },
    nll(batch, rng): NllDraw {
      const [b, l] = batch.ids.shape as [number, number];
      const per = tf.tidy(() => perTokenLoss(batch, rng, false).dataSync());
      const nats = new Float64Array(b);
      const tokens = new Float64Array(b);
      for (let i = 0; i < b * l; i++) {
        nats[Math.floor(i / l)]! += per[i]!;
        tokens[Math.floor(i / l)]! += batch.attention ? batch.attention.data[i]! : 1;
      }
      return { nats, tokens };
    },
    sample(req: SampleRequest): SampleResult {
      const stepCtx = { backbone: backboneHost, noise, vocabSize: ctx.vocab.size, maskIndex, timeConditioning: f.time_conditioning };
      const window = (length: number) => (init: Nd<Int32Array> | undefined, rng: Rng) =>
        mdlmSamplers.mdlmSample(stepCtx, {
          sampler: req.sampler, steps: req.steps, batch: req.num, length, eps: f.sampling_final_eps, noiseRemoval: f.noise_removal, rng,
          ...(init ? { init } : {}),
          ...(req.onStep ? { onStep: (k: number, _s: unknown, nfe: number) => req.onStep!(k, nfe) } : {}),
        });
      if (req.length <= m.length) {
        const r = window(req.length)(undefined, req.rng);
        return { ids: r.x, nfe: r.nfe };
      }
      // Longer than the model: semi-autoregressive strides (MDLM sampling.semi_ar).
      return semiArSample({ num: req.num, length: req.length, window: m.length, strideLength: f.stride_length ?? Math.max(1, Math.floor(m.length / 2)), maskIndex, rng: req.rng, sampleWindow: window(m.length) });
    },
    samplers: () => mdlmSamplers.mdlmSamplers.names(),
    dispose: () => dit.dispose(),
  };
}

export const mdlmFamily: FamilyDef = {
  name: 'mdlm',
  schema: mdlmFamilySchema,
  specials: ['bos', 'eos', 'mask'],
  build: buildMdlm,
};
