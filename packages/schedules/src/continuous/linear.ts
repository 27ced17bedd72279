// MDLM linear schedule (noise_schedule.py:Linear; configs/noise/linear.yaml σmin 1e-3, σmax 7):
//   σ̄ = σmin + t·(σmax − σmin),   rate = σmax − σmin,
//   importance_sampling_transformation(t) = (s − σmin)/(σmax − σmin) with s as in loglinear.ts.
import { ConfigError, brief } from '@dlm/core';
import { importanceSigma } from './loglinear.ts';
import { checkParams, checkT, makeSchedule, type NoiseSchedule } from './types.ts';

export interface LinearSchedule extends NoiseSchedule {
  readonly sigmaMin: number;
  readonly sigmaMax: number;
  importanceSamplingTransformation(t: number): number;
}

export function linear(params: { sigma_min?: number; sigma_max?: number } = {}): LinearSchedule {
  checkParams('linear', params, ['sigma_min', 'sigma_max']);
  const sigmaMin = params.sigma_min ?? 1e-3;
  const sigmaMax = params.sigma_max ?? 7;
  if (!(sigmaMin >= 0 && sigmaMax > sigmaMin && Number.isFinite(sigmaMax))) {
    throw new ConfigError({ op: 'linear', arg: 'sigma_min/sigma_max', expected: '0 ≤ sigma_min < sigma_max < ∞', got: `${brief(sigmaMin)}/${brief(sigmaMax)}` });
  }
  const schedule = makeSchedule(
    'linear',
    { totalNoise: (t) => sigmaMin + t * (sigmaMax - sigmaMin), rate: () => sigmaMax - sigmaMin },
    {
      sigmaMin,
      sigmaMax,
      importanceSamplingTransformation(t: number) {
        checkT('linear.importanceSamplingTransformation', t);
        return (importanceSigma(t, sigmaMin, sigmaMax) - sigmaMin) / (sigmaMax - sigmaMin);
      },
    },
  );
  return schedule;
}
