// Every continuous schedule, explicitly: name → factory(params with the reference knob names:
// eps, sigma_min, sigma_max). Unknown parameter keys are refused by each factory.
import { Registry } from '@dlm/core';
import { cosine, cosinesqr } from './cosine.ts';
import { geometric } from './geometric.ts';
import { linear } from './linear.ts';
import { loglinear } from './loglinear.ts';
import type { NoiseSchedule } from './types.ts';

export type ScheduleFactory = (params: Record<string, number>) => NoiseSchedule;

export const continuousSchedules = new Registry<ScheduleFactory>('noise schedule', [
  ['loglinear', loglinear],
  ['geometric', geometric],
  ['cosine', cosine],
  ['cosinesqr', cosinesqr],
  ['linear', linear],
]);

export function buildSchedule(name: string, params: Record<string, number> = {}): NoiseSchedule {
  return continuousSchedules.get(name)(params);
}
