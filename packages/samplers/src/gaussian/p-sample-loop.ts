// The ancestral sampling loop t = T−1 … 0 of Diffusion-LM / DiffuSeq on host float64, one model
// call per step (NFE = T). Noise comes from a seeded Rng (float64 normals); with topP > 0 every
// |ε| > topP is redrawn (DiffuSeq's truncated "top_p" noise). With an anchor, x_T is
// where(mask == 0, x_start, N(0, I)) and source positions are re-anchored after every step.
// Rounding: `roundTo` with `roundWhen(t)`: Diffusion-LM's `--clamp clamp` rounds at every step
// (the default); DiffuSeq's clamp_step/clamp_first is roundWhen = t => clampFirst ? t >= clampStep : t <= clampStep.
// Source: XiangLi1999/Diffusion-LM
// improved-diffusion/improved_diffusion/gaussian_diffusion.py:p_sample_loop_progressive; Shark-NLP/DiffuSeq
// diffuseq/gaussian_diffusion.py:p_sample_loop_progressive, sample_seq2seq.py.
import { ConfigError, ShapeError, brief, sizeOf, type Nd, type Rng } from '@dlm/core';
import type { GaussianEmbeddingProcess, GaussianParameterization, GaussianVarianceType } from '@dlm/processes';
import { gaussianPSample, type GaussianAnchor } from './p-sample.ts';

/** The denoiser on host arrays: x_t [B, L, D], model timesteps [B] (t·1000/T), integer t [B] → output [B, L, D]. */
export type HostDenoiser = (x: Nd, modelT: Float64Array, t: Int32Array) => Nd;

export interface GaussianSampleLoopOptions {
  shape: readonly [number, number, number];
  model: HostDenoiser;
  rng: Rng;
  varianceType?: GaussianVarianceType;
  parameterization?: GaussianParameterization;
  clipDenoised?: boolean;
  roundTo?: Nd;
  roundWhen?: (t: number) => boolean;
  /** > 0: truncate the noise to [−topP, topP] by redrawing. */
  topP?: number;
  anchor?: GaussianAnchor;
  /** Called after every step with t and the new sample. */
  onStep?: (t: number, sample: Nd, predXstart: Nd) => void;
}

export interface GaussianSampleLoopResult {
  sample: Nd;
  predXstart: Nd;
  /** Number of model calls. */
  nfe: number;
}

function drawNoise(rng: Rng, n: number, topP: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let e = rng.normal();
    if (topP > 0) while (Math.abs(e) > topP) e = rng.normal();
    out[i] = e;
  }
  return out;
}

export function gaussianSampleLoop(
  process: GaussianEmbeddingProcess,
  opts: GaussianSampleLoopOptions,
): GaussianSampleLoopResult {
  const op = 'gaussian.sampleLoop';
  const shape = [...opts.shape];
  if (shape.length !== 3 || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new ShapeError({ op, arg: 'shape', expected: '[B, L, D] positive integers', got: brief(opts.shape) });
  }
  const topP = opts.topP ?? 0;
  if (!(topP >= 0) || (topP > 0 && topP < 0.1)) {
    throw new ConfigError({
      op,
      arg: 'topP',
      expected: '0 (off) or a truncation bound ≥ 0.1 (smaller bounds make redrawing very slow)',
      got: brief(topP),
    });
  }
  const n = sizeOf(shape);
  const B = shape[0]!;
  let x: Nd = { data: drawNoise(opts.rng, n, 0), shape };
  if (opts.anchor) {
    const { mask, xStart } = opts.anchor;
    x = { data: x.data.map((v, i) => (mask.data[Math.floor(i / shape[2]!)] === 0 ? xStart.data[i]! : v)), shape };
  }
  let predXstart: Nd = x;
  let nfe = 0;
  for (let step = process.numTimesteps - 1; step >= 0; step--) {
    const t = new Int32Array(B).fill(step);
    const modelOutput = opts.model(x, process.modelTimesteps(t, op), t);
    nfe++;
    const round = opts.roundTo && (opts.roundWhen ? opts.roundWhen(step) : true);
    const out = gaussianPSample(process, {
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
    predXstart = out.predXstart;
    opts.onStep?.(step, x, predXstart);
  }
  return { sample: x, predXstart, nfe };
}
