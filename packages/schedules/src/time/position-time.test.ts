import { describe, expect, it } from 'vitest';
import { arDiffusionTimesteps, positionTimes } from './position-time.ts';

describe('AR-Diffusion position-dependent time', () => {
  it('matches the line through (n_s, τ_s) and the anchor (scale·N, T − 1), rounded half to even', () => {
    // N = 5, T = 3, s = 4: start (0, 0), anchor (10, 2) → τ(n) = n/5 → [0, .2, .4, .6, .8] → [0, 0, 0, 1, 1]
    expect([...arDiffusionTimesteps(4, 5, 3)]).toEqual([0, 0, 0, 1, 1]);
    // N = 4, T = 3, s = 3: τ(n) = n/4; τ(2) = 0.5 rounds to 0 (torch.round is half-to-even)
    expect([...arDiffusionTimesteps(3, 4, 3)]).toEqual([0, 0, 0, 1]);
  });

  it('s = 0 is all clean, the last s all noisy; τ never decreases along the sequence', () => {
    const N = 7,
      T = 10;
    expect([...arDiffusionTimesteps(0, N, T)]).toEqual(new Array(N).fill(0));
    expect([...arDiffusionTimesteps(N + T - 1, N, T)]).toEqual(new Array(N).fill(T - 1));
    for (let s = 0; s < N + T; s++) {
      const tau = arDiffusionTimesteps(s, N, T, { scale: 3 });
      for (let n = 1; n < N; n++) expect(tau[n]).toBeGreaterThanOrEqual(tau[n - 1]!);
      const c = positionTimes(s, N, T, { scale: 3 });
      for (let n = 0; n < N; n++) {
        expect(c[n]).toBeGreaterThanOrEqual(0);
        expect(c[n]).toBeLessThanOrEqual(1);
        if (n > 0) expect(c[n]).toBeGreaterThanOrEqual(c[n - 1]!);
        // the continuous line before rounding
        expect(Math.abs(c[n]! * (T - 1) - tau[n]!)).toBeLessThanOrEqual(0.5 + 1e-12);
      }
    }
  });

  it('refuses bad arguments naming them', () => {
    expect(() => arDiffusionTimesteps(20, 5, 3)).toThrow(/arDiffusionTimesteps: s/);
    expect(() => arDiffusionTimesteps(1, 5, 3, { scale: 1 })).toThrow(/arDiffusionTimesteps: scale/);
    expect(() => positionTimes(-1, 5, 3)).toThrow(/positionTimes: s/);
    expect(() => positionTimes(1, 0, 3)).toThrow(/positionTimes: length/);
  });
});
