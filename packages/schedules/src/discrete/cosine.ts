// Improved-DDPM cosine schedule: ᾱ(s) = cos²((s + 0.008)/1.008 · π/2), β from betas_for_alpha_bar.
// Source: XiangLi1999/Diffusion-LM
// improved-diffusion/improved_diffusion/gaussian_diffusion.py:get_named_beta_schedule('cosine').
import { betasForAlphaBar } from './discretize.ts';

export function cosineBetas(T: number): Float64Array {
  // Same operation order as the reference: ((s + 0.008) / 1.008 · π) / 2.
  return betasForAlphaBar(T, (s) => Math.cos((((s + 0.008) / 1.008) * Math.PI) / 2) ** 2);
}
