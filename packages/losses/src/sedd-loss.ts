// SEDD's training loss (louaaron/Score-Entropy-Discrete-Diffusion:losses.py:get_loss_fn.loss_fn):
//   t = (1 − sampling_eps)·u + sampling_eps            u ~ U(0, 1) per row (sampling_eps = 1e-3)
//   σ, dσ = noise(t);  x_t = graph.sample_transition(x0, σ)
//   log_score = model(x_t, σ)                           [B, L, D]
//   loss[b] = Σ_l dσ_b · score_entropy(log_score, σ_b, x_t, x0)[b, l]
// A per-sequence NELBO bound (the reference's step takes the batch mean; divide by L for per token).
// σ and dσ may also be given per position [B, L] (block or position-dependent time): then
// loss[b] = Σ_l dσ_{b,l}·score_entropy_{b,l}.
// Training goes through tfjs (differentiable w.r.t. the log score); `seddLossHost` evaluates the same
// coefficients in float64 for evaluation.
import { ConfigError, ShapeError, brief, tf, type Nd, type Rng, type Rows } from '@dlm/core';
import type { Graph, TransitionDraws } from '@dlm/processes';
import type { NoiseSchedule } from '@dlm/schedules';
import { scoreEntropyTf } from './score-entropy.ts';
import { sampleTimes } from './time-sampling.ts';

export interface SeddNoisedBatch {
  /** [B] (or [B, L]) times. */
  t: Float64Array;
  sigma: Float64Array;
  dsigma: Float64Array;
  xt: Nd<Int32Array>;
}

/** σ and dσ at each time. */
export function seddNoiseAt(noise: NoiseSchedule, t: ArrayLike<number>): { sigma: Float64Array; dsigma: Float64Array } {
  return {
    sigma: Float64Array.from(t, (x) => noise.totalNoise(x)),
    dsigma: Float64Array.from(t, (x) => noise.rate(x)),
  };
}

/**
 * The noising half of the SEDD step from explicit draws: `uniformT` [B] and the graph's
 * sample_transition draws (`move.uniform` [B, L], `move.randint` [B, L] for the uniform graph).
 */
export function seddForward(
  x0: Nd<Int32Array>,
  uniformT: ArrayLike<number>,
  move: TransitionDraws,
  o: { graph: Graph; noise: NoiseSchedule; samplingEps?: number },
): SeddNoisedBatch {
  const b = x0.shape[0]!;
  if (uniformT.length !== b)
    throw new ShapeError({
      op: 'seddForward',
      arg: 'uniformT',
      expected: `${b} values (one per row)`,
      got: `${uniformT.length}`,
    });
  const t = sampleTimes(uniformT, { antithetic: false, eps: o.samplingEps ?? 1e-3 });
  const { sigma, dsigma } = seddNoiseAt(o.noise, t);
  return { t, sigma, dsigma, xt: o.graph.sampleTransition(x0, sigma, move) };
}

/** seddForward with its draws from `rng` (child streams 't' and 'move'). */
export function seddForwardFromRng(
  x0: Nd<Int32Array>,
  rng: Rng,
  o: { graph: Graph; noise: NoiseSchedule; samplingEps?: number },
): SeddNoisedBatch {
  const t = sampleTimes(rng.split('t').uniforms(x0.shape[0]!), { antithetic: false, eps: o.samplingEps ?? 1e-3 });
  const { sigma, dsigma } = seddNoiseAt(o.noise, t);
  return { t, sigma, dsigma, xt: o.graph.sampleTransitionRng(x0, sigma, rng.split('move')) };
}

/** dσ per position [B·L] from per-row [B] or per-position [B·L] values. */
function perPosition(op: string, dsigma: ArrayLike<number>, b: number, l: number): Float32Array {
  if (dsigma.length === b * l) return Float32Array.from(dsigma);
  if (dsigma.length === b) return Float32Array.from({ length: b * l }, (_, p) => dsigma[Math.floor(p / l)]!);
  throw new ShapeError({ op, arg: 'dsigma', expected: `${b} or ${b * l} values`, got: `${dsigma.length}` });
}

export interface SeddLossInputs {
  sigma: ArrayLike<number>;
  dsigma: ArrayLike<number>;
  xt: Nd<Int32Array>;
  x0: Nd<Int32Array>;
}

