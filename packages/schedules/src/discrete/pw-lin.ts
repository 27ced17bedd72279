// Piecewise linear: 10 steps from 1e-4·1000/T + 0.01 down to 1e-4·1000/T, then T − 10 steps
// linearly up to 0.02·1000/T (the middle value is repeated at the seam, as in the reference).
// Source: XiangLi1999/Diffusion-LM
// improved-diffusion/improved_diffusion/gaussian_diffusion.py:get_named_beta_schedule('pw_lin').
import { ConfigError, brief } from '@dlm/core';
import { numpyLinspace } from './discretize.ts';

export function pwLinBetas(T: number): Float64Array {
  if (T < 10) {
    throw new ConfigError({
      op: 'pw_lin betas',
      arg: 'num_timesteps',
      expected: 'at least 10 (the first segment has 10 steps)',
      got: brief(T),
    });
  }
  const scale = 1000 / T;
  const start = scale * 0.0001 + 0.01;
  const mid = scale * 0.0001;
  const end = scale * 0.02;
  const out = new Float64Array(T);
  out.set(numpyLinspace(start, mid, 10), 0);
  out.set(numpyLinspace(mid, end, T - 10), 10);
  return out;
}
