// The samplers of the embedding-diffusion families (Diffusion-LM, DiffuSeq): one registry entry per chain, each
// running x_T ~ N(0, I) → x_0 on host float64 through @dlm/samplers' gaussian loops, then rounding x_0 with the
// tied head (argmax of get_logits, as both references decode). `steps` < T respaces the chain to `steps` evenly
// spaced timesteps (improved-diffusion's timestep_respacing "<steps>"); steps = T keeps every step.
// Clamping ("the clamping trick", Diffusion-LM §4.2) rounds x̂0 to the nearest word embedding at the chain steps
// DiffuSeq's clamp_step rule selects (clamp_step 0 with clamp_first = every step = Diffusion-LM's `--clamp clamp`).
//   ancestral: p_sample_loop, posterior variance fixed_large (both references) or fixed_small (sigma_small)
//   ddim:      DDIM eq. 12 with η (eta), the same clamp rule (DiffuSeq's own DDIM rounds at every step)
import { ConfigError, Registry, brief, type Nd, type Rng } from '@dlm/core';
import { roundToEmbedding, type GaussianEmbeddingProcess } from '@dlm/processes';
import {
  clampStepRule,
  gaussianDdimLoop,
  gaussianSampleLoop,
  type GaussianAnchor,
  type GaussianStepControl,
  type HostDenoiser,
} from '@dlm/samplers';

export interface EmbeddingSamplerRequest {
  /** The full (unrespaced) chain of T steps. */
  process: GaussianEmbeddingProcess;
  /** [B, L, d] of x_T. */
  shape: readonly [number, number, number];
  model: HostDenoiser;
  rng: Rng;
  /** Chain steps to run (≤ T); NFE = steps. */
  steps: number;
  /** Host copy of the word embedding E [V, d] for the clamping trick. */
  embedding: Nd;
  clamp: 'clamp' | 'none';
  clampStep: number;
  clampFirst: boolean;
  sigmaSmall: boolean;
  eta: number;
  /** DiffuSeq: source positions (mask 0) re-imposed as x_start after every step. */
  anchor?: GaussianAnchor | undefined;
  /** Gradient-based control after every chain step (Diffusion-LM's langevin_fn). */
  control?: GaussianStepControl | undefined;
}

export interface EmbeddingSamplerResult {
  /** x_0 [B, L, d] (float64 host). */
  sample: Nd;
  nfe: number;
}

export interface EmbeddingSampler {
  run(req: EmbeddingSamplerRequest): EmbeddingSamplerResult;
}

/** improved-diffusion respacing for `steps` of T: undefined (all T) or one section of `steps` timesteps. */
function respacingOf(req: EmbeddingSamplerRequest): readonly number[] | undefined {
  const T = req.process.numTimesteps;
  if (!(Number.isInteger(req.steps) && req.steps >= 1 && req.steps <= T)) {
    const expected = `an integer in [1, ${T}] (family.diffusion_steps)`;
    throw new ConfigError({ op: 'embedding diffusion sampler', arg: 'steps', expected, got: brief(req.steps) });
  }
  return req.steps === T ? undefined : [req.steps];
}

/** The chain steps at which x̂0 is rounded (never without the clamp). */
function clampWhen(req: EmbeddingSamplerRequest): (k: number) => boolean {
  if (req.clamp === 'none') return () => false;
  return clampStepRule(req.clampStep, req.clampFirst, req.steps);
}

export const embeddingSamplers = new Registry<EmbeddingSampler>('embedding diffusion sampler', [
  [
    'ancestral',
    {
      run(req) {
        const respacing = respacingOf(req);
        const r = gaussianSampleLoop(req.process, {
          shape: req.shape,
          model: req.model,
          rng: req.rng,
          ...(respacing ? { respacing } : {}),
          varianceType: req.sigmaSmall ? 'fixed_small' : 'fixed_large',
          parameterization: 'x0',
          roundTo: req.embedding,
          roundWhen: clampWhen(req),
          ...(req.anchor ? { anchor: req.anchor } : {}),
          ...(req.control ? { control: req.control } : {}),
        });
        return { sample: r.sample, nfe: r.nfe };
      },
    },
  ],
  [
    'ddim',
    {
      run(req) {
        const respacing = respacingOf(req);
        const r = gaussianDdimLoop(req.process, {
          shape: req.shape,
          model: req.model,
          rng: req.rng,
          eta: req.eta,
          ...(respacing ? { respacing } : {}),
          parameterization: 'x0',
          clamp: (p) => roundToEmbedding(p, req.embedding).embeddings,
          clampWhen: clampWhen(req),
          ...(req.anchor ? { anchor: req.anchor } : {}),
          ...(req.control ? { control: req.control } : {}),
        });
        return { sample: r.sample, nfe: r.nfe };
      },
    },
  ],
]);
