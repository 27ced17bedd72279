// DDIM for the Gaussian embedding diffusion (Song et al. 2021, "Denoising Diffusion Implicit Models"), host
// float64, over the process's chain (all T steps, or the kept timesteps of a respaced process: improved-
// diffusion's SpacedDiffusion, respace.ts). One step at chain index k with ᾱ = ᾱ_k, ᾱ' = ᾱ_{k−1} (1 at k = 0):
//   x̂0 = model output (x0-parameterisation, Diffusion-LM / DiffuSeq `predict_xstart`) or
//        sqrt(1/ᾱ)·x_k − sqrt(1/ᾱ − 1)·ε̂ (ε-parameterisation); then clamp(x̂0) if given, then [−1, 1] if clipDenoised
//   ε̂  = (sqrt(1/ᾱ)·x_k − x̂0) / sqrt(1/ᾱ − 1)                                        (ε re-derived from x̂0)
//   σ   = η·sqrt((1 − ᾱ')/(1 − ᾱ))·sqrt(1 − ᾱ/ᾱ')                                       (eq. 16)
//   x_{k−1} = sqrt(ᾱ')·x̂0 + sqrt(1 − ᾱ' − σ²)·ε̂ + [k ≠ 0]·σ·z,  z ~ N(0, I)             (eq. 12)
// η = 0 is the deterministic DDIM (both references' default); η = 1 gives σ² = β̃_k = the posterior variance and
// the mean coef1·x̂0 + coef2·x_k: the ancestral step with the FIXED_SMALL variance (ddim.test.ts). Both families
// sample ancestrally with FIXED_LARGE (p-sample-loop.ts), which no η reproduces.
// Respaced chains: ᾱ' is the kept predecessor's ᾱ (the DDIM paper's sub-sequence τ). DiffuSeq's own DDIM with
// `gap` (sample_seq2seq.py: step_gap = diffusion_steps // step) visits every gap-th step of the full chain but
// still uses ᾱ_{t−1}, the adjacent step's; respace the process instead, as improved-diffusion does.
// Clamping: `clamp(x̂0, k)` at the steps where `clampWhen(k)` holds (default every step, as Diffusion-LM's
// `--clamp clamp` and DiffuSeq's ddim_sample_loop, which ignores clamp_step; clampStepRule gives DiffuSeq's
// clamp_step rule of the ancestral loop). Anchoring as p-sample.ts: source positions reset to x_start each step.
// Control: `control` may replace the sample after each step, as ddim_sample's langevin_fn(sample, mean_pred,
// sigma, …) does (gradient-control.ts).
// Coefficients are read through process.coef (float32-rounded by default, as _extract_into_tensor); the rest is
// float64. 1 − ᾱ' − σ² is clamped at 0 (it is ≥ 0 in exact arithmetic for η ≤ 1).
// Source: XiangLi1999/Diffusion-LM improved-diffusion/improved_diffusion/gaussian_diffusion.py:{ddim_sample,
// ddim_sample_loop_progressive, _predict_eps_from_xstart} @1b8b3db; Shark-NLP/DiffuSeq
// diffuseq/gaussian_diffusion.py:{ddim_sample (mask, x_start), ddim_sample_loop_progressive (gap)} @20a7ab1.
import { ConfigError, assertSameShape, brief, sizeOf, type Nd, type Rng } from '@dlm/core';
import {
  anchorMasked,
  pMeanVariance,
  type GaussianEmbeddingProcess,
  type GaussianParameterization,
} from '@dlm/processes';
import {
  checkLoopOptions,
  drawNoise,
  initialSample,
  sampleTimestep,
  type GaussianStepControl,
  type HostDenoiser,
} from './loop-common.ts';
import type { GaussianAnchor } from './p-sample.ts';
import { respaceGaussianProcess, type TimestepRespacing } from './respace.ts';

/** A clamping hook: the (possibly rounded) x̂0 [B, L, D] from x̂0 [B, L, D] at chain step k. */
export type PredX0Clamp = (predX0: Nd, k: number) => Nd;

