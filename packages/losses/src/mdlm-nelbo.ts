// MDLM's continuous-time NELBO with the SUBS parameterisation
// (kuleshov-group/mdlm:diffusion.py:Diffusion._forward_pass_diffusion with T = 0, and _loss):
//   t per row (sampleTimes), σ, dσ = noise(t), move chance = 1 − e^{−σ}, xt ~ q(xt | x0)
//   loss[b,l] = −log p_θ(x0[b,l] | xt) · dσ_b / expm1(σ_b) · attention_mask[b,l]
//   token_nll = Σ loss / Σ attention_mask            ('token' normalisation, the MDLM default)
// For the log-linear schedule dσ/expm1(σ) = 1/t. Unmasked positions contribute −log 1 = 0
// (SUBS carries them over), so only masked positions are trained.
import { ConfigError, brief, tf, type Nd, type Rng } from '@dlm/core';
import type { NoiseSchedule } from '@dlm/schedules';
import { normalizeLoss, type LossNormalization } from './normalization.ts';
import { gatherTargets, subsLogProbs } from './subs.ts';
import { discretizeTimes, maskTokens, sampleTimes } from './time-sampling.ts';
import { assertSize } from './token-ids.ts';

export interface MdlmNoisedBatch {
  /** [B] times (discretised when T > 0). */
  t: Float64Array;
  sigma: Float64Array;
  dsigma: Float64Array;
  /** [B] 1 − e^{−σ}. */
  moveChance: Float64Array;
  xt: Nd<Int32Array>;
  masked: Nd<Uint8Array>;
  /** [B] what the backbone receives as its noise level: σ, or zeros without time conditioning (MDLM default). */
  conditioning: Float64Array;
}

export interface MdlmForwardOptions {
  maskIndex: number;
  noise: NoiseSchedule;
  antithetic?: boolean;
  /** sampling_eps, 1e-3 by default. */
  eps?: number;
  /** Number of discrete steps; 0 (default) = continuous time. */
  T?: number;
  timeConditioning?: boolean;
}

/**
 * The noising half of MDLM's training step, from explicit uniforms: `uniformsT` [B], `uniformsMask` [B, L].
 * (Draw them with an Rng for training: rng.uniforms(B), rng.uniforms(B·L).)
 */
export function mdlmForward(
  x0: Nd<Int32Array>,
  uniformsT: ArrayLike<number>,
  uniformsMask: ArrayLike<number>,
  o: MdlmForwardOptions,
): MdlmNoisedBatch {
  const [b] = x0.shape as [number, number];
  assertSize('mdlmForward', 'uniformsT', uniformsT, [b]);
  let t = sampleTimes(uniformsT, { antithetic: o.antithetic ?? true, eps: o.eps ?? 1e-3 });
  if ((o.T ?? 0) > 0) t = discretizeTimes(t, o.T!);
  const sigma = t.map((x) => o.noise.totalNoise(x));
  const dsigma = t.map((x) => o.noise.rate(x));
  const moveChance = sigma.map((s) => 1 - Math.exp(-s)); // the reference's 1 − exp(−σ)
  const { xt, masked } = maskTokens(x0, moveChance, uniformsMask, o.maskIndex);
  const conditioning = o.timeConditioning ? Float64Array.from(sigma) : new Float64Array(b);
  return { t, sigma, dsigma, moveChance, xt, masked, conditioning };
}

/** mdlmForward with its uniforms drawn from `rng` (child streams 't' and 'mask'), for training. */
export function mdlmForwardFromRng(x0: Nd<Int32Array>, rng: Rng, o: MdlmForwardOptions): MdlmNoisedBatch {
  const [b, l] = x0.shape as [number, number];
  return mdlmForward(x0, rng.split('t').uniforms(b), rng.split('mask').uniforms(b * l), o);
}

/** dσ/expm1(σ) per row [B] (float64): the continuous-time NELBO weight. */
export function nelboWeights(sigma: ArrayLike<number>, dsigma: ArrayLike<number>): Float64Array {
  return Float64Array.from(sigma as ArrayLike<number>, (s, i) => dsigma[i]! / Math.expm1(s));
}

export interface MdlmLossInputs {
  x0: Nd<Int32Array>;
  xt: Nd<Int32Array>;
  /** [B, L] 0/1; all ones when omitted. */
  attentionMask?: ArrayLike<number>;
}

export interface MdlmLossOutputs {
  /** Normalised scalar loss (token_nll with 'token'). */
  loss: tf.Scalar;
  /** [B, L] per-token loss, already multiplied by the attention mask. */
  perToken: tf.Tensor2D;
  /** [B, L, V] SUBS log-probabilities. */
  logProbs: tf.Tensor3D;
  /** [B, L] log p_θ(x0 | xt). */
  logPTheta: tf.Tensor2D;
}

/** [B, L] float32 0/1 mask tensor (ones when omitted). */
export function attentionTensor(op: string, a: ArrayLike<number> | undefined, b: number, l: number): tf.Tensor2D {
  if (!a) return tf.ones([b, l]) as tf.Tensor2D;
  assertSize(op, 'attentionMask', a, [b, l]);
  return tf.tensor2d(Float32Array.from(a as ArrayLike<number>), [b, l]);
}

/**
 * @param logits  [B, L, V] backbone logits for `xt` (float32 tfjs; differentiable)
 * @param weights [B] per-row weight, e.g. nelboWeights(σ, dσ)
 * The caller owns the returned tensors (wrap in tf.tidy or dispose).
 */
export function mdlmNelboLoss(
  logits: tf.Tensor3D,
  inputs: MdlmLossInputs,
  weights: ArrayLike<number>,
  opts: { maskIndex: number; normalization?: LossNormalization },
): MdlmLossOutputs {
  const op = 'mdlmNelboLoss';
  const [b, l] = logits.shape;
  assertSize(op, 'weights', weights, [b]);
  for (let i = 0; i < b; i++)
    if (!Number.isFinite(weights[i]!))
      throw new ConfigError({ op, arg: 'weights', expected: 'finite values', got: brief(weights[i]) });
  return tf.tidy(() => {
    const logProbs = subsLogProbs(logits, inputs.xt, opts.maskIndex);
    const logPTheta = gatherTargets(logProbs, inputs.x0);
    const w = tf.tensor2d(Float32Array.from(weights as ArrayLike<number>), [b, 1]);
    const perToken = tf.mul(
      tf.mul(tf.neg(logPTheta), w),
      attentionTensor(op, inputs.attentionMask, b, l),
    ) as tf.Tensor2D;
    const loss = normalizeLoss(perToken, opts.normalization ?? 'token', inputs.attentionMask);
    return { loss, perToken, logProbs, logPTheta };
  });
}
