// The schema carried by each factory is where defaults and ranges live; errors name the schedule and knob.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@dlm/core';
import { continuousScheduleParams, continuousSchedules } from './registry.ts';
import { geometric } from './geometric.ts';
import { linear } from './linear.ts';
import { loglinear } from './loglinear.ts';

describe('schedule parameter schemas', () => {
  it('the factories fill in the reference config defaults', () => {
    expect(geometric()).toMatchObject({ sigmaMin: 1e-4, sigmaMax: 20 });
    expect(geometric().totalNoise(1)).toBeCloseTo(20, 12);
    expect(linear()).toMatchObject({ sigmaMin: 1e-3, sigmaMax: 7 });
    expect(loglinear().eps).toBe(1e-3);
  });
  it('the params registry holds the very schemas of the factories, with the same defaults', () => {
    expect(continuousScheduleParams.names()).toEqual(continuousSchedules.names());
    for (const name of continuousSchedules.names()) {
      const schema = continuousScheduleParams.get(name);
      expect(schema).toBe(continuousSchedules.get(name).params);
      const defaults = schema.parse({});
      const s = continuousSchedules.get(name)(defaults);
      const d = continuousSchedules.get(name)({});
      expect(s.totalNoise(0.5)).toBe(d.totalNoise(0.5));
    }
    expect(continuousScheduleParams.get('geometric').parse({})).toEqual({ sigma_min: 1e-4, sigma_max: 20 });
  });
  it('range errors name the schedule and the knob', () => {
    expect(() => loglinear({ eps: 1 })).toThrow(ConfigError);
    expect(() => loglinear({ eps: 1 })).toThrow(/loglinear: eps.*expected a number in \[0, 1\).*got 1/);
    expect(() => continuousSchedules.get('cosine')({ eps: 0 })).toThrow(/cosine: eps.*a number in \(0, 1\)/);
    expect(() => geometric({ sigma_min: -1 })).toThrow(/geometric: sigma_min.*a number > 0/);
    expect(() => geometric({ sigma_min: 1, sigma_max: 0.5 })).toThrow(/geometric: sigma_max.*> sigma_min = 1.*got 0.5/);
    expect(() => linear({ sigma_min: 3, sigma_max: 3 })).toThrow(/linear: sigma_max/);
  });
  it('unknown names say which registry they were looked up in', () => {
    expect(() => continuousSchedules.get('sqrt')).toThrow(/is not a known continuous noise schedule/);
  });
});
