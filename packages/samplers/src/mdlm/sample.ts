// The MDLM sampling loop (kuleshov-group/mdlm:diffusion.py:Diffusion._sample):
//   x = all mask;  t_k = linspace(1, eps, steps + 1)[k];  dt = (1 − eps)/steps
//   k = 0..steps−1:  x ← update(x, t_k, dt)  with update ∈ {ddpm, ddpm_cache, analytic}
//   noise removal:   the sampler's own final step at t = eps (sampler.ts: argmax SUBS, or the denoiser draw)
// ddpm_cache reuses p_θ(x0) while no token changed (and only without time conditioning).
// Every categorical draw takes V uniforms per position from the Rng (the reference rule).
import { ConfigError, brief, torchLinspace, type Nd, type Rng } from '@dlm/core';
import { assertPositiveInt } from '../token-ids.ts';
import { mdlmSamplers } from './registry.ts';
import type { MdlmSamplerState } from './sampler.ts';
import type { MdlmStepContext } from './types.ts';

export interface MdlmSampleOptions {
  sampler: string;
  steps: number;
  batch: number;
  length: number;
  /** Final time (MDLM default 1e-5). */
  eps?: number;
  /** Final denoising step (MDLM `sampling.noise_removal`, default true). */
  noiseRemoval?: boolean;
  rng: Rng;
  /**
   * Starting tokens [batch, length]: mask where to generate, anything else is kept (SUBS carries it). Default all mask.
   */
  init?: Nd<Int32Array>;
  onStep?: (k: number, state: MdlmSamplerState, nfe: number) => void;
}

export function mdlmSample(ctx: MdlmStepContext, o: MdlmSampleOptions): { x: Nd<Int32Array>; nfe: number } {
  const op = 'mdlmSample';
  const sampler = mdlmSamplers.get(o.sampler);
  assertPositiveInt(op, 'steps', o.steps);
  assertPositiveInt(op, 'batch', o.batch);
  assertPositiveInt(op, 'length', o.length);
  const eps = o.eps ?? 1e-5;
  if (!(eps > 0 && eps < 1)) throw new ConfigError({ op, arg: 'eps', expected: 'a number in (0, 1)', got: brief(eps) });
  const { batch: B, length: L } = o;
  const V = ctx.vocabSize;
  const draw = o.rng.split('categorical');
  const timesteps = torchLinspace(1, eps, o.steps + 1);
  const dt = (1 - eps) / o.steps;
  if (o.init && (o.init.shape[0] !== B || o.init.shape[1] !== L)) {
    throw new ConfigError({ op, arg: 'init', expected: `shape [${B}, ${L}]`, got: `[${o.init.shape}]` });
  }
  let state: MdlmSamplerState = {
    x: { data: o.init ? Int32Array.from(o.init.data) : new Int32Array(B * L).fill(ctx.maskIndex), shape: [B, L] },
  };
  let nfe = 0;
  for (let k = 0; k < o.steps; k++) {
    const t = new Float64Array(B).fill(timesteps[k]!);
    const r = sampler.step(ctx, state, t, dt, draw.uniforms(B * L * V));
    state = r.state;
    nfe += r.nfe;
    o.onStep?.(k, state, nfe);
  }
  if (o.noiseRemoval ?? true) {
    const t = new Float64Array(B).fill(timesteps[o.steps]!);
    state = { x: sampler.final(ctx, state.x, t, draw) };
    nfe += 1;
  }
  return { x: state.x, nfe };
}
