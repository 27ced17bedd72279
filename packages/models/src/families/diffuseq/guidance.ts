// Classifier-free guidance for DiffuSeq's denoiser (Ho & Salimans 2022, eq. 6, in x0-parameterisation):
//   x̂0 = (1 + w)·f(x_t, t | source) − w·f(x_t, t | null)
// The unconditional input is x_t with every source position after BOS (input_mask 0, column > 0) replaced by the
// null condition's embedding E[null] — what training saw for the rows whose source was dropped (p_uncond).
// One guided step makes two network calls on host arrays x [B, L, d].
import type { Nd } from '@dlm/core';
import type { HostDenoiser } from '@dlm/samplers';

export function guidedDenoiser(
  base: HostDenoiser,
  o: { mask: Nd<Int32Array>; embedding: Nd; nullId: number; scale: number },
): HostDenoiser {
  const [, L] = o.mask.shape as [number, number];
  const d = o.embedding.shape[1]!;
  const w = o.scale;
  return (x, modelT, t) => {
    const cond = base(x, modelT, t);
    const xu = Float64Array.from(x.data);
    for (let p = 0; p < o.mask.data.length; p++) {
      if (o.mask.data[p] !== 0 || p % L === 0) continue;
      for (let k = 0; k < d; k++) xu[p * d + k] = o.embedding.data[o.nullId * d + k]!;
    }
    const unc = base({ data: xu, shape: x.shape }, modelT, t);
    return { data: cond.data.map((v, i) => (1 + w) * v - w * unc.data[i]!), shape: cond.shape };
  };
}
