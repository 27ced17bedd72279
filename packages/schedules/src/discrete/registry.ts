// The discrete β schedules of improved-diffusion / Diffusion-LM / DiffuSeq, by their reference names.
import { Registry } from '@dlm/core';
import { sqrtBetas } from './sqrt.ts';
import { cosineBetas } from './cosine.ts';
import { linearBetas } from './linear.ts';
import { truncCosBetas } from './trunc-cos.ts';
import { truncLinBetas } from './trunc-lin.ts';
import { pwLinBetas } from './pw-lin.ts';

/** β_0 … β_{T−1} (float64) for T timesteps. */
export type BetaScheduleFn = (T: number) => Float64Array;

export const discreteBetaSchedules = new Registry<BetaScheduleFn>('discrete beta schedule', [
  ['sqrt', sqrtBetas],
  ['cosine', cosineBetas],
  ['linear', linearBetas],
  ['trunc_cos', truncCosBetas],
  ['trunc_lin', truncLinBetas],
  ['pw_lin', pwLinBetas],
]);
