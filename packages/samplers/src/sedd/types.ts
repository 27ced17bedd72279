// Types shared by the SEDD sampler steps (louaaron/Score-Entropy-Discrete-Diffusion:sampling.py).
import type { Nd } from '@dlm/core';
import type { Graph } from '@dlm/processes';
import type { NoiseSchedule } from '@dlm/schedules';

/** The SEDD network: tokens [B, L] and σ per row [B] → LOG score [B, L, D] (row-major). */
export type SeddScoreModel = (x: Nd<Int32Array>, sigma: Float64Array) => ArrayLike<number>;

export interface SeddSamplerContext {
  /** The forward process (absorbing or uniform); owns D and the mask id. */
  graph: Graph;
  noise: NoiseSchedule;
  model: SeddScoreModel;
}

export interface SeddStepResult {
  xNext: Nd<Int32Array>;
  /**
   * The unnormalised vector passed to the categorical sampler: [B, L, D] ([B, L, D − 1] for the absorbing denoiser).
   */
  probs: Nd<Float64Array>;
  /** σ(t) per row [B] (what the model was called with). */
  sigma: Float64Array;
  /** dσ̄/dt at t per row (the reference's noise(t)[1]; the Euler step's rate). */
  rate?: Float64Array;
  /** Analytic: Δ = σ̄(t) − σ̄(t − dt), the noise removed by the step. */
  delta?: Float64Array;
  /** Analytic: σ̄(t − dt). */
  nextSigma?: Float64Array;
  /** Network evaluations (1 per step). */
  nfe: number;
}

/** One predictor update: x at times t [B] with step dt, sampled with the given uniforms (shape of probs). */
export type SeddPredictorStep = (
  ctx: SeddSamplerContext,
  x: Nd<Int32Array>,
  t: ArrayLike<number>,
  dt: number,
  uniforms: ArrayLike<number>,
) => SeddStepResult;
