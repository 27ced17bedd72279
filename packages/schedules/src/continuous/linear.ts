// MDLM linear schedule (noise_schedule.py:Linear):
//   σ̄ = σmin + t·(σmax − σmin),   rate = σmax − σmin,
//   importance_sampling_transformation(t) = (s − σmin)/(σmax − σmin) with s as in loglinear.ts.
import { ConfigError, brief } from '@dlm/core';
import { z } from 'zod';
import { defineSchedule } from './define.ts';
import { importanceSigma } from './loglinear.ts';
import { checkT, makeSchedule, type NoiseSchedule } from './types.ts';

export interface LinearSchedule extends NoiseSchedule {
  readonly sigmaMin: number;
  readonly sigmaMax: number;
  importanceSamplingTransformation(t: number): number;
}

/**
 * Defaults σmin = 1e-3, σmax = 7: MDLM configs/noise/linear.yaml@c112c526, what `noise=linear` passes to
 * Linear (the constructor's own defaults, σmin = 0 and σmax = 10, are never reached through a config).
 * SEDD has no linear schedule.
 */
export const linearParams = z.strictObject({
  sigma_min: z.number().gte(0, 'a number ≥ 0').default(1e-3),
  sigma_max: z.number().gt(0, 'a number > 0').default(7),
});

export const linear = defineSchedule('linear', linearParams, (p): LinearSchedule => {
  const { sigma_min: sigmaMin, sigma_max: sigmaMax } = p;
  if (!(sigmaMax > sigmaMin)) {
    const expected = `a number > sigma_min = ${sigmaMin}`;
    throw new ConfigError({ op: 'linear', arg: 'sigma_max', expected, got: brief(sigmaMax) });
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
});
