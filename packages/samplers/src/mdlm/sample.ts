// The MDLM sampling loop (kuleshov-group/mdlm:diffusion.py:Diffusion._sample):
//   x = all mask;  t_k = linspace(1, eps, steps + 1)[k];  dt = (1 − eps)/steps
//   k = 0..steps−1:  x ← update(x, t_k, dt)  with update ∈ {ddpm, ddpm_cache, analytic}
//   noise removal:   analytic → denoiser update at t = eps; otherwise x = argmax SUBS(backbone(x))
// ddpm_cache reuses p_θ(x0) while no token changed (and only without time conditioning).
// Every categorical draw takes V uniforms per position from the Rng (the reference rule).
import { ConfigError, Registry, brief, type Nd, type Rng } from '@dlm/core';
import { assertPositiveInt } from '../token-ids.ts';
import { analyticUpdate, denoiserUpdate } from './analytic.ts';
import { ddpmUpdate } from './ddpm.ts';
import { ddpmCacheUpdate } from './ddpm-cache.ts';
import { denoise } from './subs.ts';
import type { MdlmStepContext } from './types.ts';

export interface MdlmSamplerState {
  x: Nd<Int32Array>;
  /** ddpm_cache: p_θ(x0 | x) still valid for x. */
  cache?: Float64Array | undefined;
}

/** One update of the loop: returns the new state and the backbone calls it made. */
export type MdlmStepper = (ctx: MdlmStepContext, state: MdlmSamplerState, t: Float64Array, dt: number, uniforms: Float64Array) => { state: MdlmSamplerState; nfe: number };

export const mdlmSamplers = new Registry<MdlmStepper>('mdlm sampler', [
  ['ddpm', (ctx, s, t, dt, u) => {
    const r = ddpmUpdate(ctx, s.x, t, dt, u);
    return { state: { x: r.xNext }, nfe: r.nfe };
  }],
  ['ddpm_cache', (ctx, s, t, dt, u) => {
    const r = ddpmCacheUpdate(ctx, s.x, t, dt, u, s.cache);
    return { state: { x: r.xNext, cache: r.cacheValid ? r.pX0 : undefined }, nfe: r.nfe };
  }],
  ['analytic', (ctx, s, t, dt, u) => {
    const r = analyticUpdate(ctx, s.x, t, dt, u);
    return { state: { x: r.xNext }, nfe: r.nfe };
  }],
]);

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
  /** Starting tokens [batch, length]: mask where to generate, anything else is kept (SUBS carries it). Default all mask. */
  init?: Nd<Int32Array>;
  onStep?: (k: number, state: MdlmSamplerState, nfe: number) => void;
}

/** torch.linspace(start, end, n) on CPU (first half from the start, second half from the end). */
function linspace(start: number, end: number, n: number): number[] {
  const step = (end - start) / (n - 1);
  return Array.from({ length: n }, (_, i) => (i < Math.floor(n / 2) ? start + step * i : end - step * (n - 1 - i)));
}

export function mdlmSample(ctx: MdlmStepContext, o: MdlmSampleOptions): { x: Nd<Int32Array>; nfe: number } {
  const op = 'mdlmSample';
  const stepper = mdlmSamplers.get(o.sampler);
  assertPositiveInt(op, 'steps', o.steps);
  assertPositiveInt(op, 'batch', o.batch);
  assertPositiveInt(op, 'length', o.length);
  const eps = o.eps ?? 1e-5;
  if (!(eps > 0 && eps < 1)) throw new ConfigError({ op, arg: 'eps', expected: 'a number in (0, 1)', got: brief(eps) });
  const { batch: B, length: L } = o;
  const V = ctx.vocabSize;
  const draw = o.rng.split('categorical');
  const timesteps = linspace(1, eps, o.steps + 1);
  const dt = (1 - eps) / o.steps;
  if (o.init && (o.init.shape[0] !== B || o.init.shape[1] !== L)) {
    throw new ConfigError({ op, arg: 'init', expected: `shape [${B}, ${L}]`, got: `[${o.init.shape}]` });
  }
  let state: MdlmSamplerState = { x: { data: o.init ? Int32Array.from(o.init.data) : new Int32Array(B * L).fill(ctx.maskIndex), shape: [B, L] } };
  let nfe = 0;
  for (let k = 0; k < o.steps; k++) {
    const t = new Float64Array(B).fill(timesteps[k]!);
    const r = stepper(ctx, state, t, dt, draw.uniforms(B * L * V));
    state = r.state;
    nfe += r.nfe;
    o.onStep?.(k, state, nfe);
  }
  if (o.noiseRemoval ?? true) {
    const t = new Float64Array(B).fill(timesteps[o.steps]!);
    if (o.sampler === 'analytic') {
      state = { x: denoiserUpdate(ctx, state.x, t, draw.uniforms(B * L * V)).xNext };
    } else {
      const lp = denoise(ctx, state.x, t.map((v) => ctx.noise.totalNoise(v)));
      const x = new Int32Array(B * L);
      for (let p = 0; p < B * L; p++) {
        let best = 0;
        for (let v = 1; v < V; v++) if (lp[p * V + v]! > lp[p * V + best]!) best = v;
        x[p] = best;
      }
      state = { x: { data: x, shape: [B, L] } };
    }
    nfe += 1;
  }
  return { x: state.x, nfe };
}
