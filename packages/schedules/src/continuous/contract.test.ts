// Contract over every registered schedule: rate = d σ̄/dt (central differences), σ̄ monotone,
// finite at the ends, α in (0, 1]; and t outside [0, 1] is refused naming t and the op.
import { describe, expect, it } from 'vitest';
import { continuousSchedules } from './registry.ts';
import { alpha, moveChance } from './types.ts';
import { loglinear } from './loglinear.ts';

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
      expect(s.alpha(t)).toBeGreaterThan(0);
      expect(s.alpha(t)).toBeLessThanOrEqual(1);
      expect(s.alpha(t)).toBe(alpha(s, t));
      expect(s.moveChance(t)).toBe(moveChance(s, t));
      expect(s.moveChance(t)).toBeCloseTo(1 - s.alpha(t), 12);
    }
    for (const t of [1e-5, 1e-3, 1]) {
      expect(Number.isFinite(s.totalNoise(t))).toBe(true);
      expect(Number.isFinite(s.rate(t))).toBe(true);
    }
    expect(s.totalNoise(1)).toBeGreaterThan(s.totalNoise(1e-3));
  });
  it('refuses parameters it does not use', () => {
    expect(() => continuousSchedules.get(name)({ epsilon: 0.1 })).toThrow(
      new RegExp(`${name}: epsilon is not a parameter`),
    );
  });
  it('refuses t outside [0, 1]', () => {
    expect(() => s.totalNoise(1.5)).toThrow(new RegExp(`${name}\\.totalNoise: t.*expected a number in \\[0, 1\\]`));
    expect(() => s.rate(-0.1)).toThrow(/rate: t/);
    expect(() => s.totalNoise(NaN)).toThrow(/got NaN/);
    expect(() => s.alpha(2)).toThrow(new RegExp(`${name}\\.alpha: t`));
    expect(() => s.moveChance(-1e-9)).toThrow(/moveChance: t/);
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

describe('importance-sampling transformation (MDLM, where defined)', () => {
  it('exists only for loglinear and linear, maps [0, 1] monotonically', () => {
    const defined = continuousSchedules
      .names()
      .filter((n) => continuousSchedules.get(n)({}).importanceSamplingTransformation);
    expect(defined).toEqual(['loglinear', 'linear']);
    for (const n of defined) {
      const f = continuousSchedules.get(n)({}).importanceSamplingTransformation!;
      let prev = -Infinity;
      for (let i = 0; i <= 20; i++) {
        const v = f(i / 20);
        expect(v).toBeGreaterThan(prev);
        prev = v;
      }
    }
  });
  it('loglinear: sigma_max = σ̄(1) = −log(eps), sigma_min = eps', () => {
    const s = loglinear({ eps: 1e-3 });
    expect(s.sigmaMax).toBeCloseTo(-Math.log(1e-3), 12);
    expect(s.sigmaMin).toBe(1e-3);
    // At t = 1 the transformation returns the move chance at σmax, normalised: (1 − e^{−σmax})/(1 − eps) = 1.
    expect(s.importanceSamplingTransformation(1)).toBeCloseTo(1, 12);
  });
});
