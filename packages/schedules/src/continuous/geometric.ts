// Geometric schedule (SEDD noise_lib.py:GeometricNoise, MDLM noise_schedule.py:GeometricNoise):
//   σ̄(t) = σmin^{1−t}·σmax^{t},   dσ̄/dt = σ̄(t)·(ln σmax − ln σmin).
import { ConfigError, brief } from '@dlm/core';
import { z } from 'zod';
import { defineSchedule } from './define.ts';
import { makeSchedule, type NoiseSchedule } from './types.ts';

export interface GeometricSchedule extends NoiseSchedule {
  readonly sigmaMin: number;
  readonly sigmaMax: number;
}

/**
 * Defaults σmin = 1e-4, σmax = 20: the `noise.sigma_min` / `noise.sigma_max` that both references' `get_noise`
 * passes to GeometricNoise (SEDD configs/config.yaml@0605786d; MDLM configs/noise/loglinear.yaml@c112c526),
 * i.e. what a `noise.type=geometric` run uses. The class constructors' own defaults (σmin = 1e-3, σmax = 1,
 * identical in SEDD and MDLM) are never reached through a config, so they are not the defaults here.
 */
export const geometricParams = z.strictObject({
  sigma_min: z.number().gt(0, 'a number > 0').default(1e-4),
  sigma_max: z.number().gt(0, 'a number > 0').default(20),
});

export const geometric = defineSchedule('geometric', geometricParams, (p): GeometricSchedule => {
  const { sigma_min: sigmaMin, sigma_max: sigmaMax } = p;
  if (!(sigmaMax > sigmaMin)) {
    const expected = `a number > sigma_min = ${sigmaMin}`;
    throw new ConfigError({ op: 'geometric', arg: 'sigma_max', expected, got: brief(sigmaMax) });
  }
  const logRatio = Math.log(sigmaMax) - Math.log(sigmaMin);
  const total = (t: number) => sigmaMin ** (1 - t) * sigmaMax ** t;
  return makeSchedule('geometric', { totalNoise: total, rate: (t) => total(t) * logRatio }, { sigmaMin, sigmaMax });
});
