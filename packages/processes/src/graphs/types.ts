// SEDD's graph primitives (louaaron/Score-Entropy-Discrete-Diffusion:graph_lib.py:Graph): the forward
// CTMC dx/dt = σ(t)·Q x on D states, host float64 on row-major arrays. Token arrays are [B, L] (any
// leading shape [B, ...]); vectors over states are the last axis [..., D]. A noise level σ is given
// per row ([B], the reference's σ[:, None]) or per position ([B, L], for block or position-dependent time).
import type { Nd, Rng, Rows } from '@dlm/core';
import type { ScoreEntropyTerms } from './score-entropy.ts';

/** The reference's torch.rand / torch.randint_like draws for one sample_transition call. */
export interface TransitionDraws {
  /** [B, L] uniforms: a position moves when u < 1 − e^{−σ}. */
  uniform: ArrayLike<number>;
  /** [B, L] ids in [0, D): where a moved position goes (uniform graph only). */
  randint?: ArrayLike<number>;
}

export interface Graph {
  readonly name: 'absorbing' | 'uniform';
  /** Number of states D (the vocabulary, including the mask for the absorbing graph). */
  readonly dim: number;
  /** The absorbing state (mask id), or null for graphs without one. */
  readonly maskIndex: number | null;
  /** True when the mask must be removed by the final denoising step (SEDD `Graph.absorb`). */
  readonly absorb: boolean;
  /** Column i of the rate matrix Q, per token: [..., D]. */
  rate(i: Nd<Int32Array>): Nd<Float64Array>;
  /** Row i of Q (for the reverse rate): [..., D]. */
  transpRate(i: Nd<Int32Array>): Nd<Float64Array>;
  /** Column i of e^{σQ}, or null where the reference leaves it undefined (absorbing: the body is `pass`). */
  transition(i: Nd<Int32Array>, sigma: ArrayLike<number>): Nd<Float64Array> | null;
  /** Row i of e^{σQ}: [..., D]. */
  transpTransition(i: Nd<Int32Array>, sigma: ArrayLike<number>): Nd<Float64Array>;
  /** p(x_t = · | x_0 = i) after total noise σ (what sampleTransition draws from): [..., D]. */
  forwardDistribution(i: Nd<Int32Array>, sigma: ArrayLike<number>): Nd<Float64Array>;
  /** x_t given x_0 = i and explicit draws (the reference's torch.rand / randint_like, in call order). */
  sampleTransition(i: Nd<Int32Array>, sigma: ArrayLike<number>, draws: TransitionDraws): Nd<Int32Array>;
  /** sampleTransition with draws from `rng` (uniforms first, then ids, as the reference). */
  sampleTransitionRng(i: Nd<Int32Array>, sigma: ArrayLike<number>, rng: Rng): Nd<Int32Array>;
  /** transp_rate(i) ⊙ score with the diagonal set to −(row sum); `score` is a ratio (exp of the log score). */
  reverseRate(i: Nd<Int32Array>, score: Rows): Nd<Float64Array>;
  /** p_{σ−dσ}(z)/p_σ(x) ≈ e^{−dσ·E} score (SEDD's staggered score): [..., D]. */
  staggeredScore(score: Rows, dsigma: ArrayLike<number>): Nd<Float64Array>;
  /** A draw of the limit distribution for `shape`: all mask (absorbing) or the given ids (uniform). */
  sampleLimit(shape: readonly number[], randint?: ArrayLike<number>): Nd<Int32Array>;
  sampleLimitRng(shape: readonly number[], rng: Rng): Nd<Int32Array>;
  /** The per-position coefficients of the score entropy (see score-entropy.ts). */
  scoreEntropyTerms(sigma: ArrayLike<number>, x: Nd<Int32Array>, x0: Nd<Int32Array>): ScoreEntropyTerms;
  /** Score entropy [..., ] of a LOG score [..., D] (float64 host evaluation of scoreEntropyTerms). */
  scoreEntropy(logScore: Rows, sigma: ArrayLike<number>, x: Nd<Int32Array>, x0: Nd<Int32Array>): Nd<Float64Array>;
}
