// Every continuous noise schedule, explicitly: name → factory. Each factory carries its parameter schema
// (`factory.params`, reference knob names eps / sigma_min / sigma_max with their defaults), so the
// runner's `noise` slot and the factories share one set of defaults. Not to be confused with the
// discrete β tables (`discreteBetaSchedules`, also with a `cosine` and a `linear`).
import { Registry } from '@dlm/core';
import { cosine, cosinesqr } from './cosine.ts';
import type { ScheduleFactory, ScheduleParams } from './define.ts';
import { geometric } from './geometric.ts';
import { linear } from './linear.ts';
import { loglinear } from './loglinear.ts';
import type { NoiseSchedule } from './types.ts';

// Each factory's own parameter type is narrower; the registry holds them with untyped knobs (the
// factory checks keys and values itself).
const entries: [string, ScheduleFactory][] = [
  ['loglinear', loglinear as ScheduleFactory],
  ['geometric', geometric as ScheduleFactory],
  ['cosine', cosine as ScheduleFactory],
  ['cosinesqr', cosinesqr as ScheduleFactory],
  ['linear', linear as ScheduleFactory],
];

export const continuousSchedules = new Registry<ScheduleFactory>('continuous noise schedule', entries);

/** The parameter schema of every continuous schedule (what `componentSlot` turns into the `noise` slot). */
export const continuousScheduleParams = new Registry<ScheduleParams>(
  'continuous noise schedule',
  entries.map(([name, f]) => [name, f.params] as const),
);

/** The continuous schedule `name` built from its knobs (missing knobs take the schema's defaults). */
export function buildSchedule(name: string, params: Readonly<Record<string, unknown>> = {}): NoiseSchedule {
  return continuousSchedules.get(name)(params);
}
