// Geometric schedule (SEDD noise_lib.py:GeometricNoise, MDLM GeometricNoise):
//   σ̄(t) = σmin^{1−t}·σmax^{t},   dσ̄/dt = σ̄(t)·(ln σmax − ln σmin).
// SEDD's uniform-graph config uses σmin = 1e-4, σmax = 20; the class default σmin is 1e-3.
import { ConfigError, brief } from '@dlm/core';
import { checkT, type ContinuousSchedule } from './types.ts';

export function geometric(params: { sigma_min?: number; sigma_max?: number } = {}): ContinuousSchedule & { sigmaMin: number; sigmaMax: number } {
  const sigmaMin = params.sigma_min ?? 1e-3;
  const sigmaMax = params.sigma_max ?? 1;
  if (!(sigmaMin > 0 && sigmaMax > sigmaMin)) {
    throw new ConfigError({ op: 'geometric', arg: 'sigma_min/sigma_max', expected: '0 < sigma_min < sigma_max', got: `${brief(sigmaMin)}/${brief(sigmaMax)}` });
  }
  const logRatio = Math.log(sigmaMax) - Math.log(sigmaMin);
  const total = (t: number) => sigmaMin ** (1 - t) * sigmaMax ** t;
  return {
    name: 'geometric',
    sigmaMin,
    sigmaMax,
    totalNoise(t) {
      checkT('geometric.totalNoise', t);
      return total(t);
    },
    rate(t) {
      checkT('geometric.rate', t);
      return total(t) * logRatio;
    },
  };
}
