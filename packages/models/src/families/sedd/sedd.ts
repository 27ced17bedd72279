// SEDD (Lou, Meng & Ermon 2024, louaaron/Score-Entropy-Discrete-Diffusion @ 0605786) as a preset:
// absorbing or uniform graph (@dlm/processes), a continuous schedule (the experiment's `noise`
// slot), the DiT with σ conditioning + SEDD's log-score post-processing (seddLogScore), the
// score-entropy loss (@dlm/losses seddLoss) and the pc sampler with the euler or analytic
// predictor and the final denoiser (@dlm/samplers sedd). Nothing here re-derives the math; it
// only wires those parts together with the reference's conventions.
import { ConfigError, brief, tf, type Nd, type Rng } from '@dlm/core';
import { seddForwardFromRng, seddLoss } from '@dlm/losses';
import { graphs, type Graph } from '@dlm/processes';
import { sedd as seddSamplers } from '@dlm/samplers';
import { seddLogScore } from '../../backbones/dit/sedd-log-score.ts';
import { buildBackbone } from '../../backbones/registry.ts';
import { tokensPerRow } from '../../nll-draw.ts';
import type {
  FamilyBuildContext,
  FamilyDef,
  FamilyModel,
  NllDraw,
  SampleRequest,
  SampleResult,
  TokenBatch,
} from '../../family.ts';
import { seddFamilySchema } from './schema.ts';
import { conditionalBoundScores, keepPromptClean } from '../conditional-bound.ts';

const BACKBONES = ['dit'] as const;

/** The forward graph of SEDD's `graph.type`, from the vocabulary the tokenizer built. */
function graphOf(kind: 'absorb' | 'uniform', vocab: FamilyBuildContext['vocab']): Graph {
  const op = 'sedd';
  if (kind === 'absorb') {
    // SEDD: Absorbing(tokens) has dim = tokens + 1 with the absorbing state last (dim − 1).
    if (vocab.maskId !== vocab.size - 1) {
      throw new ConfigError({
        op,
        arg: 'vocab.maskId',
        expected: `the mask as the last id (${vocab.size - 1}) for graph absorb`,
        got: brief(vocab.maskId),
      });
    }
    return graphs.get('absorbing')({ dim: vocab.size, maskIndex: vocab.maskId });
  }
  // Uniform: the state space is the whole vocabulary (bos/eos included); a mask would be a dead state.
  if (vocab.maskId !== undefined) {
    throw new ConfigError({
      op,
      arg: 'vocab.maskId',
      expected: 'no mask token for graph uniform (the uniform graph has no absorbing state)',
      got: brief(vocab.maskId),
    });
  }
  return graphs.get('uniform')({ dim: vocab.size });
}

