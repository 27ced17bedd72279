// AR-Diffusion's sampler (Wu et al. 2023): the chain runs over SENTENCE steps s = N + T − 1 … 0 (N target
// positions, T diffusion steps), every token at its own timestep τ_n(s) (arDiffusionPositionTimesteps: source
// positions 0, the k-th target position on the line of @dlm/schedules position-time.ts), so the left of the
// target reaches t = 0 first. With `steps` model calls it visits every ⌊(N + T)/steps⌋-th sentence step
// (the reference's skipping rule, p_skip_xy_sample_loop_progressive):
//   S = [N + T − 1, N + T − 1 − g, N + T − 1 − 2g, …][:steps], g = ⌊(N + T)/steps⌋; append 0 unless S ends in 0
//   for each consecutive (s, s') of S: x̂0 = f(x, τ(s)); x ← skip step τ(s) → τ(s') (skip-step.ts)
// NFE = |S| − 1 = steps, except when the stride lands exactly on 0 ((steps − 1)·g = N + T − 1, e.g. steps = N + T),
// where it is steps − 1; `nfe` reports the calls made. The last step takes every target to τ = 0 (s' = 0).
// Kinds: 'posterior' (p_skip_sample; the paper's sampler) and 'ddim' (ddim_sample_xy_loop_progressive, η). The
// reference's DDIM loop fixes the anchor at 2·N; here both use end_point_scale (default 2: the same).
// Rows of one batch may have different target lengths N_b (DiffuSeq rows with sources of different lengths):
// one step list over the longest, N = max N_b, each row's line over its own N_b (the reference's pred_len case).
// Rounding (`roundTo`, the clamping trick) where roundWhen(k) holds, k = calls left − 1 (NFE − 1 … 0); the
// reference's generate.py passes denoised_fn_round, i.e. rounds at every call.
// Source: microsoft/ProphetNet AR-diffusion/model_utils/gaussian_diffusion.py:{p_skip_xy_sample_loop_progressive,
// p_skip_sample, ddim_sample_xy_loop_progressive, ddim_sample} and gen_utils/generate.py @7f91e55.
import { ConfigError, brief, sizeOf, type Nd, type Rng } from '@dlm/core';
import {
  arDiffusionPositionTimesteps,
  roundToEmbedding,
  targetLengths,
  type GaussianEmbeddingProcess,
  type GaussianParameterization,
  type PositionMask,
} from '@dlm/processes';
import { checkLoopOptions, drawNoise, initialSample, type HostDenoiser } from './loop-common.ts';
import type { GaussianAnchor } from './p-sample.ts';
import { gaussianSkipStep, type GaussianSkipKind } from './skip-step.ts';

/** The sentence steps visited with `steps` model calls over `total` = N + T sentence steps (ends with 0). */
export function arDiffusionSentenceSteps(total: number, steps: number): number[] {
  const op = 'arDiffusionSentenceSteps';
  if (!(Number.isInteger(total) && total >= 2))
    throw new ConfigError({ op, arg: 'total', expected: 'an integer ≥ 2 (N + T sentence steps)', got: brief(total) });
  if (!(Number.isInteger(steps) && steps >= 1 && steps <= total))
    throw new ConfigError({ op, arg: 'steps', expected: `an integer in [1, ${total}] (N + T)`, got: brief(steps) });
  const stride = Math.floor(total / steps);
  const out = Array.from({ length: steps }, (_, i) => total - 1 - i * stride);
  if (out[out.length - 1] !== 0) out.push(0);
  return out;
}

export interface ArDiffusionSchedule {
  /** Sentence steps visited, N + T − 1 first, 0 last. */
  sentenceSteps: number[];
  /** Timesteps [B, L] (row-major) at every visited sentence step: times[i] belongs to sentenceSteps[i]. */
  times: Int32Array[];
}

/**
 * The per-position timesteps of the whole sampling run for target mask [B, L] (1 = target), T diffusion steps and
 * `steps` model calls; `scale` is end_point_scale.
 */
export function arDiffusionSamplingSchedule(
  mask: PositionMask,
  T: number,
  steps: number,
  scale = 2,
): ArDiffusionSchedule {
  const B = mask.shape[0]!;
  const N = Math.max(...targetLengths(mask));
  const sentenceSteps = arDiffusionSentenceSteps(N + T, steps);
  const times = sentenceSteps.map((s) => arDiffusionPositionTimesteps(mask, new Array<number>(B).fill(s), T, scale));
  return { sentenceSteps, times };
}

