// Training-time draws for masked diffusion: t per sequence and the masked positions.
// Every function takes explicit uniforms (reference fixtures replay them); the `*FromRng`
// wrappers draw those uniforms from a seeded Rng for training.
import { ConfigError, brief, type Nd, type Rng } from '@dlm/core';
import { assertSize } from './token-ids.ts';

export interface TimeSamplingOptions {
  /** Stratify t over the batch (MDLM `antithetic_sampling`, VDM's low-discrepancy sampler). */
  antithetic: boolean;
  /** Smallest t (MDLM `sampling_eps` = 1e-3). */
  eps: number;
}

/**
 * t per batch row (kuleshov-group/mdlm:diffusion.py:Diffusion._sample_t):
 *   e = u, or antithetic e = (u/B + b/B) mod 1  (one u per row, one stratum per row)
 *   t = (1 − eps)·e + eps   ∈ [eps, 1)
 */
export function sampleTimes(uniforms: ArrayLike<number>, opts: TimeSamplingOptions): Float64Array {
  const op = 'sampleTimes';
  if (!(Number.isFinite(opts.eps) && opts.eps >= 0 && opts.eps < 1))
    throw new ConfigError({ op, arg: 'eps', expected: 'a number in [0, 1)', got: brief(opts.eps) });
  const n = uniforms.length;
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = uniforms[i]!;
    const e = opts.antithetic ? (u / n + i / n) % 1 : u;
    t[i] = (1 - opts.eps) * e + opts.eps;
  }
  return t;
}

export function sampleTimesFromRng(rng: Rng, batch: number, opts: TimeSamplingOptions): Float64Array {
  return sampleTimes(rng.uniforms(batch), opts);
}

/**
 * Discrete-time MDLM (T > 0): t ← trunc(t·T)/T + 1/T ∈ {1/T, …, 1}
 * (kuleshov-group/mdlm:diffusion.py:Diffusion._forward_pass_diffusion).
 */
export function discretizeTimes(t: ArrayLike<number>, numSteps: number): Float64Array {
  if (!(Number.isInteger(numSteps) && numSteps > 0))
    throw new ConfigError({ op: 'discretizeTimes', arg: 'T', expected: 'a positive integer', got: brief(numSteps) });
  return Float64Array.from(t as ArrayLike<number>, (x) => Math.trunc(x * numSteps) / numSteps + 1 / numSteps);
}

/**
 * Absorbing forward process q(xt | x0) with one masking probability per row
 * (kuleshov-group/mdlm:diffusion.py:q_xt; LLaDA GUIDELINES forward_process):
 *   masked[b,l] = u[b,l] < p[b];   xt = maskId where masked, else x0.
 * @param x0       [B, L] clean tokens
 * @param p        [B] masking probability per row (MDLM: move chance 1 − e^{−σ(t)}; LLaDA: p_mask)
 * @param uniforms [B, L] uniforms
 * @param maskable optional [B, L] 0/1: positions that may be masked (e.g. not the prompt)
 */
export function maskTokens(
  x0: Nd<Int32Array>,
  p: ArrayLike<number>,
  uniforms: ArrayLike<number>,
  maskId: number,
  maskable?: ArrayLike<number>,
): { xt: Nd<Int32Array>; masked: Nd<Uint8Array> } {
  const op = 'maskTokens';
  const [b, l] = x0.shape as [number, number];
  if (x0.shape.length !== 2)
    throw new ConfigError({ op, arg: 'x0', expected: 'a [B, L] array', got: `shape [${x0.shape}]` });
  assertSize(op, 'p', p, [b]);
  assertSize(op, 'uniforms', uniforms, [b, l]);
  if (maskable) assertSize(op, 'maskable', maskable, [b, l]);
  const xt = Int32Array.from(x0.data);
  const masked = new Uint8Array(b * l);
  for (let r = 0; r < b; r++) {
    for (let j = 0; j < l; j++) {
      const i = r * l + j;
      if (uniforms[i]! < p[r]! && (!maskable || maskable[i])) {
        xt[i] = maskId;
        masked[i] = 1;
      }
    }
  }
  return { xt: { data: xt, shape: [b, l] }, masked: { data: masked, shape: [b, l] } };
}