export interface GaussianDdimStepInput {
  /** x_k [B, L, D]. */
  x: Nd;
  /** Chain steps k [B], integers in [0, K). */
  t: ArrayLike<number>;
  /** What the model returned for (x_k, k): x0 or ε, [B, L, D]. */
  modelOutput: Nd;
  /** z [B, L, D] (standard normal; unused where σ = 0). */
  noise: Nd;
  /** η ∈ [0, 1]. */
  eta: number;
  parameterization?: GaussianParameterization;
  clipDenoised?: boolean;
  /** Applied to x̂0 before clipping (denoised_fn), e.g. rounding to the nearest embedding. */
  denoise?: (predX0: Nd) => Nd;
  anchor?: GaussianAnchor;
}

export interface GaussianDdimStepOutput {
  /** x_{k−1} [B, L, D]. */
  sample: Nd;
  /** x̂0 after clamping / clipping [B, L, D]. */
  predXstart: Nd;
  /** ε̂ [B, L, D]. */
  eps: Nd;
  /** sqrt(ᾱ')·x̂0 + sqrt(1 − ᾱ' − σ²)·ε̂ (the sample without noise) [B, L, D]. */
  mean: Nd;
  /** σ² per batch row [B] (0 at k = 0 and for η = 0). */
  variance: Float64Array;
}

export function checkEta(op: string, eta: number): void {
  if (!(typeof eta === 'number' && eta >= 0 && eta <= 1))
    throw new ConfigError({ op, arg: 'eta', expected: 'a number in [0, 1] (0 = deterministic DDIM)', got: brief(eta) });
}

export function gaussianDdimStep(
  process: GaussianEmbeddingProcess,
  input: GaussianDdimStepInput,
): GaussianDdimStepOutput {
  const op = 'gaussian.ddimStep';
  const { x, t, noise, eta } = input;
  checkEta(op, eta);
  assertSameShape(op, 'x', x.shape, 'noise', noise.shape);
  const out = pMeanVariance(process, {
    x,
    t,
    modelOutput: input.modelOutput,
    ...(input.parameterization ? { parameterization: input.parameterization } : {}),
    clipDenoised: input.clipDenoised ?? false,
    ...(input.denoise ? { denoise: input.denoise } : {}),
  });
  const x0 = out.predXstart.data;
  const recip = process.coef('sqrtRecipAlphasCumprod', t, op);
  const recipm1 = process.coef('sqrtRecipm1AlphasCumprod', t, op);
  const ab = process.coef('alphasCumprod', t, op);
  const abPrev = process.coef('alphasCumprodPrev', t, op);
  const B = t.length;
  const sigma = new Float64Array(B);
  const c0 = new Float64Array(B); // sqrt(ᾱ')
  const c1 = new Float64Array(B); // sqrt(1 − ᾱ' − σ²)
  for (let b = 0; b < B; b++) {
    sigma[b] = eta * Math.sqrt((1 - abPrev[b]!) / (1 - ab[b]!)) * Math.sqrt(1 - ab[b]! / abPrev[b]!);
    c0[b] = Math.sqrt(abPrev[b]!);
    c1[b] = Math.sqrt(Math.max(0, 1 - abPrev[b]! - sigma[b]! ** 2));
  }
  const n = x.data.length / B;
  const eps = new Float64Array(x.data.length);
  const mean = new Float64Array(x.data.length);
  const sample = new Float64Array(x.data.length);
  for (let i = 0; i < sample.length; i++) {
    const b = Math.floor(i / n);
    eps[i] = (recip[b]! * x.data[i]! - x0[i]!) / recipm1[b]!;
    mean[i] = c0[b]! * x0[i]! + c1[b]! * eps[i]!;
    sample[i] = mean[i]! + (t[b] !== 0 ? sigma[b]! * noise.data[i]! : 0);
  }
  const shape = [...x.shape];
  let s: Nd = { data: sample, shape };
  if (input.anchor) s = anchorMasked(op, input.anchor.mask, s, input.anchor.xStart);
  return {
    sample: s,
    predXstart: out.predXstart,
    eps: { data: eps, shape },
    mean: { data: mean, shape },
    variance: sigma.map((v) => v * v),
  };
}

