// Truncated linear: the linear schedule shifted up by 0.01,
// β = linspace(1e-4·1000/T + 0.01, 0.02·1000/T + 0.01, T).
// Source: XiangLi1999/Diffusion-LM
// improved-diffusion/improved_diffusion/gaussian_diffusion.py:get_named_beta_schedule('trunc_lin').
import { numpyLinspace } from './discretize.ts';

export function truncLinBetas(T: number): Float64Array {
  const scale = 1000 / T;
  return numpyLinspace(scale * 0.0001 + 0.01, scale * 0.02 + 0.01, T);
}
