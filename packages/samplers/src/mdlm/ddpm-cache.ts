// MDLM ancestral update with a p(x0) cache (kuleshov-group/mdlm:diffusion.py:_ddpm_caching_update
// and the cache rule in Diffusion._sample). Log-linear schedule only: the move chance is t itself,
//   q_xs = p_x0·(t − (t − dt)),  q_xs[..., mask] = t − dt;  sample; copy unmasked x.
// Without time conditioning p_θ(x0 | x) depends on x alone, so while no token changes the previous
// p_x0 is still exact and the backbone is not called (0 NFE). The caller keeps `pX0` for the next
// step only when `changed` is false (and never with time conditioning: `cacheValid`).
import { ConfigError, ShapeError, brief, type Nd } from '@dlm/core';
import { ancestralStep, changed, checkStep } from './common.ts';
import { denoise } from './subs.ts';
import { argmaxFinal, type MdlmSampler } from './sampler.ts';
import type { MdlmStepContext } from './types.ts';

export interface DdpmCacheUpdateResult {
  xNext: Nd<Int32Array>;
  /** [B, L, V] p_θ(x0 | x) used by this step (computed, or the cache passed in). */
  pX0: Float64Array;
  qXs: Float64Array;
  /** Whether any token changed; if so the cache is stale. */
  changed: boolean;
  /** Whether `pX0` may be passed to the next step (no change and no time conditioning). */
  cacheValid: boolean;
  nfe: number;
}

export function ddpmCacheUpdate(
  ctx: MdlmStepContext,
  x: Nd<Int32Array>,
  t: ArrayLike<number>,
  dt: number,
  uniforms: ArrayLike<number>,
  pX0Cache?: Float64Array,
): DdpmCacheUpdateResult {
  const op = 'mdlm.ddpmCacheUpdate';
  const [b, l, V] = checkStep(op, ctx, x, t, uniforms);
  if (!(Number.isFinite(dt) && dt > 0))
    throw new ConfigError({ op, arg: 'dt', expected: 'a positive step', got: brief(dt) });
  let pX0: Float64Array;
  let nfe = 0;
  if (pX0Cache) {
    if (pX0Cache.length !== b * l * V)
      throw new ShapeError({ op, arg: 'pX0Cache', expected: `[${b}, ${l}, ${V}] values`, got: `${pX0Cache.length}` });
    pX0 = pX0Cache;
  } else {
    const sigma = Float64Array.from(t as ArrayLike<number>, (v) => ctx.noise.totalNoise(v));
    pX0 = denoise(ctx, x, sigma);
    for (let i = 0; i < pX0.length; i++) pX0[i] = Math.exp(pX0[i]!);
    nfe = 1;
  }
  const mcT = Float64Array.from(t as ArrayLike<number>);
  const mcS = mcT.map((v) => v - dt);
  const { qXs, xNext } = ancestralStep(pX0, x, mcT, mcS, ctx.maskIndex, uniforms);
  const didChange = changed(x.data, xNext.data);
  return { xNext, pX0, qXs, changed: didChange, cacheValid: !didChange && !ctx.timeConditioning, nfe };
}

/** `ddpm_cache`: the cached ancestral update (p(x0) kept while valid), argmax noise removal. */
export const ddpmCacheSampler: MdlmSampler = {
  step: (ctx, s, t, dt, u) => {
    const r = ddpmCacheUpdate(ctx, s.x, t, dt, u, s.cache);
    return { state: { x: r.xNext, cache: r.cacheValid ? r.pX0 : undefined }, nfe: r.nfe };
  },
  final: argmaxFinal,
};
