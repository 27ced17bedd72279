// Respacing a Gaussian embedding process: improved-diffusion's SpacedDiffusion over `space_timesteps(T,
// timestep_respacing)`. The kept timesteps s_0 < … < s_{K−1} keep their ᾱ; β is recomputed as
// β'_k = 1 − ᾱ_{s_k}/ᾱ_{s_{k−1}} (ᾱ before s_0 = 1), so every derived table (posterior, fixed_small / fixed_large
// variances, ᾱ_prev for DDIM) is that of the shorter chain; the model still sees the original timestep s_k
// (times 1000/T under rescale_timesteps). Respacing strings: "ddimN" (the integer stride giving N steps) or
// per-section counts "10,15,20" / [10, 15, 20] over equal portions of [0, T).
// Source: XiangLi1999/Diffusion-LM improved-diffusion/improved_diffusion/respace.py:{space_timesteps,
// SpacedDiffusion, _WrappedModel} @1b8b3db (identical in Shark-NLP/DiffuSeq diffuseq/gaussian_diffusion.py @20a7ab1);
// @dlm/schedules respace.ts holds the arithmetic.
import { ConfigError } from '@dlm/core';
import { GaussianEmbeddingProcess } from '@dlm/processes';
import { spaceTimesteps } from '@dlm/schedules';

/** improved-diffusion's `timestep_respacing`: "ddimN", "10,15,20" or a list of section counts. */
export type TimestepRespacing = string | readonly number[];

/**
 * The process over the kept timesteps of `process`'s base schedule (same schedule name, T, coefficient dtype and
 * timestep rescaling). `process` must not be respaced already (its chain must be the base one).
 */
export function respaceGaussianProcess(
  process: GaussianEmbeddingProcess,
  respacing: TimestepRespacing,
  op = 'respaceGaussianProcess',
): GaussianEmbeddingProcess {
  const s = process.schedule;
  if (s.numTimesteps !== s.originalNumTimesteps) {
    throw new ConfigError({
      op,
      arg: 'respacing',
      expected: `a process over all ${s.originalNumTimesteps} base timesteps (this one is already respaced)`,
      got: `${s.numTimesteps} timesteps`,
    });
  }
  const T = s.originalNumTimesteps;
  return GaussianEmbeddingProcess.named(s.name, T, {
    useTimesteps: spaceTimesteps(T, respacing),
    coefDtype: process.coefDtype,
    rescaleTimesteps: process.rescaleTimesteps,
  });
}
