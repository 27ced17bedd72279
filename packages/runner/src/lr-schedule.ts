// Learning-rate schedules, as step → multiplier of the base lr. Linear warmup from 0 (as
// MDLM/SEDD configs: `lr_scheduler: constant_warmup`, `warmup_steps`), then constant, cosine
// decay to `minRatio`, or linear decay to `minRatio`, over `totalSteps`.
import { ConfigError } from '@dlm/core';

export type LrDecay = 'constant' | 'cosine' | 'linear';

export interface LrScheduleOptions {
  warmupSteps: number;
  totalSteps: number;
  decay: LrDecay;
  /** Final lr as a fraction of the base lr (cosine / linear). */
  minRatio?: number;
}

export function lrMultiplier(step: number, o: LrScheduleOptions): number {
  if (!(o.warmupSteps >= 0) || !(o.totalSteps > 0)) {
    throw new ConfigError({
      op: 'lrMultiplier',
      arg: 'warmupSteps/totalSteps',
      expected: 'warmupSteps ≥ 0 and totalSteps > 0',
      got: `${o.warmupSteps}/${o.totalSteps}`,
    });
  }
  // step counts from 1 for the first optimizer update, as torch's LambdaLR after one scheduler.step().
  if (o.warmupSteps > 0 && step < o.warmupSteps) return (step + 1) / o.warmupSteps;
  if (o.decay === 'constant') return 1;
  const min = o.minRatio ?? 0;
  const span = Math.max(1, o.totalSteps - o.warmupSteps);
  const p = Math.min(1, Math.max(0, (step - o.warmupSteps) / span));
  if (o.decay === 'linear') return 1 - (1 - min) * p;
  return min + (1 - min) * 0.5 * (1 + Math.cos(Math.PI * p));
}
