// What the ancestral loop (p-sample-loop.ts) and the DDIM loop (ddim.ts) share: the shape check, the Gaussian
// draws (optionally truncated: DiffuSeq's `top_p` redraws every |ε| > top_p) and the starting point x_T, which
// is N(0, I), or where(mask == 0, x_start, N(0, I)) with an anchor (DiffuSeq sample_seq2seq.py: x_noised).
// Source: Shark-NLP/DiffuSeq diffuseq/gaussian_diffusion.py:p_sample @20a7ab1 (top_p), sample_seq2seq.py @4239277.
import { ConfigError, ShapeError, brief, sizeOf, type Nd, type Rng } from '@dlm/core';
import type { GaussianAnchor } from './p-sample.ts';

/**
 * The denoiser on host arrays: x_t [B, L, D], model timesteps (t·1000/T) and integer t, both [B] or [B, L]
 * (per position: AR-Diffusion) → output [B, L, D].
 */
export type HostDenoiser = (x: Nd, modelT: Float64Array, t: Int32Array) => Nd;

/** What a step control sees after chain step k (gradient-control.ts; Diffusion-LM's `langevin_fn` arguments). */
export interface GaussianStepState {
  /** The chain step just taken (K−1 … 0). */
  k: number;
  /** K: steps of the (possibly respaced) chain. */
  numSteps: number;
  /** The new sample x_{k−1} [B, L, D] (x_0 after k = 0). */
  sample: Nd;
  /** The step's mean [B, L, D]: the sample before its noise was added. */
  mean: Nd;
  /** The step's standard deviation per row [B] (DDIM: σ of eq. 16, 0 for η = 0; ancestral: exp(½·log variance)). */
  sigma: Float64Array;
  /** The original timestep of the new sample: timestep_map[k−1] for k ≥ 1, 0 for x_0. */
  timestep: number;
}

/** Replaces the sample after a step (undefined = no control: the loops are unchanged). */
export type GaussianStepControl = (s: GaussianStepState) => Nd;

/** The original timestep of the sample after chain step k (what a step control's classifier sees). */
export function sampleTimestep(timestepMap: ArrayLike<number>, k: number): number {
  return k >= 1 ? timestepMap[k - 1]! : 0;
}

/** n standard normals (float64); with topP > 0 every |ε| > topP is redrawn. */
export function drawNoise(rng: Rng, n: number, topP: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let e = rng.normal();
    if (topP > 0) while (Math.abs(e) > topP) e = rng.normal();
    out[i] = e;
  }
  return out;
}

/** Checks shape [B, L, D] and topP (0 = off, else ≥ 0.1); returns the shape as a mutable array. */
export function checkLoopOptions(op: string, shape: readonly number[], topP: number): number[] {
  if (shape.length !== 3 || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new ShapeError({ op, arg: 'shape', expected: '[B, L, D] positive integers', got: brief(shape) });
  }
  if (!(topP >= 0) || (topP > 0 && topP < 0.1)) {
    throw new ConfigError({
      op,
      arg: 'topP',
      expected: '0 (off) or a truncation bound ≥ 0.1 (smaller bounds make redrawing very slow)',
      got: brief(topP),
    });
  }
  return [...shape];
}

/** x_T [B, L, D]: standard normal draws (never truncated), source positions replaced by x_start. */
export function initialSample(rng: Rng, shape: readonly number[], anchor?: GaussianAnchor): Nd {
  const x: Nd = { data: drawNoise(rng, sizeOf(shape), 0), shape: [...shape] };
  if (!anchor) return x;
  const { mask, xStart } = anchor;
  const D = shape[2]!;
  return { data: x.data.map((v, i) => (mask.data[Math.floor(i / D)] === 0 ? xStart.data[i]! : v)), shape: x.shape };
}
