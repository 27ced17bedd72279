// AR-Diffusion's position-dependent time (Wu et al. 2023) laid over the TARGET positions of DiffuSeq-style rows:
// for row b with target positions j_0 < j_1 < … < j_{N_b−1} (mask 1; N_b of them) and sentence step s_b,
//   t[b, j_k] = arDiffusionTimesteps(min(s_b, N_b + T − 1), N_b, T, scale)[k]      k = 0 … N_b − 1
//   t[b, j]   = 0 at source positions (mask 0: never noised, so clean)
// The line of @dlm/schedules position-time.ts: τ is non-decreasing in k, so the left of the target is denoised
// first. A sentence step past a row's last one (s_b > N_b + T − 1, when rows of one batch have different target
// lengths and share the step list of the longest) reads as the last one: every target position at T − 1, as the
// reference's clamp gives (XYUniformSampler.sample / p_skip_xy_sample_loop_progressive with pred_len: per-row
// lengths, one step list over the longest).
// Source: microsoft/ProphetNet AR-diffusion/train_utils/resample.py:XYUniformSampler.sample @7f91e55 (the
// reference's decoder holds only the target; its source goes through an encoder, so it has no source time).
import { ConfigError, ShapeError, brief } from '@dlm/core';
import { arDiffusionTimesteps } from '@dlm/schedules';
import type { PositionMask } from './gaussian-process.ts';

/** N_b: the number of target positions (mask ≠ 0) of every row of mask [B, L]. */
export function targetLengths(mask: PositionMask): Int32Array {
  const [B, L] = mask.shape as [number, number];
  const out = new Int32Array(B);
  for (let b = 0; b < B; b++) for (let j = 0; j < L; j++) if (mask.data[b * L + j] !== 0) out[b]!++;
  return out;
}

/**
 * Integer timesteps t [B, L] (row-major, flat) of the rows' sentence steps s [B], for mask [B, L] (0 = source,
 * 1 = target) and a chain of T steps; `scale` is AR-Diffusion's end_point_scale (> 1, default 2).
 */
export function arDiffusionPositionTimesteps(
  mask: PositionMask,
  s: ArrayLike<number>,
  T: number,
  scale = 2,
  op = 'arDiffusionPositionTimesteps',
): Int32Array {
  if (mask.shape.length !== 2)
    throw new ShapeError({ op, arg: 'mask', expected: 'shape [B, L]', got: `[${mask.shape.join(',')}]` });
  const [B, L] = mask.shape as [number, number];
  if (s.length !== B)
    throw new ShapeError({ op, arg: 's', expected: `${B} sentence steps (one per row)`, got: `${s.length}` });
  const lengths = targetLengths(mask);
  const out = new Int32Array(B * L);
  for (let b = 0; b < B; b++) {
    const n = lengths[b]!;
    const step = s[b]!;
    if (!(Number.isInteger(step) && step >= 0))
      throw new ConfigError({ op, arg: `s[${b}]`, expected: 'a non-negative integer sentence step', got: brief(step) });
    if (n === 0) continue;
    const tau = arDiffusionTimesteps(Math.min(step, n + T - 1), n, T, { scale });
    let k = 0;
    for (let j = 0; j < L; j++) if (mask.data[b * L + j] !== 0) out[b * L + j] = tau[k++]!;
  }
  return out;
}
