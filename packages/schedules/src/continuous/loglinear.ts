// Log-linear schedule (SEDD noise_lib.py:LogLinearNoise = MDLM noise_schedule.py:LogLinearNoise):
//   σ̄(t) = −log1p(−(1 − eps)·t),   dσ̄/dt = (1 − eps) / (1 − (1 − eps)·t)
// so the move chance is 1 − e^{−σ̄} = (1 − eps)·t: linear in t, and dσ̄/expm1(σ̄) = 1/t.
// MDLM also defines sigma_max = σ̄(1), sigma_min = eps + σ̄(0) and importance_sampling_transformation
// (fixture README §2):  f_T = log1p(−e^{−σmax}), f_0 = log1p(−e^{−σmin}),
//   s = −log1p(−exp(t·f_T + (1−t)·f_0)),  result = −expm1(−s)/(1 − eps).
import { z } from 'zod';
import { defineSchedule } from './define.ts';
import { checkT, makeSchedule, type NoiseSchedule } from './types.ts';

export interface LogLinearSchedule extends NoiseSchedule {
  readonly eps: number;
  /** σ̄(1) (MDLM `sigma_max`). */
  readonly sigmaMax: number;
  /** eps + σ̄(0) (MDLM `sigma_min`, as the reference defines it). */
  readonly sigmaMin: number;
  importanceSamplingTransformation(t: number): number;
}

/** MDLM's s(t) = −log1p(−exp(t·f_T + (1−t)·f_0)) shared by the loglinear and linear transformations. */
export function importanceSigma(t: number, sigmaMin: number, sigmaMax: number): number {
  const fT = Math.log1p(-Math.exp(-sigmaMax));
  const f0 = Math.log1p(-Math.exp(-sigmaMin));
  return -Math.log1p(-Math.exp(t * fT + (1 - t) * f0));
}

/**
 * eps = 1e-3: the constructor default of both SEDD and MDLM `LogLinearNoise` (neither `get_noise` passes
 * a config value; the `sigma_min`/`sigma_max` of their noise configs are read by geometric only).
 */
export const loglinearParams = z.strictObject({
  eps: z.number().gte(0, 'a number in [0, 1)').lt(1, 'a number in [0, 1)').default(1e-3),
});

export const loglinear = defineSchedule('loglinear', loglinearParams, ({ eps }): LogLinearSchedule => {
  const total = (t: number) => -Math.log1p(-(1 - eps) * t);
  const sigmaMax = total(1);
  const sigmaMin = eps + total(0);
  const schedule = makeSchedule(
    'loglinear',
    { totalNoise: total, rate: (t) => (1 - eps) / (1 - (1 - eps) * t) },
    {
      eps,
      sigmaMax,
      sigmaMin,
      importanceSamplingTransformation(t: number) {
        checkT('loglinear.importanceSamplingTransformation', t);
        return -Math.expm1(-importanceSigma(t, sigmaMin, sigmaMax)) / (1 - eps);
      },
    },
  );
  return schedule;
});
