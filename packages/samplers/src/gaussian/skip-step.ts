// One jump t → t' (t' ≤ t) of the Gaussian embedding diffusion with timesteps per position, host float64: the
// step of AR-Diffusion's sampler, where every token has its own current and next timestep ([B, L]; [B] works too).
// x̂0 comes from p_mean_variance at t (model output, clamp / clip as in p-mean-variance.ts). With ᾱ = ᾱ_t,
// ᾱ' = ᾱ_{t'} (table entries; t' = 0 reads ᾱ_0, not 1):
//   posterior (p_skip_sample: q(x_{t'} | x_t, x̂0) of the chain that jumps from t to t'):
//     mean = sqrt(ᾱ/ᾱ')·(1 − ᾱ')/(1 − ᾱ)·x_t + sqrt(ᾱ')·(1 − ᾱ/ᾱ')/(1 − ᾱ)·x̂0
//     var  = (1 − ᾱ/ᾱ')·(1 − ᾱ')/(1 − ᾱ)
//     x_{t'} = mean + [t' ≠ 0]·sqrt(var)·z
//   ddim (ddim_sample with next_t; DDIM eq. 12 / 16):
//     ε̂ = (sqrt(1/ᾱ)·x_t − x̂0) / sqrt(1/ᾱ − 1),   σ = η·sqrt((1 − ᾱ')/(1 − ᾱ))·sqrt(1 − ᾱ/ᾱ')
//     x_{t'} = sqrt(ᾱ')·x̂0 + sqrt(1 − ᾱ' − σ²)·ε̂ + [t ≠ 0]·σ·z     (the reference masks the noise on t, not t')
// A token with t' = t stays where it is (posterior: var = 0 and mean = x_t exactly; DDIM: x_t up to rounding).
// The posterior variance is the jump's own (β̃ of the respaced chain), whatever the family's variance knob: the
// reference overwrites p_mean_variance's variance in p_skip_sample. Source positions (anchor mask 0) are reset to
// x_start after the step, as p-sample.ts does.
// Source: microsoft/ProphetNet AR-diffusion/model_utils/gaussian_diffusion.py:{p_skip_sample, ddim_sample}
// @7f91e55.
import { ConfigError, ShapeError, assertSameShape, brief, type Nd } from '@dlm/core';
import {
  anchorMasked,
  pMeanVariance,
  positionsOf,
  type GaussianEmbeddingProcess,
  type GaussianParameterization,
} from '@dlm/processes';
import { checkEta } from './ddim.ts';
import type { GaussianAnchor } from './p-sample.ts';

export const GAUSSIAN_SKIP_KINDS = ['posterior', 'ddim'] as const;
export type GaussianSkipKind = (typeof GAUSSIAN_SKIP_KINDS)[number];

export interface GaussianSkipStepInput {
  /** x_t [B, L, D]. */
  x: Nd;
  /** Current timesteps, [B] or [B, L] row-major. */
  t: ArrayLike<number>;
  /** Next timesteps t' ≤ t, the same shape as t. */
  nextT: ArrayLike<number>;
  /** What the model returned for (x_t, t): x0 or ε, [B, L, D]. */
  modelOutput: Nd;
  /** z [B, L, D] (standard normal; unused where the variance is 0). */
  noise: Nd;
  kind: GaussianSkipKind;
  /** DDIM's η ∈ [0, 1] (kind 'ddim'; default 0). */
  eta?: number;
  parameterization?: GaussianParameterization;
  clipDenoised?: boolean;
  /** Applied to x̂0 before clipping (denoised_fn), e.g. rounding to the nearest embedding. */
  denoise?: (predX0: Nd) => Nd;
  anchor?: GaussianAnchor;
}

export interface GaussianSkipStepOutput {
  /** x_{t'} [B, L, D]. */
  sample: Nd;
  /** x̂0 after clamping / clipping [B, L, D]. */
  predXstart: Nd;
  /** The sample without noise [B, L, D]. */
  mean: Nd;
  /** The variance of the added noise per entry of t ([B] or [B, L]); 0 where no noise is added. */
  variance: Float64Array;
}

