import { describe, expect, it } from 'vitest';
import { diffusionTables } from './tables.ts';
import { sqrtBetas } from './sqrt.ts';
import { linearBetas } from './linear.ts';

describe('diffusionTables', () => {
  const T = 30;
  const tb = diffusionTables(sqrtBetas(T));

  it('posterior mean of a noiseless x_t is sqrt(ᾱ_{t−1})·x_0: coef1 + coef2·sqrt(ᾱ_t) = sqrt(ᾱ_{t−1})', () => {
    for (let i = 0; i < T; i++) {
      const lhs = tb.posteriorMeanCoef1[i]! + tb.posteriorMeanCoef2[i]! * tb.sqrtAlphasCumprod[i]!;
      expect(lhs).toBeCloseTo(Math.sqrt(tb.alphasCumprodPrev[i]!), 12);
    }
  });

  it('derived arrays follow their definitions', () => {
    expect(tb.alphasCumprodPrev[0]).toBe(1);
    expect(tb.alphasCumprodNext[T - 1]).toBe(0);
    expect(tb.posteriorVariance[0]).toBe(0);
    expect(tb.posteriorLogVarianceClipped[0]).toBe(tb.posteriorLogVarianceClipped[1]);
    expect(tb.posteriorLogVarianceClipped[5]).toBe(Math.log(tb.posteriorVariance[5]!));
    expect(tb.fixedLargeVariance[0]).toBe(tb.posteriorVariance[1]);
    expect(tb.fixedLargeVariance[7]).toBe(tb.betas[7]);
    expect(tb.fixedLargeLogVariance[7]).toBe(Math.log(tb.betas[7]!));
    expect(tb.alphasCumprod[3]).toBe((1 - tb.betas[0]!) * (1 - tb.betas[1]!) * (1 - tb.betas[2]!) * (1 - tb.betas[3]!));
    expect(tb.sqrtRecipm1AlphasCumprod[4]! ** 2).toBeCloseTo(1 / tb.alphasCumprod[4]! - 1, 12);
    for (let i = 1; i < T; i++) expect(tb.alphasCumprod[i]!).toBeLessThan(tb.alphasCumprod[i - 1]!);
  });

  it('rejects fewer than 2 steps and β outside (0, 1]', () => {
    expect(() => diffusionTables(Float64Array.of(0.1))).toThrow(/betas.*at least 2 timesteps/);
    // linear with T = 10: β runs 0.01 … 2, first above 1 at index 5
    expect(() => diffusionTables(linearBetas(10), 'op-x')).toThrow(/op-x: betas\[5\].*\(0, 1\]/);
    expect(() => diffusionTables(Float64Array.of(0.1, 0))).toThrow(/betas\[1\]/);
  });
});
