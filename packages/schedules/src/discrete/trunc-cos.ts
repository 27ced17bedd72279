// Truncated cosine: ᾱ(s) = cos²((s + 0.1)/1.1 · π/2), discretised with the "left" rule
// (β_0 = 1 − ᾱ(0), then ratios of consecutive ᾱ).
// Source: XiangLi1999/Diffusion-LM
// improved-diffusion/improved_diffusion/gaussian_diffusion.py:get_named_beta_schedule('trunc_cos').
import { betasForAlphaBarLeft } from './discretize.ts';

export function truncCosBetas(T: number): Float64Array {
  return betasForAlphaBarLeft(T, (s) => Math.cos((((s + 0.1) / 1.1) * Math.PI) / 2) ** 2);
}