/** Per-sequence SEDD loss [B] (tfjs float32, differentiable w.r.t. `logScore` [B, L, D]). */
export function seddLoss(graph: Graph, logScore: tf.Tensor3D, inp: SeddLossInputs): tf.Tensor1D {
  const [b, l] = inp.xt.shape as [number, number];
  if (inp.xt.shape.length !== 2)
    throw new ShapeError({ op: 'seddLoss', arg: 'xt', expected: 'a [B, L] array', got: `[${inp.xt.shape}]` });
  const terms = graph.scoreEntropyTerms(inp.sigma, inp.xt, inp.x0);
  const w = perPosition('seddLoss', inp.dsigma, b, l);
  return tf.tidy(() => tf.sum(tf.mul(scoreEntropyTf(terms, logScore), tf.tensor2d(w, [b, l])), 1) as tf.Tensor1D);
}

/** The same loss [B] in float64 on the host (for evaluation; no gradients). */
export function seddLossHost(graph: Graph, logScore: Rows, inp: SeddLossInputs): Float64Array {
  const [b, l] = inp.xt.shape as [number, number];
  const se = graph.scoreEntropy(logScore, inp.sigma, inp.xt, inp.x0).data;
  const out = new Float64Array(b);
  const perPos = inp.dsigma.length === b * l;
  if (!perPos && inp.dsigma.length !== b)
    throw new ShapeError({
      op: 'seddLossHost',
      arg: 'dsigma',
      expected: `${b} or ${b * l} values`,
      got: `${inp.dsigma.length}`,
    });
  for (let r = 0; r < b; r++) {
    let s = 0;
    for (let p = r * l; p < (r + 1) * l; p++) s += (perPos ? inp.dsigma[p]! : inp.dsigma[r]!) * se[p]!;
    out[r] = s;
  }
  return out;
}

/** The model SEDD trains: tokens [B, L] and σ per row → log score [B, L, D] (tfjs). */
export type SeddLogScoreModel = (xt: Nd<Int32Array>, sigma: Float64Array) => tf.Tensor3D;

export interface SeddStepBatch {
  x0: Nd<Int32Array>;
  /** Explicit times [B] (the reference's `t=` argument); else drawn from `uniformT`. */
  t?: ArrayLike<number>;
  uniformT?: ArrayLike<number>;
  /** Explicit x_t (the reference's `perturbed_batch=`); else sampled with `move`. */
  xt?: Nd<Int32Array>;
  move?: TransitionDraws;
}

export interface SeddStepResult extends SeddNoisedBatch {
  /** [B] per-sequence loss. */
  perSequence: tf.Tensor1D;
  /** Batch mean (what the reference's step function backpropagates). */
  loss: tf.Scalar;
}

/** One SEDD training-loss evaluation against `model` (loss_fn with optional explicit t / perturbed batch). */
export function seddTrainingLoss(
  model: SeddLogScoreModel,
  batch: SeddStepBatch,
  o: { graph: Graph; noise: NoiseSchedule; samplingEps?: number },
): SeddStepResult {
  const op = 'seddTrainingLoss';
  let t: Float64Array;
  if (batch.t !== undefined) t = Float64Array.from(batch.t);
  else if (batch.uniformT !== undefined)
    t = sampleTimes(batch.uniformT, { antithetic: false, eps: o.samplingEps ?? 1e-3 });
  else
    throw new ConfigError(
      { op, arg: 't / uniformT', expected: 'explicit times or uniforms for them' },
      'are both missing',
    );
  for (const x of t)
    if (!(x >= 0 && x <= 1)) throw new ConfigError({ op, arg: 't', expected: 'times in [0, 1]', got: brief(x) });
  const { sigma, dsigma } = seddNoiseAt(o.noise, t);
  let xt = batch.xt;
  if (!xt) {
    if (!batch.move)
      throw new ConfigError(
        { op, arg: 'xt / move', expected: 'a perturbed batch or the draws to make one' },
        'are both missing',
      );
    xt = o.graph.sampleTransition(batch.x0, sigma, batch.move);
  }
  const x = xt;
  const perSequence = tf.tidy(() => {
    const logScore = model(x, Float64Array.from(sigma));
    return seddLoss(o.graph, logScore, { sigma, dsigma, xt: x, x0: batch.x0 });
  });
  const loss = tf.tidy(() => tf.mean(perSequence) as tf.Scalar);
  return { t, sigma, dsigma, xt: x, perSequence, loss };
}
