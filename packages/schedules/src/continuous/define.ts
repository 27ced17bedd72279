// One continuous schedule = its closed forms plus its parameter schema (zod, with the reference knob
// names and defaults). The schema is the single place a knob's default and range live: the factory
// parses its parameters with it, and the runner's `noise` slot is built from the same schemas.
import { ConfigError, brief } from '@dlm/core';
import type { z } from 'zod';
import { checkParams, type NoiseSchedule } from './types.ts';

/** The parameters of one schedule (a strict zod object; every key has a default). */
export type ScheduleParams = z.ZodObject<z.ZodRawShape>;

/** A schedule constructor that carries its parameter schema (`factory.params`). */
export interface ScheduleFactory<I = Readonly<Record<string, unknown>>, S extends NoiseSchedule = NoiseSchedule> {
  (params?: I): S;
  /** The knobs (reference names: eps, sigma_min, sigma_max), their ranges and defaults. */
  readonly params: ScheduleParams;
}

/**
 * Builds the factory of schedule `name`: unknown keys and non-numbers are refused (checkParams), then
 * the schema fills the defaults and checks each knob's range; a violation is a ConfigError naming
 * `name` and the knob, with the schema's message as what was expected.
 */
export function defineSchedule<P extends ScheduleParams, S extends NoiseSchedule>(
  name: string,
  params: P,
  build: (p: z.output<P>) => S,
): ScheduleFactory<Partial<z.input<P>>, S> {
  const factory = (raw: Readonly<Record<string, unknown>> = {}): S => {
    checkParams(name, raw, Object.keys(params.shape));
    const r = params.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      const arg = issue.path.map(String).join('.');
      throw new ConfigError({ op: name, arg, expected: issue.message, got: brief(raw[arg]) });
    }
    return build(r.data);
  };
  return Object.assign(factory, { params }) as ScheduleFactory<Partial<z.input<P>>, S>;
}