export function buildSedd(ctx: FamilyBuildContext): FamilyModel {
  const f = seddFamilySchema.parse(ctx.family);
  // SEDD run_train.py / model: scale_by_sigma is for the absorbing graph only.
  const scaleBySigma = f.scale_by_sigma ?? f.graph === 'absorb';
  if (scaleBySigma && f.graph === 'uniform') {
    throw new ConfigError({
      op: 'sedd',
      arg: 'family.scale_by_sigma',
      expected: 'false with graph uniform (SEDD asserts scale_by_sigma only for absorb)',
      got: 'true',
    });
  }
  const graph = graphOf(f.graph, ctx.vocab);
  const net = buildBackbone(ctx.model, {
    family: 'sedd',
    accepted: BACKBONES,
    vocabSize: ctx.vocab.size,
    timeConditioning: true,
    rng: ctx.rng.split('init'),
  });
  const noise = ctx.noise;
  const checkLength = (what: string, l: number) => {
    if (l > net.maxLength)
      throw new ConfigError({
        op: 'sedd',
        arg: what,
        expected: `at most model.length ${net.maxLength}`,
        got: String(l),
      });
  };

  // The SEDD model: DiT(x_t, σ̄) → logits [B, L, V] → log score [B, L, V] (SEDD.forward).
  const logScoreOf = (xt: tf.Tensor2D, sigma: Float64Array, train?: { rng: Rng }): tf.Tensor3D =>
    tf.tidy(() =>
      seddLogScore(net.forward(xt, tf.tensor1d(Float32Array.from(sigma)), train), xt, sigma, { scaleBySigma }),
    );

  // losses.py:get_loss_fn.loss_fn: loss[b] = Σ_l dσ_b · score_entropy[b, l]  → [B] nats.
  // Padding (attention 0) enters the model but not the sum: its dσ weight is 0.
  const perSequence = (batch: TokenBatch, rng: Rng, training: boolean): tf.Tensor1D => {
    const x0 = batch.ids;
    const [b, l] = x0.shape as [number, number];
    checkLength('sequence length', l);
    const n = seddForwardFromRng(x0, rng, { graph, noise, samplingEps: f.sampling_eps });
    // A prompt (conditional bound, conditional-bound.ts): its positions stay clean and get weight 0.
    const att = batch.promptMask ? keepPromptClean(n.xt.data, batch) : batch.attention?.data;
    const dsigma = att
      ? Float64Array.from({ length: b * l }, (_, p) => n.dsigma[Math.floor(p / l)]! * att[p]!)
      : n.dsigma;
    return tf.tidy(() => {
      const logScore = logScoreOf(tf.tensor2d(n.xt.data, [b, l], 'int32'), n.sigma, training ? { rng } : undefined);
      return seddLoss(graph, logScore, { sigma: n.sigma, dsigma, xt: n.xt, x0 });
    });
  };
  return {
    family: 'sedd',
    params: net.params,
    trainLoss(batch, rng) {
      // SEDD's step backpropagates the batch mean of the per-sequence sum; divided here by the
      // tokens per sequence (L without padding) so that the logged loss reads per token and is
      // comparable to MDLM's. Same minimiser; the gradient is the reference's scaled by 1/L.
      return tf.tidy(() => {
        const per = perSequence(batch, rng, true);
        const tokens = tokensPerRow(batch).reduce((a, c) => a + c, 0);
        return tf.div(tf.sum(per), Math.max(1, tokens)) as tf.Scalar;
      });
    },
    nll(batch, rng): NllDraw {
      // One t per sequence: the score-entropy NELBO Σ_l dσ·score_entropy ≥ −log p(x) (nats).
      const nats = Float64Array.from(tf.tidy(() => perSequence(batch, rng, false).dataSync()));
      return { nats, tokens: tokensPerRow(batch) };
    },
    sample(req: SampleRequest): SampleResult {
      checkLength('sampling.length', req.length);
      let nfe = 0;
      // Host model for the float64 sampler steps: log score [B·L·V] as float32 values.
      const model = (x: Nd<Int32Array>, sigma: Float64Array): Float32Array => {
        const out = tf.tidy(
          () => logScoreOf(tf.tensor2d(x.data, x.shape as [number, number], 'int32'), sigma).dataSync() as Float32Array,
        );
        nfe++;
        req.onStep?.(nfe, nfe); // one network call per sampler step (steps predictor calls, then the denoiser)
        return out;
      };
      const r = seddSamplers.seddPcSampleRng(
        { graph, noise, model },
        {
          batch: [req.num, req.length],
          predictor: req.sampler,
          steps: req.steps,
          denoise: f.noise_removal,
          eps: f.sampling_final_eps,
        },
        req.rng,
      );
      return { ids: r.x, nfe: r.nfe };
    },
    continuationLogLikelihood(reqs, o) {
      const draw = (batch: TokenBatch, rng: Rng) => this.nll(batch, rng);
      const maxLength = net.maxLength;
      return conditionalBoundScores(draw, reqs, o, { bosId: ctx.vocab.bosId, maxLength, op: 'sedd continuation' });
    },
    dispose: () => net.dispose(),
  };
}

export const seddFamily: FamilyDef = {
  name: 'sedd',
  schema: seddFamilySchema,
  // The absorbing graph's state is the mask (appended last); the uniform graph has none.
  specials: ['bos', 'eos', 'mask'],
  specialsFor: (family) => (family.graph === 'uniform' ? ['bos', 'eos'] : ['bos', 'eos', 'mask']),
  // Every predictor ends with the same denoiser step (seddPcSample), so the registry holds predictors.
  samplers: seddSamplers.seddPredictors,
  defaultSampler: 'euler', // SEDD configs/config.yaml sampling.predictor
  backbones: BACKBONES,
  capabilities: {
    likelihoodBound: true,
    unconditionalSampling: true,
    conditionalGeneration: false,
    longerThanModel: false,
  },
  continuation: { estimator: 'bound', shifted: false, knobs: ['mcNum', 'batch'] },
  build: buildSedd,
};
