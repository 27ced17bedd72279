// Building blocks every discrete β schedule is made of, float64 on the host and in the same
// operation order as numpy so the tables agree with the reference to the last bits.
// Source: XiangLi1999/Diffusion-LM improved-diffusion/improved_diffusion/gaussian_diffusion.py
// (betas_for_alpha_bar, betas_for_alpha_bar2) and numpy.linspace.
import { ConfigError, brief } from '@dlm/core';

/** ᾱ(s) for s ∈ [0, 1]: the cumulative product of (1 − β) as a continuous function of time. */
export type AlphaBarFn = (s: number) => number;

/** The reference caps every β at 0.999 to avoid the singularity at ᾱ → 0. */
export const MAX_BETA = 0.999;

/**
 * β_i = min(1 − ᾱ((i+1)/T) / ᾱ(i/T), maxBeta), i = 0 … T−1.
 * Source: gaussian_diffusion.py:betas_for_alpha_bar.
 */
export function betasForAlphaBar(T: number, alphaBar: AlphaBarFn, maxBeta = MAX_BETA): Float64Array {
  const out = new Float64Array(T);
  for (let i = 0; i < T; i++) out[i] = Math.min(1 - alphaBar((i + 1) / T) / alphaBar(i / T), maxBeta);
  return out;
}

/**
 * The "left" variant used by trunc_cos: β_0 = min(1 − ᾱ(0), maxBeta), then
 * β_{i+1} = min(1 − ᾱ((i+1)/T) / ᾱ(i/T), maxBeta) for i = 0 … T−2 (T values in all).
 * Source: Diffusion-LM gaussian_diffusion.py:betas_for_alpha_bar2 (DiffuSeq: betas_for_alpha_bar_left).
 */
export function betasForAlphaBarLeft(T: number, alphaBar: AlphaBarFn, maxBeta = MAX_BETA): Float64Array {
  const out = new Float64Array(T);
  out[0] = Math.min(1 - alphaBar(0), maxBeta);
  for (let i = 0; i < T - 1; i++) out[i + 1] = Math.min(1 - alphaBar((i + 1) / T) / alphaBar(i / T), maxBeta);
  return out;
}

/**
 * numpy.linspace(start, stop, num) with endpoint=True, bit-exact: y_i = i·step + start with
 * step = (stop − start)/(num − 1), and the last element set to `stop` exactly. The β tables need numpy's
 * rounding; torch.linspace (a different formula, other last bits) is `torchLinspace` in @dlm/core.
 */
export function numpyLinspace(start: number, stop: number, num: number): Float64Array {
  if (!Number.isInteger(num) || num < 0) {
    throw new ConfigError({ op: 'numpy.linspace', arg: 'num', expected: 'a non-negative integer', got: brief(num) });
  }
  const out = new Float64Array(num);
  if (num === 0) return out;
  if (num === 1) {
    out[0] = start;
    return out;
  }
  const step = (stop - start) / (num - 1);
  if (step === 0) {
    // numpy's step == 0 branch: y = (i / div) · delta + start.
    for (let i = 0; i < num; i++) out[i] = (i / (num - 1)) * (stop - start) + start;
  } else {
    for (let i = 0; i < num; i++) out[i] = i * step + start;
  }
  out[num - 1] = stop;
  return out;
}
