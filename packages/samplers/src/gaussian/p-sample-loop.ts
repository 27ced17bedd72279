// The ancestral sampling loop of Diffusion-LM / DiffuSeq on host float64: steps k = K−1 … 0 of the process's
// chain (K = T, or the kept timesteps with `respacing`), one model call per step (NFE = K). Noise comes from a
// seeded Rng (float64 normals); with topP > 0 every |ε| > topP is redrawn (DiffuSeq's truncated "top_p" noise).
// With an anchor, x_T is where(mask == 0, x_start, N(0, I)) and source positions are re-anchored after every step.
// Respacing (improved-diffusion SpacedDiffusion, respace.ts): the chain runs over the kept timesteps with β
// recomputed from their ᾱ, and the model sees each step's original timestep.
// Rounding: `roundTo` with `roundWhen(k)`: Diffusion-LM's `--clamp clamp` rounds at every step (the default);
// DiffuSeq's clamp_step / clamp_first is roundWhen = clampStepRule(clamp_step, clamp_first, K) (clamp-step.ts).
// Control (gradient-control.ts): `control` may replace the sample after each step (Diffusion-LM's langevin_fn,
// given the step's mean and standard deviation); without it the loop is unchanged.
// Posterior variance: both families sample with FIXED_LARGE (the default here). DiffuSeq's p_mean_variance
// hard-codes it; Diffusion-LM's create_gaussian_diffusion picks FIXED_LARGE unless sigma_small, which its
// run_train.py never sets (script_util.py:model_and_diffusion_defaults sigma_small=False). `fixed_small` is the
// variance DDIM with η = 1 reproduces (ddim.ts).
// Source: XiangLi1999/Diffusion-LM improved-diffusion/improved_diffusion/gaussian_diffusion.py:
// p_sample_loop_progressive, script_util.py:create_gaussian_diffusion, scripts/run_train.py @1b8b3db;
// Shark-NLP/DiffuSeq diffuseq/gaussian_diffusion.py:{p_mean_variance, p_sample_loop_progressive} @20a7ab1,
// sample_seq2seq.py @4239277.
import type { Nd, Rng } from '@dlm/core';
import type { GaussianEmbeddingProcess, GaussianParameterization, GaussianVarianceType } from '@dlm/processes';
import {
  checkLoopOptions,
  drawNoise,
  initialSample,
  sampleTimestep,
  type GaussianStepControl,
  type HostDenoiser,
} from './loop-common.ts';
import { gaussianPSample, type GaussianAnchor } from './p-sample.ts';
import { respaceGaussianProcess, type TimestepRespacing } from './respace.ts';

export interface GaussianSampleLoopOptions {
  shape: readonly [number, number, number];
  model: HostDenoiser;
  rng: Rng;
  /** Keep only these timesteps of the (unrespaced) process (improved-diffusion's timestep_respacing). */
  respacing?: TimestepRespacing;
  varianceType?: GaussianVarianceType;
  parameterization?: GaussianParameterization;
  clipDenoised?: boolean;
  roundTo?: Nd;
  /** Steps k (of the possibly respaced chain) at which to round; default every step. */
  roundWhen?: (k: number) => boolean;
  /** > 0: truncate the noise to [−topP, topP] by redrawing. */
  topP?: number;
  anchor?: GaussianAnchor;
  /** Gradient-based control: replaces the sample after every step (σ = exp(½·log variance) of the step). */
  control?: GaussianStepControl;
  /** Called after every step with the chain step k and the new sample. */
  onStep?: (k: number, sample: Nd, predXstart: Nd) => void;
}

export interface GaussianSampleLoopResult {
  sample: Nd;
  predXstart: Nd;
  /** Number of model calls. */
  nfe: number;
  /** The original timestep of every model call, in call order. */
  timesteps: number[];
}

export function gaussianSampleLoop(
  process: GaussianEmbeddingProcess,
  opts: GaussianSampleLoopOptions,
): GaussianSampleLoopResult {
  const op = 'gaussian.sampleLoop';
  const topP = opts.topP ?? 0;
  const shape = checkLoopOptions(op, opts.shape, topP);
  const chain = opts.respacing === undefined ? process : respaceGaussianProcess(process, opts.respacing, op);
  const n = shape.reduce((a, b) => a * b, 1);
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
    const round = opts.roundTo && (opts.roundWhen ? opts.roundWhen(k) : true);
    const out = gaussianPSample(chain, {
      x,
      t,
      modelOutput,
      noise: { data: drawNoise(opts.rng, n, topP), shape },
      ...(opts.varianceType ? { varianceType: opts.varianceType } : {}),
      ...(opts.parameterization ? { parameterization: opts.parameterization } : {}),
      clipDenoised: opts.clipDenoised ?? false,
      ...(round && opts.roundTo ? { roundTo: opts.roundTo } : {}),
      ...(opts.anchor ? { anchor: opts.anchor } : {}),
    });
    x = out.sample;
    if (opts.control) {
      // σ per row: the step's variance is one value per row (every element of row b shares t_b).
      const per = n / B;
      const sigma = Float64Array.from({ length: B }, (_, b) => Math.exp(0.5 * out.logVariance.data[b * per]!));
      const timestep = sampleTimestep(chain.schedule.timestepMap, k);
      x = opts.control({ k, numSteps: chain.numTimesteps, sample: x, mean: out.greedyMean, sigma, timestep });
    }
    predXstart = out.predXstart;
    opts.onStep?.(k, x, predXstart);
  }
  return { sample: x, predXstart, nfe, timesteps };
}
