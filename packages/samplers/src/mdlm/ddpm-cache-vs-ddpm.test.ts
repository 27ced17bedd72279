// ddpm_cache against ddpm along one whole trajectory (no time conditioning, log-linear schedule):
// at every step both see the same x and the same uniforms. ddpm_cache uses the reference's move
// chance t where ddpm uses 1 − e^{−σ(t)} = (1 − eps)·t, so the unnormalised q_xs differ by the
// factor (1 − eps) and the normalised probabilities are equal; so are the sampled tokens. The
// cached p(x0) equals a fresh one because x did not change — with fewer network calls.
import { describe, expect, it } from 'vitest';
import { Rng, type Nd } from '@dlm/core';
import { ddpmCacheUpdate } from './ddpm-cache.ts';
import { ddpmUpdate } from './ddpm.ts';
import { MASK, V, ctxWith, eps } from './toy-backbone.ts';

function normalise(q: Float64Array): Float64Array {
  const out = new Float64Array(q.length);
  for (let p = 0; p < q.length; p += V) {
    let s = 0;
    for (let v = 0; v < V; v++) s += q[p + v]!;
    for (let v = 0; v < V; v++) out[p + v] = q[p + v]! / s;
  }
  return out;
}

describe('ddpm_cache vs ddpm', () => {
  it('same per-step probabilities and samples, fewer network calls', () => {
    const cacheCalls = { calls: 0 },
      ddpmCalls = { calls: 0 };
    const cacheCtx = ctxWith(cacheCalls),
      ddpmCtx = ctxWith(ddpmCalls);
    const B = 2,
      L = 5,
      steps = 200;
    let x: Nd<Int32Array> = { data: new Int32Array(B * L).fill(MASK), shape: [B, L] };
    let cache: Float64Array | undefined;
    const rng = Rng.seeded(7);
    const dt = (1 - 1e-5) / steps;
    let reused = 0;
    for (let k = 0; k < steps; k++) {
      const t = new Float64Array(B).fill(1 - k * dt);
      const u = rng.uniforms(B * L * V);
      const c = ddpmCacheUpdate(cacheCtx, x, t, dt, u, cache);
      const d = ddpmUpdate(ddpmCtx, x, t, dt, u);
      if (cache) reused++;
      const qc = normalise(c.qXs),
        qd = normalise(d.qXs);
      for (let i = 0; i < qc.length; i++) expect(Math.abs(qc[i]! - qd[i]!)).toBeLessThan(1e-12);
      // The unnormalised forms differ exactly by the move-chance factor (1 − eps).
      expect(Math.abs(d.qXs[V - 1]! / c.qXs[V - 1]! - (1 - eps))).toBeLessThan(1e-10);
      expect([...c.xNext.data]).toEqual([...d.xNext.data]);
      x = c.xNext;
      cache = c.cacheValid ? c.pX0 : undefined;
    }
    expect(ddpmCalls.calls).toBe(steps);
    expect(cacheCalls.calls).toBe(steps - reused);
    expect(reused).toBeGreaterThan(steps / 2);
  });
});
