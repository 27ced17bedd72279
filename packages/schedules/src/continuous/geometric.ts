// Geometric schedule (SEDD noise_lib.py:GeometricNoise, MDLM GeometricNoise):
//   σ̄(t) = σmin^{1−t}·σmax^{t},   dσ̄/dt = σ̄(t)·(ln σmax − ln σmin).
// SEDD's uniform-graph config uses σmin = 1e-4, σmax = 20; the class defaults are σmin = 1e-3, σmax = 1.
import { ConfigError, brief } from '@dlm/core';
import { checkParams, makeSchedule, type NoiseSchedule } from './types.ts';

export interface GeometricSchedule extends NoiseSchedule {
  readonly sigmaMin: number;
  readonly sigmaMax: number;
}

export function geometric(params: { sigma_min?: number; sigma_max?: number } = {}): GeometricSchedule {
  checkParams('geometric', params, ['sigma_min', 'sigma_max']);
  const sigmaMin = params.sigma_min ?? 1e-3;
  const sigmaMax = params.sigma_max ?? 1;
  if (!(sigmaMin > 0 && sigmaMax > sigmaMin && Number.isFinite(sigmaMax))) {
    throw new ConfigError({ op: 'geometric', arg: 'sigma_min/sigma_max', expected: '0 < sigma_min < sigma_max < ∞', got: `${brief(sigmaMin)}/${brief(sigmaMax)}` });
  }
  const logRatio = Math.log(sigmaMax) - Math.log(sigmaMin);
  const total = (t: number) => sigmaMin ** (1 - t) * sigmaMax ** t;
  return makeSchedule('geometric', { totalNoise: total, rate: (t) => total(t) * logRatio }, { sigmaMin, sigmaMax });
}
