import { describe, expect, it } from 'vitest';
import { respaceBetas, spaceTimesteps } from './respace.ts';
import { diffusionTables } from './tables.ts';
import { sqrtBetas } from './sqrt.ts';

describe('respaceBetas', () => {
  const base = diffusionTables(sqrtBetas(50));

  it('keeping every step reproduces β up to float64 rounding', () => {
    const r = respaceBetas(
      base.alphasCumprod,
      Array.from({ length: 50 }, (_, i) => i),
    );
    expect(Array.from(r.timestepMap)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    for (let i = 0; i < 50; i++)
      expect(Math.abs(r.betas[i]! - base.betas[i]!)).toBeLessThan(1e-15 + 1e-13 * base.betas[i]!);
  });

  it('a subset keeps ᾱ at the kept steps', () => {
    const keep = [0, 9, 20, 49];
    const r = respaceBetas(base.alphasCumprod, keep);
    const tb = diffusionTables(r.betas);
    expect(Array.from(r.timestepMap)).toEqual(keep);
    keep.forEach((s, k) => expect(tb.alphasCumprod[k]).toBeCloseTo(base.alphasCumprod[s]!, 14));
  });

  it('rejects steps outside [0, T)', () => {
    expect(() => respaceBetas(base.alphasCumprod, [0, 50])).toThrow(/respaceBetas: useTimesteps.*\[0, 50\)/);
    expect(() => respaceBetas(base.alphasCumprod, [])).toThrow(/at least one/);
  });
});

describe('spaceTimesteps', () => {
  it('ddimN uses the integer stride giving N steps', () => {
    expect(spaceTimesteps(100, 'ddim10')).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(spaceTimesteps(100, 'ddim7')).toEqual([0, 15, 30, 45, 60, 75, 90]);
    expect(() => spaceTimesteps(100, 'ddim40')).toThrow(/ddimN/);
  });
  it('section counts stride each section, rounding half to even like Python', () => {
    expect(spaceTimesteps(100, [10])).toEqual([0, 11, 22, 33, 44, 55, 66, 77, 88, 99]);
    // frac = 2.5: round(2.5) = 2 in Python
    expect(spaceTimesteps(6, '3')).toEqual([0, 2, 5]);
    expect(spaceTimesteps(10, '2,1')).toEqual([0, 4, 5]);
    expect(() => spaceTimesteps(10, [6, 1])).toThrow(/sectionCounts\[0\].*at most 5/);
  });
});
