// Position-dependent time (AR-Diffusion, Wu et al. 2023, arXiv 2305.09515; microsoft/ProphetNet:
// AR-diffusion/train_utils/resample.py:XYUniformSampler.sample): later positions are noisier, so the
// left of the sequence is denoised first. In the (position n, timestep τ) plane the token times lie on
// the line through a moving start point (n_s, τ_s) and a fixed anchor (n_e, τ_e):
//   sentence step s ∈ [0, N + T − 1] (N = sequence length, T = diffusion steps)
//   (n_s, τ_s) = (max(N − 1 − s, 0), max(s − (N − 1), 0))      the start slides down the position axis,
//                                                              then up the time axis
//   (n_e, τ_e) = (scale·N, T − 1)                              scale = end_point_scale, 2 by default
//   τ(n) = clamp(round((n − n_e)/(n_s − n_e)·(τ_s − τ_e) + τ_e), 0, T − 1)
// The slope (τ_s − τ_e)/(n_s − n_e) is ≥ 0, so τ is non-decreasing in n. `round` is half-to-even (torch.round).
// `positionTimes` is the same line without rounding, divided by T − 1: continuous times in [0, 1] for
// a real sentence step s ∈ [0, N + T − 1] (for SEDD/MDLM-style σ̄(t) per position).
import { ConfigError, brief } from '@dlm/core';

export interface PositionTimeOptions {
  /** end_point_scale: the anchor sits at position scale·N (AR-Diffusion default 2; must be > 1). */
  scale?: number;
}

function lineTimes(s: number, length: number, top: number, scale: number, op: string): Float64Array {
  if (!(Number.isInteger(length) && length > 0))
    throw new ConfigError({ op, arg: 'length', expected: 'a positive integer', got: brief(length) });
  if (!(scale > 1 && Number.isFinite(scale)))
    throw new ConfigError({ op, arg: 'scale', expected: 'a finite number > 1', got: brief(scale) });
  const ns = Math.max(length - 1 - s, 0);
  const ts = Math.max(s - (length - 1), 0);
  // the reference truncates the anchor position to an integer in the fixed-length case: int(scale·N)
  const ne = Math.trunc(scale * length);
  const out = new Float64Array(length);
  for (let n = 0; n < length; n++) out[n] = ((n - ne) / (ns - ne)) * (ts - top) + top;
  return out;
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** AR-Diffusion integer timesteps τ(n) ∈ {0 … T−1} for n = 0 … length−1 at sentence step s ∈ {0 … length + T − 1}. */
export function arDiffusionTimesteps(s: number, length: number, T: number, o: PositionTimeOptions = {}): Int32Array {
  const op = 'arDiffusionTimesteps';
  if (!(Number.isInteger(T) && T > 1))
    throw new ConfigError({ op, arg: 'T', expected: 'an integer > 1', got: brief(T) });
  if (!(Number.isInteger(s) && s >= 0 && s < length + T))
    throw new ConfigError({ op, arg: 's', expected: `an integer in [0, ${length + T})`, got: brief(s) });
  const y = lineTimes(s, length, T - 1, o.scale ?? 2, op);
  return Int32Array.from(y, (v) => Math.min(Math.max(roundHalfEven(v), 0), T - 1));
}

/**
 * Continuous AR-Diffusion times τ(n)/(T − 1) ∈ [0, 1] for n = 0 … length−1 at a real sentence step s ∈ [0, length + T −
 * 1].
 */
export function positionTimes(s: number, length: number, T: number, o: PositionTimeOptions = {}): Float64Array {
  const op = 'positionTimes';
  if (!(Number.isInteger(T) && T > 1))
    throw new ConfigError({ op, arg: 'T', expected: 'an integer > 1', got: brief(T) });
  if (!(s >= 0 && s <= length + T - 1))
    throw new ConfigError({ op, arg: 's', expected: `a number in [0, ${length + T - 1}]`, got: brief(s) });
  return lineTimes(s, length, T - 1, o.scale ?? 2, op).map((v) => Math.min(Math.max(v / (T - 1), 0), 1));
}
