// MDLM linear schedule (noise_schedule.py:Linear; configs/noise/linear.yaml σmin 1e-3, σmax 7):
//   σ̄ = σmin + t·(σmax − σmin),   rate = σmax − σmin,
//   importance_sampling_transformation(t) = (s − σmin)/(σmax − σmin) with s as in loglinear.ts.
import { ConfigError, brief } from '@dlm/core';
import { checkT, type ContinuousSchedule } from './types.ts';

export function linear(params: { sigma_min?: number; sigma_max?: number } = {}): ContinuousSchedule & { importanceSamplingTransformation(t: number): number } {
  const sigmaMin = params.sigma_min ?? 1e-3;
  const sigmaMax = params.sigma_max ?? 7;
  if (!(sigmaMin >= 0 && sigmaMax > sigmaMin)) {
    throw new ConfigError({ op: 'linear', arg: 'sigma_min/sigma_max', expected: '0 ≤ sigma_min < sigma_max', got: `${brief(sigmaMin)}/${brief(sigmaMax)}` });
  }
  return {
    name: 'linear',
    totalNoise(t) {
      checkT('linear.totalNoise', t);
      return sigmaMin + t * (sigmaMax - sigmaMin);
    },
    rate(t) {
      checkT('linear.rate', t);
      return sigmaMax - sigmaMin;
    },
    importanceSamplingTransformation(t) {
      checkT('linear.importanceSamplingTransformation', t);
      const fT = Math.log1p(-Math.exp(-sigmaMax));
      const f0 = Math.log1p(-Math.exp(-sigmaMin));
      const s = -Math.log1p(-Math.exp(t * fT + (1 - t) * f0));
      return (s - sigmaMin) / (sigmaMax - sigmaMin);
    },
  };
}
