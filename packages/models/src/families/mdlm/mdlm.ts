// MDLM (Sahoo et al. 2024, kuleshov-group/mdlm @ c112c52) as a preset: absorbing process with
// the mask as its absorbing state, a continuous schedule (log-linear by default), the SUBS
// parameterisation, the continuous-time NELBO (T = 0) or the discrete-T loss, and the
// samplers of @dlm/samplers' mdlm registry, on a backbone of the registry (DiT).
import { ConfigError, tf, type Nd, type Rng } from '@dlm/core';
import {
  mdlmDiscreteNelboLoss,
  mdlmForwardFromRng,
  mdlmNelboLoss,
  mdlmNelboLossFromHidden,
  nelboWeights,
} from '@dlm/losses';
import { mdlm as mdlmSamplers } from '@dlm/samplers';
import { buildBackbone } from '../../backbones/registry.ts';
import { nllDrawOfTokens } from '../../nll-draw.ts';
import type {
  FamilyBuildContext,
  FamilyDef,
  FamilyModel,
  NllDraw,
  SampleRequest,
  SampleResult,
  TokenBatch,
} from '../../family.ts';
import { mdlmFamilySchema } from './schema.ts';
import { semiArSample } from './semi-ar.ts';
import { conditionalBoundScores, keepPromptClean } from '../conditional-bound.ts';

const BACKBONES = ['dit'] as const;

/** [B, L, V] logits above this many floats (64 MiB) go through the chunked loss. */
export const CHUNKED_LOSS_MIN_LOGITS = 2 ** 24;