export interface ArDiffusionLoopOptions {
  shape: readonly [number, number, number];
  model: HostDenoiser;
  rng: Rng;
  /** Model calls (the reference's gen_timesteps), in [1, N + T]. */
  steps: number;
  /** AR-Diffusion's end_point_scale (> 1; default 2). */
  endPointScale?: number;
  /** [B, L]: 1 = target (position-dependent time), 0 = source (t = 0). Default: the anchor's mask, else all 1. */
  targetMask?: PositionMask;
  /** 'posterior' (p_skip_sample, default) or 'ddim' (with eta). */
  kind?: GaussianSkipKind;
  eta?: number;
  parameterization?: GaussianParameterization;
  clipDenoised?: boolean;
  /** Round x̂0 to the nearest row of this embedding [V, D] (the clamping trick). */
  roundTo?: Nd;
  /** Calls k (NFE − 1 … 0) at which to round; default every call. */
  roundWhen?: (k: number) => boolean;
  topP?: number;
  anchor?: GaussianAnchor;
  /** Called after every model call with k, the new sample and x̂0. */
  onStep?: (k: number, sample: Nd, predXstart: Nd) => void;
}

export interface ArDiffusionLoopResult {
  sample: Nd;
  predXstart: Nd;
  nfe: number;
  /** The sentence steps visited (the last, 0, is where the chain ends; no call is made there). */
  sentenceSteps: number[];
  /** The integer timesteps [B, L] of every model call, in call order. */
  timesteps: Int32Array[];
}

export function gaussianArDiffusionLoop(
  process: GaussianEmbeddingProcess,
  opts: ArDiffusionLoopOptions,
): ArDiffusionLoopResult {
  const op = 'gaussian.arDiffusionLoop';
  const topP = opts.topP ?? 0;
  const shape = checkLoopOptions(op, opts.shape, topP);
  const [B, L] = shape as [number, number, number];
  const mask: PositionMask = opts.targetMask ??
    opts.anchor?.mask ?? { data: new Int32Array(B * L).fill(1), shape: [B, L] };
  if (mask.shape.length !== 2 || mask.shape[0] !== B || mask.shape[1] !== L) {
    const expected = `shape [${B},${L}] (x without its embedding axis)`;
    throw new ConfigError({ op, arg: 'targetMask', expected, got: `[${mask.shape.join(',')}]` });
  }
  const T = process.numTimesteps;
  if (T !== process.schedule.originalNumTimesteps) {
    const expected = `a process over all ${process.schedule.originalNumTimesteps} timesteps (no respacing)`;
    throw new ConfigError({ op, arg: 'process', expected, got: `${T} timesteps` });
  }
  const { sentenceSteps, times } = arDiffusionSamplingSchedule(mask, T, opts.steps, opts.endPointScale ?? 2);
  const n = sizeOf(shape);
  let x = initialSample(opts.rng, shape, opts.anchor);
  let predXstart: Nd = x;
  const timesteps: Int32Array[] = [];
  const calls = sentenceSteps.length - 1;
  for (let i = 0; i < calls; i++) {
    const k = calls - 1 - i;
    const t = times[i]!;
    const modelOutput = opts.model(x, process.modelTimesteps(t, op), t);
    timesteps.push(t);
    const round = opts.roundTo && (opts.roundWhen ? opts.roundWhen(k) : true) ? opts.roundTo : undefined;
    const out = gaussianSkipStep(process, {
      x,
      t,
      nextT: times[i + 1]!,
      modelOutput,
      noise: { data: drawNoise(opts.rng, n, topP), shape },
      kind: opts.kind ?? 'posterior',
      ...(opts.eta !== undefined ? { eta: opts.eta } : {}),
      ...(opts.parameterization ? { parameterization: opts.parameterization } : {}),
      clipDenoised: opts.clipDenoised ?? false,
      ...(round ? { denoise: (p: Nd) => roundToEmbedding(p, round).embeddings } : {}),
      ...(opts.anchor ? { anchor: opts.anchor } : {}),
    });
    x = out.sample;
    predXstart = out.predXstart;
    opts.onStep?.(k, x, predXstart);
  }
  return { sample: x, predXstart, nfe: calls, sentenceSteps, timesteps };
}
