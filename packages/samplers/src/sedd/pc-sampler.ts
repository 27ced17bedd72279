// SEDD predictor–corrector sampling loop (sampling.py:get_pc_sampler(...).pc_sampler; no corrector):
//   x = graph.sample_limit(B, L)                       all mask (absorbing) or uniform ids
//   timesteps = linspace(1, eps, steps + 1),  dt = (1 − eps)/steps
//   for k < steps:  x = project(x);  x = predictor(x, t = timesteps[k], dt)
//   if denoise:     x = project(x);  x = denoiser(x, t = eps)
// `project` is the reference's proj_fun (clamp known positions for infilling; identity by default).
// Each step takes its uniforms from `draws.uniforms(call, shape)`: an explicit list replays the
// reference's torch.rand_like draws; `seddPcSampleRng` draws them from an Rng.
import { ConfigError, ShapeError, brief, sizeOf, torchLinspace, type Nd, type Rng } from '@dlm/core';
import { seddDenoiserStep } from './denoiser.ts';
import { seddPredictors } from './registry.ts';
import type { SeddSamplerContext, SeddStepResult } from './types.ts';

export interface SeddPcOptions {
  /** [B, L]. */
  batch: readonly [number, number];
  /** 'euler' or 'analytic'. */
  predictor: string;
  steps: number;
  /** Final noise-removal step (SEDD `sampling.noise_removal`, default true). */
  denoise?: boolean;
  /** Last time of the grid (default 1e-5). */
  eps?: number;
  /** proj_fun: applied to x before every model call (default identity). */
  project?: (x: Nd<Int32Array>) => Nd<Int32Array>;
}

export interface SeddPcDraws {
  /** Ids [B, L] for the uniform graph's limit draw (torch.randint); unused for absorbing. */
  limit?: ArrayLike<number>;
  /** Uniforms for call k, of the given probs shape ([B, L, D], or [B, L, D − 1] for the absorbing denoiser). */
  uniforms: (call: number, shape: readonly number[]) => ArrayLike<number>;
}

export interface SeddPcCall {
  /** The x the model saw at this call. */
  x: Nd<Int32Array>;
  /** The σ per row [B] the model saw. */
  sigma: Float64Array;
  probs: Nd<Float64Array>;
}

export interface SeddPcResult {
  x: Nd<Int32Array>;
  calls: SeddPcCall[];
  nfe: number;
}

export function seddPcSample(ctx: SeddSamplerContext, o: SeddPcOptions, draws: SeddPcDraws): SeddPcResult {
  const op = 'seddPcSample';
  const [b, l] = o.batch;
  if (!(Number.isInteger(b) && b > 0 && Number.isInteger(l) && l > 0))
    throw new ConfigError({ op, arg: 'batch', expected: '[B, L] positive integers', got: brief(o.batch) });
  if (!(Number.isInteger(o.steps) && o.steps > 0))
    throw new ConfigError({ op, arg: 'steps', expected: 'a positive integer', got: brief(o.steps) });
  const eps = o.eps ?? 1e-5;
  if (!(eps >= 0 && eps < 1))
    throw new ConfigError({ op, arg: 'eps', expected: 'a number in [0, 1)', got: brief(eps) });
  const predictor = seddPredictors.get(o.predictor);
  const project = o.project ?? ((x: Nd<Int32Array>) => x);
  const D = ctx.graph.dim;

  const calls: SeddPcCall[] = [];
  const record = (x: Nd<Int32Array>, r: SeddStepResult) => calls.push({ x, sigma: r.sigma, probs: r.probs });
  const take = (shape: number[]) => {
    const u = draws.uniforms(calls.length, shape);
    if (u.length !== sizeOf(shape))
      throw new ShapeError({
        op,
        arg: `uniforms for call ${calls.length}`,
        expected: `[${shape}] = ${sizeOf(shape)} values`,
        got: `${u.length}`,
      });
    return u;
  };

  let x = ctx.graph.sampleLimit([b, l], draws.limit);
  const timesteps = torchLinspace(1, eps, o.steps + 1);
  const dt = (1 - eps) / o.steps;
  for (let k = 0; k < o.steps; k++) {
    x = project(x);
    const r = predictor(ctx, x, new Float64Array(b).fill(timesteps[k]!), dt, take([b, l, D]));
    record(x, r);
    x = r.xNext;
  }
  if (o.denoise ?? true) {
    x = project(x);
    const W = ctx.graph.absorb ? D - 1 : D;
    const r = seddDenoiserStep(ctx, x, new Float64Array(b).fill(timesteps[o.steps]!), take([b, l, W]));
    record(x, r);
    x = r.xNext;
  }
  return { x, calls, nfe: calls.length };
}

/**
 * seddPcSample with every draw from `rng` (limit ids from child 'limit', uniforms from child 'gumbel' in call order).
 */
export function seddPcSampleRng(ctx: SeddSamplerContext, o: SeddPcOptions, rng: Rng): SeddPcResult {
  const [b, l] = o.batch;
  const limitRng = rng.split('limit');
  const gumbel = rng.split('gumbel');
  const limit = ctx.graph.absorb ? undefined : Int32Array.from({ length: b * l }, () => limitRng.int(0, ctx.graph.dim));
  return seddPcSample(ctx, o, { ...(limit ? { limit } : {}), uniforms: (_k, shape) => gumbel.uniforms(sizeOf(shape)) });
}
