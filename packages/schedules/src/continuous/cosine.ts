// MDLM cosine schedules (noise_schedule.py:CosineNoise, CosineSqrNoise):
//   cosine:    σ̄ = −log(eps + (1−eps)·cos(πt/2)),   rate = (π/2)(1−eps)·sin(πt/2) / ((1−eps)cos(πt/2) + eps)
//   cosinesqr: σ̄ = −log(eps + (1−eps)·cos²(πt/2)),  rate = (π/2)(1−eps)·sin(πt) / ((1−eps)cos²(πt/2) + eps)
import { ConfigError, brief } from '@dlm/core';
import { checkT, type ContinuousSchedule } from './types.ts';

function checkEps(op: string, eps: number): void {
  if (!(eps > 0 && eps < 1)) throw new ConfigError({ op, arg: 'eps', expected: 'a number in (0, 1)', got: brief(eps) });
}

export function cosine(params: { eps?: number } = {}): ContinuousSchedule {
  const eps = params.eps ?? 1e-3;
  checkEps('cosine', eps);
  return {
    name: 'cosine',
    totalNoise(t) {
      checkT('cosine.totalNoise', t);
      return -Math.log(eps + (1 - eps) * Math.cos((Math.PI * t) / 2));
    },
    rate(t) {
      checkT('cosine.rate', t);
      const c = Math.cos((Math.PI * t) / 2);
      return ((Math.PI / 2) * (1 - eps) * Math.sin((Math.PI * t) / 2)) / ((1 - eps) * c + eps);
    },
  };
}

export function cosinesqr(params: { eps?: number } = {}): ContinuousSchedule {
  const eps = params.eps ?? 1e-3;
  checkEps('cosinesqr', eps);
  return {
    name: 'cosinesqr',
    totalNoise(t) {
      checkT('cosinesqr.totalNoise', t);
      return -Math.log(eps + (1 - eps) * Math.cos((Math.PI * t) / 2) ** 2);
    },
    rate(t) {
      checkT('cosinesqr.rate', t);
      const c = Math.cos((Math.PI * t) / 2);
      return ((Math.PI / 2) * (1 - eps) * Math.sin(Math.PI * t)) / ((1 - eps) * c * c + eps);
    },
  };
}
