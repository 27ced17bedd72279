import { describe, expect, it } from 'vitest';
import { lrMultiplier } from './lr-schedule.ts';

describe('lrMultiplier', () => {
  it('warms up linearly then holds (constant)', () => {
    const o = { warmupSteps: 4, totalSteps: 10, decay: 'constant' as const };
    expect([0, 1, 2, 3, 4, 9].map((s) => lrMultiplier(s, o))).toEqual([0.25, 0.5, 0.75, 1, 1, 1]);
  });
  it('cosine decays to minRatio at the end', () => {
    const o = { warmupSteps: 0, totalSteps: 100, decay: 'cosine' as const, minRatio: 0.1 };
    expect(lrMultiplier(0, o)).toBeCloseTo(1, 12);
    expect(lrMultiplier(50, o)).toBeCloseTo(0.55, 12);
    expect(lrMultiplier(100, o)).toBeCloseTo(0.1, 12);
  });
  it('linear decays to minRatio', () => {
    const o = { warmupSteps: 10, totalSteps: 110, decay: 'linear' as const, minRatio: 0 };
    expect(lrMultiplier(60, o)).toBeCloseTo(0.5, 12);
  });
  it('rejects a non-positive totalSteps naming the arguments', () => {
    expect(() => lrMultiplier(0, { warmupSteps: 0, totalSteps: 0, decay: 'constant' })).toThrow(
      /lrMultiplier: warmupSteps\/totalSteps/,
    );
  });
});
