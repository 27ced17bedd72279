// The samplers of the embedding-diffusion families (Diffusion-LM, DiffuSeq): one registry entry per chain, each
// running x_T ~ N(0, I) → x_0 on host float64 through @dlm/samplers' gaussian loops, then rounding x_0 with the
// tied head (argmax of get_logits, as both references decode). `steps` < T respaces the chain to `steps` evenly
// spaced timesteps (improved-diffusion's timestep_respacing "<steps>"); steps = T keeps every step.
// Clamping ("the clamping trick", Diffusion-LM §4.2) rounds x̂0 to the nearest word embedding at the chain steps
// DiffuSeq's clamp_step rule selects (clamp_step 0 with clamp_first = every step = Diffusion-LM's `--clamp clamp`).
//   ancestral: p_sample_loop, posterior variance fixed_large (both references) or fixed_small (sigma_small)
//   ddim:      DDIM eq. 12 with η (eta), the same clamp rule (DiffuSeq's own DDIM rounds at every step)
// With AR-Diffusion's position-dependent time (`time: ar-diffusion`, the DiffuSeq knob time_schedule) each entry
// runs AR-Diffusion's loop instead (@dlm/samplers ar-diffusion-loop.ts): `steps` model calls over the N + T
// sentence steps (its skipping rule; steps ∈ [1, N + T], N the longest target), every token at its own timestep,
// the left of the target first; ancestral = p_skip_sample (the jump's own posterior variance: sigma_small does not
// apply), ddim = ddim_sample with next_t and η. microsoft/ProphetNet AR-diffusion/model_utils/gaussian_diffusion.py
// @7f91e55.
import { ConfigError, Registry, brief, type Nd, type Rng } from '@dlm/core';
import { roundToEmbedding, type GaussianEmbeddingProcess } from '@dlm/processes';
import {
  clampStepRule,
  gaussianArDiffusionLoop,
  gaussianDdimLoop,
  gaussianSampleLoop,
  type GaussianAnchor,
  type GaussianStepControl,
  type GaussianSkipKind,
  type HostDenoiser,
} from '@dlm/samplers';

/** How timesteps are laid over positions: one per row (uniform) or AR-Diffusion's per-token line. */
export type EmbeddingTimeSchedule = { name: 'uniform' } | { name: 'ar-diffusion'; endPointScale: number };

export interface EmbeddingSamplerRequest {
  /** The full (unrespaced) chain of T steps. */
  process: GaussianEmbeddingProcess;
  /** [B, L, d] of x_T. */
  shape: readonly [number, number, number];
  model: HostDenoiser;
  rng: Rng;
  /** Chain steps to run (≤ T; ≤ N + T sentence steps under ar-diffusion); NFE = steps. */
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
  /** Default uniform (one t per row). ar-diffusion: the target (anchor mask 1, else all) in AR-Diffusion's time. */
  time?: EmbeddingTimeSchedule | undefined;
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

/** What every chain of the registry is given: x_T's shape, the network, the draws, the anchor; x0-parameterised. */
function chainOptions(req: EmbeddingSamplerRequest) {
  return {
    shape: req.shape,
    model: req.model,
    rng: req.rng,
    parameterization: 'x0' as const,
    ...(req.anchor ? { anchor: req.anchor } : {}),
  };
}

/** The respaced chain's options (respacing of `steps`, the step control) for the ancestral and DDIM loops. */
function respacedOptions(req: EmbeddingSamplerRequest) {
  const respacing = respacingOf(req);
  return {
    ...chainOptions(req),
    ...(respacing ? { respacing } : {}),
    ...(req.control ? { control: req.control } : {}),
  };
}

/** AR-Diffusion's loop over sentence steps with the given jump (`kind`), when req.time asks for it. */
function arDiffusionRun(req: EmbeddingSamplerRequest, kind: GaussianSkipKind): EmbeddingSamplerResult | undefined {
  if (req.time?.name !== 'ar-diffusion') return undefined;
  if (req.control) {
    const expected = "no gradient-based control with AR-Diffusion's time (its loop has no step control)";
    throw new ConfigError({ op: 'embedding diffusion sampler', arg: 'control', expected, got: 'a control' });
  }
  const r = gaussianArDiffusionLoop(req.process, {
    ...chainOptions(req),
    steps: req.steps,
    endPointScale: req.time.endPointScale,
    kind,
    eta: req.eta,
    roundTo: req.embedding,
    roundWhen: clampWhen(req),
  });
  return { sample: r.sample, nfe: r.nfe };
}

export const embeddingSamplers = new Registry<EmbeddingSampler>('embedding diffusion sampler', [
  [
    'ancestral',
    {
      run(req) {
        const ar = arDiffusionRun(req, 'posterior');
        if (ar) return ar;
        const r = gaussianSampleLoop(req.process, {
          ...respacedOptions(req),
          varianceType: req.sigmaSmall ? 'fixed_small' : 'fixed_large',
          roundTo: req.embedding,
          roundWhen: clampWhen(req),
        });
        return { sample: r.sample, nfe: r.nfe };
      },
    },
  ],
  [
    'ddim',
    {
      run(req) {
        const ar = arDiffusionRun(req, 'ddim');
        if (ar) return ar;
        const r = gaussianDdimLoop(req.process, {
          ...respacedOptions(req),
          eta: req.eta,
          clamp: (p) => roundToEmbedding(p, req.embedding).embeddings,
          clampWhen: clampWhen(req),
        });
        return { sample: r.sample, nfe: r.nfe };
      },
    },
  ],
]);