export function gaussianSkipStep(
  process: GaussianEmbeddingProcess,
  input: GaussianSkipStepInput,
): GaussianSkipStepOutput {
  const op = 'gaussian.skipStep';
  const { x, t, nextT, noise, kind } = input;
  if (!GAUSSIAN_SKIP_KINDS.includes(kind))
    throw new ConfigError({ op, arg: 'kind', expected: `one of ${GAUSSIAN_SKIP_KINDS.join(', ')}`, got: brief(kind) });
  const eta = input.eta ?? 0;
  if (kind === 'ddim') checkEta(op, eta);
  assertSameShape(op, 'x', x.shape, 'noise', noise.shape);
  if (nextT.length !== t.length)
    throw new ShapeError({
      op,
      arg: 'nextT',
      expected: `${t.length} timesteps (the shape of t)`,
      got: `${nextT.length}`,
    });
  process.checkTimesteps(nextT, x.shape[0]!, op, positionsOf(x));
  for (let g = 0; g < t.length; g++) {
    if (nextT[g]! > t[g]!)
      throw new ConfigError({ op, arg: `nextT[${g}]`, expected: `≤ t[${g}] = ${t[g]}`, got: brief(nextT[g]) });
  }
  const out = pMeanVariance(process, {
    x,
    t,
    modelOutput: input.modelOutput,
    ...(input.parameterization ? { parameterization: input.parameterization } : {}),
    clipDenoised: input.clipDenoised ?? false,
    ...(input.denoise ? { denoise: input.denoise } : {}),
  });
  const x0 = out.predXstart.data;
  const a = process.coef('alphasCumprod', t, op);
  const an = process.coef('alphasCumprod', nextT, op);
  const G = t.length;
  const cx = new Float64Array(G); // coefficient of x_t (posterior) or of ε̂ (ddim)
  const c0 = new Float64Array(G); // coefficient of x̂0
  const sd = new Float64Array(G); // standard deviation of the added noise
  const recip = kind === 'ddim' ? process.coef('sqrtRecipAlphasCumprod', t, op) : undefined;
  const recipm1 = kind === 'ddim' ? process.coef('sqrtRecipm1AlphasCumprod', t, op) : undefined;
  for (let g = 0; g < G; g++) {
    const r = a[g]! / an[g]!;
    if (kind === 'posterior') {
      cx[g] = (Math.sqrt(r) * (1 - an[g]!)) / (1 - a[g]!);
      c0[g] = (Math.sqrt(an[g]!) * (1 - r)) / (1 - a[g]!);
      sd[g] = nextT[g] !== 0 ? Math.sqrt(Math.max(0, ((1 - r) * (1 - an[g]!)) / (1 - a[g]!))) : 0;
    } else {
      const sigma = eta * Math.sqrt((1 - an[g]!) / (1 - a[g]!)) * Math.sqrt(Math.max(0, 1 - r));
      cx[g] = Math.sqrt(Math.max(0, 1 - an[g]! - sigma * sigma));
      c0[g] = Math.sqrt(an[g]!);
      sd[g] = t[g] !== 0 ? sigma : 0;
    }
  }
  const n = x.data.length / G;
  const mean = new Float64Array(x.data.length);
  const sample = new Float64Array(x.data.length);
  for (let i = 0; i < sample.length; i++) {
    const g = Math.floor(i / n);
    const other = kind === 'posterior' ? x.data[i]! : (recip![g]! * x.data[i]! - x0[i]!) / recipm1![g]!;
    mean[i] = cx[g]! * other + c0[g]! * x0[i]!;
    sample[i] = mean[i]! + (sd[g] !== 0 ? sd[g]! * noise.data[i]! : 0);
  }
  const shape = [...x.shape];
  let s: Nd = { data: sample, shape };
  if (input.anchor) s = anchorMasked(op, input.anchor.mask, s, input.anchor.xStart);
  return { sample: s, predXstart: out.predXstart, mean: { data: mean, shape }, variance: sd.map((v) => v * v) };
}
