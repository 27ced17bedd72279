// MDLM cosine schedules (noise_schedule.py:CosineNoise, CosineSqrNoise):
//   cosine:    σ̄ = −log(eps + (1−eps)·cos(πt/2)),   rate = (π/2)(1−eps)·sin(πt/2) / ((1−eps)cos(πt/2) + eps)
//   cosinesqr: σ̄ = −log(eps + (1−eps)·cos²(πt/2)),  rate = (π/2)(1−eps)·sin(πt) / ((1−eps)cos²(πt/2) + eps)
import { ConfigError, brief } from '@dlm/core';
import { checkParams, makeSchedule, type NoiseSchedule } from './types.ts';

function epsOf(op: string, params: { eps?: number }): number {
  checkParams(op, params, ['eps']);
  const eps = params.eps ?? 1e-3;
  if (!(eps > 0 && eps < 1)) throw new ConfigError({ op, arg: 'eps', expected: 'a number in (0, 1)', got: brief(eps) });
  return eps;
}

export function cosine(params: { eps?: number } = {}): NoiseSchedule & { readonly eps: number } {
  const eps = epsOf('cosine', params);
  return makeSchedule(
    'cosine',
    {
      totalNoise: (t) => -Math.log(eps + (1 - eps) * Math.cos((Math.PI * t) / 2)),
      rate: (t) => ((Math.PI / 2) * (1 - eps) * Math.sin((Math.PI * t) / 2)) / ((1 - eps) * Math.cos((Math.PI * t) / 2) + eps),
    },
    { eps },
  );
}

export function cosinesqr(params: { eps?: number } = {}): NoiseSchedule & { readonly eps: number } {
  const eps = epsOf('cosinesqr', params);
  return makeSchedule(
    'cosinesqr',
    {
      totalNoise: (t) => -Math.log(eps + (1 - eps) * Math.cos((Math.PI * t) / 2) ** 2),
      rate(t) {
        const c = Math.cos((Math.PI * t) / 2);
        return ((Math.PI / 2) * (1 - eps) * Math.sin(Math.PI * t)) / ((1 - eps) * c * c + eps);
      },
    },
    { eps },
  );
}
