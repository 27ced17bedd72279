import { describe, expect, it } from 'vitest';
import { ConfigError } from '@dlm/core';
import { clampStepRule } from './clamp-step.ts';

const steps = (rule: (k: number) => boolean, K: number) => Array.from({ length: K }, (_, k) => K - 1 - k).filter(rule);

describe('clampStepRule (DiffuSeq clamp_step / clamp_first)', () => {
  it('clamp_first: the steps k ≥ clamp_step; otherwise k ≤ clamp_step; DiffuSeq defaults (0, first) = every step', () => {
    expect(steps(clampStepRule(6, true, 10), 10)).toEqual([9, 8, 7, 6]);
    expect(steps(clampStepRule(6, false, 10), 10)).toEqual([6, 5, 4, 3, 2, 1, 0]);
    expect(steps(clampStepRule(0, true, 10), 10)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(steps(clampStepRule(9, false, 10), 10)).toHaveLength(10);
  });

  it('clamp_step outside the chain is a named error', () => {
    expect(() => clampStepRule(10, true, 10)).toThrow(ConfigError);
    expect(() => clampStepRule(10, true, 10)).toThrow(/clampStepRule: clamp_step.*\[0, 10\)/);
    expect(() => clampStepRule(-1, false, 10)).toThrow(/clamp_step/);
    expect(() => clampStepRule(2.5, false, 10)).toThrow(/clamp_step/);
  });
});
