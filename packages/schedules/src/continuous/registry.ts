// Every continuous schedule, explicitly: name → factory(params with the reference knob names).
import { Registry } from '@dlm/core';
import { cosine, cosinesqr } from './cosine.ts';
import { geometric } from './geometric.ts';
import { linear } from './linear.ts';
import { loglinear } from './loglinear.ts';
import type { ContinuousSchedule } from './types.ts';

export type ScheduleFactory = (params: Record<string, number>) => ContinuousSchedule;

export const continuousSchedules = new Registry<ScheduleFactory>('noise schedule', [
  ['loglinear', loglinear],
  ['geometric', geometric],
  ['cosine', cosine],
  ['cosinesqr', cosinesqr],
  ['linear', linear],
]);

export function buildSchedule(name: string, params: Record<string, number> = {}): ContinuousSchedule {
  return continuousSchedules.get(name)(params);
}