export interface GaussianDdimLoopOptions {
  shape: readonly [number, number, number];
  model: HostDenoiser;
  rng: Rng;
  /** η (default 0). */
  eta?: number;
  /** Keep only these timesteps of the (unrespaced) process, e.g. "ddim10" or [10] (respace.ts). */
  respacing?: TimestepRespacing;
  parameterization?: GaussianParameterization;
  clipDenoised?: boolean;
  /** The clamping trick, applied to x̂0 where clampWhen(k) holds. */
  clamp?: PredX0Clamp;
  /** Chain steps at which `clamp` applies; default every step (see clampStepRule for DiffuSeq's clamp_step). */
  clampWhen?: (k: number) => boolean;
  /** > 0: truncate the noise to [−topP, topP] by redrawing. */
  topP?: number;
  anchor?: GaussianAnchor;
  /** Gradient-based control: replaces the sample after every step (ddim_sample's langevin_fn, σ of eq. 16). */
  control?: GaussianStepControl;
  /** Called after every step with the chain step k, the new sample and x̂0. */
  onStep?: (k: number, sample: Nd, predXstart: Nd) => void;
}

export interface GaussianDdimLoopResult {
  sample: Nd;
  predXstart: Nd;
  /** Number of model calls (= steps of the chain). */
  nfe: number;
  /** The original timestep of every model call, in call order. */
  timesteps: number[];
}

/** x_T ~ N(0, I) (anchored) → x_0 through DDIM steps K−1 … 0; a z is drawn at every step, as the reference does. */
export function gaussianDdimLoop(
  process: GaussianEmbeddingProcess,
  opts: GaussianDdimLoopOptions,
): GaussianDdimLoopResult {
  const op = 'gaussian.ddimLoop';
  const topP = opts.topP ?? 0;
  const eta = opts.eta ?? 0;
  checkEta(op, eta);
  const shape = checkLoopOptions(op, opts.shape, topP);
  const chain = opts.respacing === undefined ? process : respaceGaussianProcess(process, opts.respacing, op);
  const n = sizeOf(shape);
  const B = shape[0]!;
  let x = initialSample(opts.rng, shape, opts.anchor);
  let predXstart: Nd = x;
  let nfe = 0;
  const timesteps: number[] = [];
  for (let k = chain.numTimesteps - 1; k >= 0; k--) {
    const t = new Int32Array(B).fill(k);
    const modelOutput = opts.model(x, chain.modelTimesteps(t, op), t);
    nfe++;
    timesteps.push(chain.schedule.timestepMap[k]!);
    const clamp = opts.clamp && (opts.clampWhen ? opts.clampWhen(k) : true) ? opts.clamp : undefined;
    const out = gaussianDdimStep(chain, {
      x,
      t,
      modelOutput,
      noise: { data: drawNoise(opts.rng, n, topP), shape },
      eta,
      ...(opts.parameterization ? { parameterization: opts.parameterization } : {}),
      clipDenoised: opts.clipDenoised ?? false,
      ...(clamp ? { denoise: (p: Nd) => clamp(p, k) } : {}),
      ...(opts.anchor ? { anchor: opts.anchor } : {}),
    });
    x = out.sample;
    if (opts.control) {
      const sigma = out.variance.map(Math.sqrt);
      const timestep = sampleTimestep(chain.schedule.timestepMap, k);
      x = opts.control({ k, numSteps: chain.numTimesteps, sample: x, mean: out.mean, sigma, timestep });
    }
    predXstart = out.predXstart;
    opts.onStep?.(k, x, predXstart);
  }
  return { sample: x, predXstart, nfe, timesteps };
}
