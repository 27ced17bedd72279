// The discrete β schedules of improved-diffusion / Diffusion-LM / DiffuSeq, by their reference names
// (`get_named_beta_schedule`). A registry of its own, selected by the Gaussian families' `beta_schedule`
// knob: its `cosine` and `linear` are β tables, not the continuous σ̄(t) schedules of the `noise` slot
// (`continuousSchedules`, errors say "continuous noise schedule" there and "discrete beta schedule" here).
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
