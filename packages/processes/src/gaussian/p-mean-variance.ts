// p(x_{t−1} | x_t) of the Gaussian embedding process from the model's prediction, on host float64:
// pred_x0 = model output (x0 parameterisation, `predict_xstart`) or
//           sqrt(1/ᾱ_t)·x_t − sqrt(1/ᾱ_t − 1)·ε (ε parameterisation);
// pred_x0 ← denoise(pred_x0) (e.g. rounding to the nearest embedding), then clamp to [−1, 1]
// when clipDenoised; mean = posterior mean(pred_x0, x_t); variance fixed:
//   fixed_large: [posterior_variance_1, β_1, …, β_{T−1}][t] (log taken in float64 before the cast),
//   fixed_small: posterior_variance[t], log = posterior_log_variance_clipped[t].
// t is one timestep per row [B] or per position [B, L] (AR-Diffusion: every coefficient is looked up per token).
// Source: XiangLi1999/Diffusion-LM improved-diffusion/improved_diffusion/gaussian_diffusion.py:p_mean_variance;
// Shark-NLP/DiffuSeq diffuseq/gaussian_diffusion.py:p_mean_variance (always FIXED_LARGE); microsoft/ProphetNet
// AR-diffusion/model_utils/gaussian_diffusion.py:p_mean_variance @7f91e55 (t [bs, seq_len]).
import { ConfigError, assertSameShape, brief, type Nd } from '@dlm/core';
import { batchOf, broadcastRows, combineRows, positionsOf, type GaussianEmbeddingProcess } from './gaussian-process.ts';

export const GAUSSIAN_VARIANCE_TYPES = ['fixed_large', 'fixed_small'] as const;
export type GaussianVarianceType = (typeof GAUSSIAN_VARIANCE_TYPES)[number];
export const GAUSSIAN_PARAMETERIZATIONS = ['x0', 'eps'] as const;
export type GaussianParameterization = (typeof GAUSSIAN_PARAMETERIZATIONS)[number];

export interface PMeanVarianceInput {
  /** x_t [B, L, D]. */
  x: Nd;
  /** Integer timesteps in [0, T): [B], or [B, L] row-major (one per position). */
  t: ArrayLike<number>;
  /** What the model returned for (x_t, t): x0 or ε, [B, L, D]. */
  modelOutput: Nd;
  varianceType?: GaussianVarianceType;
  parameterization?: GaussianParameterization;
  /** Clamp pred_x0 to [−1, 1] (after `denoise`). */
  clipDenoised?: boolean;
  /** Applied to pred_x0 before clipping (denoised_fn), e.g. rounding to the nearest embedding. */
  denoise?: (predX0: Nd) => Nd;
}

export interface PMeanVariance {
  mean: Nd;
  variance: Nd;
  logVariance: Nd;
  predXstart: Nd;
}

export function pMeanVariance(process: GaussianEmbeddingProcess, input: PMeanVarianceInput): PMeanVariance {
  const op = 'gaussian.pMeanVariance';
  const { x, t, modelOutput } = input;
  const varianceType = input.varianceType ?? 'fixed_large';
  const parameterization = input.parameterization ?? 'x0';
  if (!GAUSSIAN_VARIANCE_TYPES.includes(varianceType)) {
    throw new ConfigError({
      op,
      arg: 'varianceType',
      expected: `one of ${GAUSSIAN_VARIANCE_TYPES.join(', ')}`,
      got: brief(varianceType),
    });
  }
  if (!GAUSSIAN_PARAMETERIZATIONS.includes(parameterization)) {
    throw new ConfigError({
      op,
      arg: 'parameterization',
      expected: `one of ${GAUSSIAN_PARAMETERIZATIONS.join(', ')}`,
      got: brief(parameterization),
    });
  }
  assertSameShape(op, 'x', x.shape, 'modelOutput', modelOutput.shape);
  process.checkTimesteps(t, batchOf(op, x), op, positionsOf(x));

  const [varTable, logVarTable] =
    varianceType === 'fixed_large'
      ? (['fixedLargeVariance', 'fixedLargeLogVariance'] as const)
      : (['posteriorVariance', 'posteriorLogVarianceClipped'] as const);
  const variance = broadcastRows(process.coef(varTable, t, op), x.shape);
  const logVariance = broadcastRows(process.coef(logVarTable, t, op), x.shape);

  let predXstart =
    parameterization === 'x0'
      ? { data: Float64Array.from(modelOutput.data), shape: [...modelOutput.shape] }
      : combineRows(
          process.coef('sqrtRecipAlphasCumprod', t, op),
          x,
          process.coef('sqrtRecipm1AlphasCumprod', t, op).map((c) => -c),
          modelOutput,
        );
  if (input.denoise) {
    predXstart = input.denoise(predXstart);
    assertSameShape(op, 'denoise(pred_xstart)', predXstart.shape, 'x', x.shape);
  }
  if (input.clipDenoised)
    predXstart = { data: predXstart.data.map((v) => Math.min(1, Math.max(-1, v))), shape: predXstart.shape };

  const { mean } = process.qPosteriorMeanVariance(predXstart, x, t);
  return { mean, variance, logVariance, predXstart };
}
