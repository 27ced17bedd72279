// Diffusion-LM's sqrt schedule: ᾱ(s) = 1 − sqrt(s + 1e-4), β from betas_for_alpha_bar.
// Source: XiangLi1999/Diffusion-LM
// improved-diffusion/improved_diffusion/gaussian_diffusion.py:get_named_beta_schedule('sqrt').
import { betasForAlphaBar } from './discretize.ts';

export function sqrtBetas(T: number): Float64Array {
  return betasForAlphaBar(T, (s) => 1 - Math.sqrt(s + 0.0001));
}
