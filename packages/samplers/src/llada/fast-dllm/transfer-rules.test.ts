import { describe, expect, it } from 'vitest';
import { ConfigError } from '@dlm/core';
import { factorCount, scheduleCount, thresholdCount, transferCount } from './transfer-rules.ts';

describe('Fast-dLLM transfer rules', () => {
  it('schedule: the call’s scheduled count, capped by the candidates; past the schedule, all of them', () => {
    expect(scheduleCount([0.9, 0.5, 0.1], 0, [2, 1])).toBe(2);
    expect(scheduleCount([0.9, 0.5, 0.1], 1, [2, 1])).toBe(1);
    expect(scheduleCount([0.9], 0, [2, 1])).toBe(1);
    expect(scheduleCount([0.9, 0.5, 0.1], 2, [2, 1])).toBe(3);
    expect(scheduleCount([], 0, [2, 1])).toBe(0);
  });

  it('threshold: the best always, then the leading run with conf ≥ τ', () => {
    const t = thresholdCount(0.5);
    expect(t([0.2, 0.1], 0, [])).toBe(1);
    expect(t([0.9, 0.5, 0.49, 0.48], 0, [])).toBe(2);
    expect(t([0.9, 0.8, 0.7], 0, [])).toBe(3);
    expect(t([], 0, [])).toBe(0);
  });

  it('factor: first rank below 1 − f/(r+2); none failing or r* = n − 1 commits all n', () => {
    const f = factorCount(1); // bars: t1 = 2/3, t2 = 3/4, t3 = 4/5
    expect(f([0.9, 0.7, 0.6, 0.5], 0, [])).toBe(2); // r* = 2 (0.6 < 0.75)
    expect(f([0.9, 0.6, 0.99, 0.99], 0, [])).toBe(1); // r* = 1
    expect(f([0.9, 0.7, 0.8, 0.5], 0, [])).toBe(4); // r* = 3 = n − 1: the quirk commits all
    expect(f([0.5, 0.1], 0, [])).toBe(2); // two candidates: always both
    expect(f([0.9, 0.8, 0.8, 0.85], 0, [])).toBe(4); // no rank fails
    expect(f([0.01], 0, [])).toBe(1);
    expect(f([], 0, [])).toBe(0);
    // f = 3: t1 = 0, t2 = 1/4, t3 = 2/5 → r* = 3 of 5
    expect(factorCount(3)([0.9, 0.3, 0.3, 0.3, 0.3], 0, [])).toBe(3);
  });

  it('names a bad combination or value', () => {
    expect(() => transferCount('op', { threshold: 0.9, factor: 1 })).toThrow(ConfigError);
    expect(() => transferCount('op', { threshold: 0.9, factor: 1 })).toThrow(/threshold, factor.*at most one of them/);
    expect(() => transferCount('op', { threshold: 0 })).toThrow(/threshold.*a number in \(0, 1\]/);
    expect(() => transferCount('op', { factor: -1 })).toThrow(/factor.*a finite number > 0/);
    expect(transferCount('op', {})).toBe(scheduleCount);
  });
});
