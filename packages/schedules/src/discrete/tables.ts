// Every array GaussianDiffusion.__init__ derives from β, in float64 and the reference's operation
// order. Index i is the 0-based timestep (0 = first noising step); every array has length T.
// Source: XiangLi1999/Diffusion-LM
// improved-diffusion/improved_diffusion/gaussian_diffusion.py:GaussianDiffusion.__init__ (identical in
// Shark-NLP/DiffuSeq diffuseq/gaussian_diffusion.py).
import { ConfigError, brief } from '@dlm/core';

export interface DiffusionTables {
  /** β_i. */
  readonly betas: Float64Array;
  /** α_i = 1 − β_i. */
  readonly alphas: Float64Array;
  /** ᾱ_i = Π_{j≤i} α_j. */
  readonly alphasCumprod: Float64Array;
  /** ᾱ_{i−1}, with ᾱ_{−1} = 1. */
  readonly alphasCumprodPrev: Float64Array;
  /** ᾱ_{i+1}, with ᾱ_T = 0. */
  readonly alphasCumprodNext: Float64Array;
  readonly sqrtAlphasCumprod: Float64Array;
  /** 1 − ᾱ_i (q(x_t|x_0) variance). */
  readonly oneMinusAlphasCumprod: Float64Array;
  readonly sqrtOneMinusAlphasCumprod: Float64Array;
  readonly logOneMinusAlphasCumprod: Float64Array;
  readonly sqrtRecipAlphasCumprod: Float64Array;
  readonly sqrtRecipm1AlphasCumprod: Float64Array;
  /** β_i (1 − ᾱ_{i−1}) / (1 − ᾱ_i); 0 at i = 0. */
  readonly posteriorVariance: Float64Array;
  /** log posteriorVariance with element 0 replaced by element 1 (log 0 avoided). */
  readonly posteriorLogVarianceClipped: Float64Array;
  /** β_i sqrt(ᾱ_{i−1}) / (1 − ᾱ_i): the coefficient of x_0 in the posterior mean. */
  readonly posteriorMeanCoef1: Float64Array;
  /** (1 − ᾱ_{i−1}) sqrt(α_i) / (1 − ᾱ_i): the coefficient of x_t in the posterior mean. */
  readonly posteriorMeanCoef2: Float64Array;
  /** FIXED_LARGE model variance: [posteriorVariance_1, β_1, β_2, …, β_{T−1}]. */
  readonly fixedLargeVariance: Float64Array;
  /** log of fixedLargeVariance (the reference takes the log in float64). */
  readonly fixedLargeLogVariance: Float64Array;
}

/** All derived tables from a β array. Requires T ≥ 2 and every β in (0, 1] (the reference asserts both). */
export function diffusionTables(betas: Float64Array, op = 'diffusionTables'): DiffusionTables {
  const T = betas.length;
  if (T < 2)
    throw new ConfigError({
      op,
      arg: 'betas',
      expected: 'at least 2 timesteps (the clipped posterior log-variance reads index 1)',
      got: `${T}`,
    });
  for (let i = 0; i < T; i++) {
    const b = betas[i]!;
    if (!(b > 0 && b <= 1)) {
      throw new ConfigError({
        op,
        arg: `betas[${i}]`,
        expected: 'a value in (0, 1] (lower the step size or raise T)',
        got: brief(b),
      });
    }
  }
  const make = (): Float64Array => new Float64Array(T);
  const alphas = make(),
    ac = make(),
    acPrev = make(),
    acNext = make();
  const sqrtAc = make(),
    omAc = make(),
    sqrtOmAc = make(),
    logOmAc = make(),
    sqrtRecip = make(),
    sqrtRecipm1 = make();
  const pv = make(),
    plv = make(),
    c1 = make(),
    c2 = make(),
    flv = make(),
    fllv = make();
  let prod = 1;
  for (let i = 0; i < T; i++) {
    alphas[i] = 1.0 - betas[i]!;
    prod = i === 0 ? alphas[0]! : prod * alphas[i]!;
    ac[i] = prod;
  }
  for (let i = 0; i < T; i++) {
    const b = betas[i]!,
      a = ac[i]!;
    acPrev[i] = i === 0 ? 1.0 : ac[i - 1]!;
    acNext[i] = i === T - 1 ? 0.0 : ac[i + 1]!;
    sqrtAc[i] = Math.sqrt(a);
    omAc[i] = 1.0 - a;
    sqrtOmAc[i] = Math.sqrt(1.0 - a);
    logOmAc[i] = Math.log(1.0 - a);
    sqrtRecip[i] = Math.sqrt(1.0 / a);
    sqrtRecipm1[i] = Math.sqrt(1.0 / a - 1);
    pv[i] = (b * (1.0 - acPrev[i]!)) / (1.0 - a);
    c1[i] = (b * Math.sqrt(acPrev[i]!)) / (1.0 - a);
    c2[i] = ((1.0 - acPrev[i]!) * Math.sqrt(alphas[i]!)) / (1.0 - a);
  }
  for (let i = 0; i < T; i++) {
    plv[i] = Math.log(i === 0 ? pv[1]! : pv[i]!);
    flv[i] = i === 0 ? pv[1]! : betas[i]!;
    fllv[i] = Math.log(flv[i]!);
  }
  return {
    betas: Float64Array.from(betas),
    alphas,
    alphasCumprod: ac,
    alphasCumprodPrev: acPrev,
    alphasCumprodNext: acNext,
    sqrtAlphasCumprod: sqrtAc,
    oneMinusAlphasCumprod: omAc,
    sqrtOneMinusAlphasCumprod: sqrtOmAc,
    logOneMinusAlphasCumprod: logOmAc,
    sqrtRecipAlphasCumprod: sqrtRecip,
    sqrtRecipm1AlphasCumprod: sqrtRecipm1,
    posteriorVariance: pv,
    posteriorLogVarianceClipped: plv,
    posteriorMeanCoef1: c1,
    posteriorMeanCoef2: c2,
    fixedLargeVariance: flv,
    fixedLargeLogVariance: fllv,
  };
}

/** Names of the per-timestep tables (every key of DiffusionTables). */
export type DiffusionTableName = keyof DiffusionTables;
