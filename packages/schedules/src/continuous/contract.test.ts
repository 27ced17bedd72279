// Contract over every registered schedule: rate = d σ̄/dt (central differences), σ̄ monotone,
// finite at the ends, α in (0, 1]; and t outside [0, 1] is refused naming t and the op.
import { describe, expect, it } from 'vitest';
import { continuousSchedules } from './registry.ts';
import { alpha, moveChance } from './types.ts';

describe.each(continuousSchedules.names())('schedule %s', (name) => {
  const s = continuousSchedules.get(name)({});
  it('rate equals the finite-difference derivative of total noise', () => {
    for (const t of [0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99]) {
      const h = 1e-6;
      const fd = (s.totalNoise(t + h) - s.totalNoise(t - h)) / (2 * h);
      expect(Math.abs(fd - s.rate(t))).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
    }
  });
  it('is monotone, finite at 0, eps-ish and 1, with α in (0, 1]', () => {
    let prev = -Infinity;
    for (let i = 0; i <= 100; i++) {
      const t = i / 100;
      const v = s.totalNoise(t);
      expect(Number.isFinite(v)).toBe(true);
      expect(Number.isFinite(s.rate(t))).toBe(true);
      expect(v).toBeGreaterThanOrEqual(prev);
      prev = v;
      expect(alpha(s, t)).toBeGreaterThan(0);
      expect(alpha(s, t)).toBeLessThanOrEqual(1);
      expect(moveChance(s, t)).toBeCloseTo(1 - alpha(s, t), 12);
    }
    expect(Number.isFinite(s.totalNoise(1e-5))).toBe(true);
  });
  it('refuses t outside [0, 1]', () => {
    expect(() => s.totalNoise(1.5)).toThrow(new RegExp(`${name}\\.totalNoise: t.*expected a number in \\[0, 1\\]`));
    expect(() => s.rate(-0.1)).toThrow(/rate: t/);
    expect(() => s.totalNoise(NaN)).toThrow(/got NaN/);
  });
});

describe('loglinear specifics', () => {
  it('move chance is (1 − eps)·t and dσ/expm1(σ) = 1/t', () => {
    const s = continuousSchedules.get('loglinear')({ eps: 1e-3 });
    for (const t of [0.2, 0.5, 0.9]) {
      expect(moveChance(s, t)).toBeCloseTo((1 - 1e-3) * t, 14);
      expect(s.rate(t) / Math.expm1(s.totalNoise(t))).toBeCloseTo(1 / t, 10);
    }
  });
  it('unknown schedule names list the valid ones', () => {
    expect(() => continuousSchedules.get('cosin')).toThrow(/loglinear, geometric, cosine, cosinesqr, linear/);
  });
});
