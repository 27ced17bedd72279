// Ho et al. linear schedule scaled to T steps: β = linspace(1e-4·1000/T, 0.02·1000/T, T).
// Source: XiangLi1999/Diffusion-LM
// improved-diffusion/improved_diffusion/gaussian_diffusion.py:get_named_beta_schedule('linear').
import { numpyLinspace } from './discretize.ts';

export function linearBetas(T: number): Float64Array {
  const scale = 1000 / T;
  return numpyLinspace(scale * 0.0001, scale * 0.02, T);
}
