// Log-linear schedule (SEDD noise_lib.py:LogLinearNoise = MDLM noise_schedule.py:LogLinearNoise):
//   σ̄(t) = −log1p(−(1 − eps)·t),   dσ̄/dt = (1 − eps) / (1 − (1 − eps)·t)
// so the move chance is 1 − e^{−σ̄} = (1 − eps)·t: linear in t, and dσ̄/expm1(σ̄) = 1/t.
import { ConfigError, brief } from '@dlm/core';
import { checkT, type ContinuousSchedule } from './types.ts';

export interface LogLinearSchedule extends ContinuousSchedule {
  readonly eps: number;
  /** σ̄(1) (MDLM `sigma_max`). */
  readonly sigmaMax: number;
  /** eps + σ̄(0) (MDLM `sigma_min`, as the reference defines it). */
  readonly sigmaMin: number;
  /** MDLM importance_sampling_transformation(t) (fixture README §2). */
  importanceSamplingTransformation(t: number): number;
}

export function loglinear(params: { eps?: number } = {}): LogLinearSchedule {
  const eps = params.eps ?? 1e-3;
  if (!(eps >= 0 && eps < 1)) throw new ConfigError({ op: 'loglinear', arg: 'eps', expected: 'a number in [0, 1)', got: brief(eps) });
  const totalNoise = (t: number) => {
    checkT('loglinear.totalNoise', t);
    return -Math.log1p(-(1 - eps) * t);
  };
  const sigmaMax = totalNoise(1);
  const sigmaMin = eps + totalNoise(0);
  return {
    name: 'loglinear',
    eps,
    sigmaMax,
    sigmaMin,
    totalNoise,
    rate(t) {
      checkT('loglinear.rate', t);
      return (1 - eps) / (1 - (1 - eps) * t);
    },
    importanceSamplingTransformation(t) {
      checkT('loglinear.importanceSamplingTransformation', t);
      const fT = Math.log1p(-Math.exp(-sigmaMax));
      const f0 = Math.log1p(-Math.exp(-sigmaMin));
      const s = -Math.log1p(-Math.exp(t * fT + (1 - t) * f0));
      return -Math.expm1(-s) / (1 - eps);
    },
  };
}