export function buildMdlm(ctx: FamilyBuildContext): FamilyModel {
  const f = mdlmFamilySchema.parse(ctx.family);
  const maskIndex = ctx.vocab.maskId;
  if (maskIndex === undefined || !(maskIndex >= 0 && maskIndex < ctx.vocab.size)) {
    throw new ConfigError({
      op: 'mdlm',
      arg: 'vocab.maskId',
      expected: `a mask token id in [0, ${ctx.vocab.size})`,
      got: String(maskIndex),
    });
  }
  const net = buildBackbone(ctx.model, {
    family: 'mdlm',
    accepted: BACKBONES,
    vocabSize: ctx.vocab.size,
    timeConditioning: f.time_conditioning,
    rng: ctx.rng.split('init'),
  });
  const maxLength = net.maxLength;
  const noise = ctx.noise;
  const forwardOpts = {
    maskIndex,
    noise,
    antithetic: f.antithetic_sampling,
    eps: f.sampling_eps,
    T: f.T,
    timeConditioning: f.time_conditioning,
  };

  // Shared by training and evaluation: noise x0, run the DiT, return the per-token NELBO [B, L].
  const perTokenLoss = (batch: TokenBatch, rng: Rng, training: boolean): tf.Tensor2D => {
    const x0 = batch.ids;
    const [, l] = x0.shape as [number, number];
    if (l > maxLength)
      throw new ConfigError({
        op: 'mdlm',
        arg: 'sequence length',
        expected: `at most model.length ${maxLength}`,
        got: String(l),
      });
    const n = mdlmForwardFromRng(x0, rng, forwardOpts);
    // A prompt (conditional bound, conditional-bound.ts): its positions stay clean and get weight 0.
    const attention = batch.promptMask ? keepPromptClean(n.xt.data, batch) : batch.attention?.data;
    return tf.tidy(() => {
      const xt = tf.tensor2d(n.xt.data, n.xt.shape as [number, number], 'int32');
      const sigma = tf.tensor1d(Float32Array.from(n.conditioning));
      const train = training ? { rng } : undefined;
      const inputs = { x0, xt: n.xt, ...(attention ? { attentionMask: attention } : {}) };
      if (f.T > 0)
        return mdlmDiscreteNelboLoss(net.forward(xt, sigma, train), inputs, n.t, { maskIndex, T: f.T }).perToken;
      const w = nelboWeights(n.sigma, n.dsigma);
      // T = 0 with large [B, L, V] logits (a GPT-2 vocabulary): the vocabulary projection only at masked
      // positions, in chunks, when the backbone exposes its last hidden states and output head. Small logits
      // take the plain path: the same numbers as before to the last bit (chunked matmuls round differently).
      const logitsSize = xt.shape[0] * xt.shape[1] * ctx.vocab.size;
      if (net.forwardHidden && net.outputHead && logitsSize > CHUNKED_LOSS_MIN_LOGITS) {
        const hidden = net.forwardHidden(xt, sigma, train);
        return mdlmNelboLossFromHidden(hidden, net.outputHead(), inputs, w, { maskIndex }).perToken;
      }
      return mdlmNelboLoss(net.forward(xt, sigma, train), inputs, w, { maskIndex }).perToken;
    });
  };

  const backboneHost = (x: Nd<Int32Array>, sigma: Float64Array): Float32Array =>
    tf.tidy(
      () =>
        net
          .forward(tf.tensor2d(x.data, x.shape as [number, number], 'int32'), tf.tensor1d(Float32Array.from(sigma)))
          .dataSync() as Float32Array,
    );

  return {
    family: 'mdlm',
    params: net.params,
    trainLoss(batch, rng) {
      return tf.tidy(() => {
        const per = perTokenLoss(batch, rng, true);
        const denom = batch.attention
          ? Math.max(
              1,
              batch.attention.data.reduce((a, c) => a + c, 0),
            )
          : per.size;
        return tf.div(tf.sum(per), denom) as tf.Scalar; // MDLM token_nll: Σ loss / Σ attention_mask
      });
    },
    nll(batch, rng): NllDraw {
      return nllDrawOfTokens(
        tf.tidy(() => perTokenLoss(batch, rng, false).dataSync()),
        batch,
      );
    },
    sample(req: SampleRequest): SampleResult {
      const stepCtx = {
        backbone: backboneHost,
        noise,
        vocabSize: ctx.vocab.size,
        maskIndex,
        timeConditioning: f.time_conditioning,
      };
      const window = (length: number) => (init: Nd<Int32Array> | undefined, rng: Rng) =>
        mdlmSamplers.mdlmSample(stepCtx, {
          sampler: req.sampler,
          steps: req.steps,
          batch: req.num,
          length,
          eps: f.sampling_final_eps,
          noiseRemoval: f.noise_removal,
          rng,
          ...(init ? { init } : {}),
          ...(req.onStep ? { onStep: (k: number, _s: unknown, nfe: number) => req.onStep!(k, nfe) } : {}),
        });
      if (req.length <= maxLength) {
        const r = window(req.length)(undefined, req.rng);
        return { ids: r.x, nfe: r.nfe };
      }
      // Longer than the model: semi-autoregressive strides (MDLM sampling.semi_ar).
      return semiArSample({
        num: req.num,
        length: req.length,
        window: maxLength,
        strideLength: f.stride_length ?? Math.max(1, Math.floor(maxLength / 2)),
        maskIndex,
        rng: req.rng,
        sampleWindow: window(maxLength),
      });
    },
    continuationLogLikelihood(reqs, o) {
      const draw = (batch: TokenBatch, rng: Rng) => this.nll(batch, rng);
      return conditionalBoundScores(draw, reqs, o, { bosId: ctx.vocab.bosId, maxLength, op: 'mdlm continuation' });
    },
    dispose: () => net.dispose(),
  };
}

export const mdlmFamily: FamilyDef = {
  name: 'mdlm',
  schema: mdlmFamilySchema,
  specials: ['bos', 'eos', 'mask'],
  samplers: mdlmSamplers.mdlmSamplers,
  defaultSampler: 'ddpm_cache', // MDLM configs/config.yaml sampling.predictor
  backbones: BACKBONES,
  capabilities: {
    likelihoodBound: true,
    unconditionalSampling: true,
    conditionalGeneration: false,
    longerThanModel: true,
  },
  continuation: { estimator: 'bound', shifted: false, knobs: ['mcNum', 'batch'] },
  build: buildMdlm,
};
