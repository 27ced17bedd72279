// MDLM cosine schedules (noise_schedule.py:CosineNoise, CosineSqrNoise):
//   cosine:    σ̄ = −log(eps + (1−eps)·cos(πt/2)),   rate = (π/2)(1−eps)·sin(πt/2) / ((1−eps)cos(πt/2) + eps)
//   cosinesqr: σ̄ = −log(eps + (1−eps)·cos²(πt/2)),  rate = (π/2)(1−eps)·sin(πt) / ((1−eps)cos²(πt/2) + eps)
import { z } from 'zod';
import { defineSchedule } from './define.ts';
import { makeSchedule, type NoiseSchedule } from './types.ts';

/** eps = 1e-3: the constructor default of MDLM `CosineNoise` / `CosineSqrNoise` (`get_noise` passes none). */
export const cosineParams = z.strictObject({
  eps: z.number().gt(0, 'a number in (0, 1)').lt(1, 'a number in (0, 1)').default(1e-3),
});

export interface CosineSchedule extends NoiseSchedule {
  readonly eps: number;
}

export const cosine = defineSchedule('cosine', cosineParams, ({ eps }): CosineSchedule => {
  return makeSchedule(
    'cosine',
    {
      totalNoise: (t) => -Math.log(eps + (1 - eps) * Math.cos((Math.PI * t) / 2)),
      rate: (t) =>
        ((Math.PI / 2) * (1 - eps) * Math.sin((Math.PI * t) / 2)) / ((1 - eps) * Math.cos((Math.PI * t) / 2) + eps),
    },
    { eps },
  );
});

export const cosinesqr = defineSchedule('cosinesqr', cosineParams, ({ eps }): CosineSchedule => {
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
});
