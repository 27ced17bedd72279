import { describe, expect, it } from 'vitest';
import { ddpmCacheUpdate } from './ddpm-cache.ts';
import { MASK, ctxWith, uniforms, x } from './toy-backbone.ts';

describe('MDLM ddpm_cache update', () => {
  it('ddpm_cache: reuses p(x0) only while nothing changed and never with time conditioning', () => {
    const n = { calls: 0 };
    const ctx = ctxWith(n);
    // A tiny step at small t: almost surely nothing unmasks.
    const a = ddpmCacheUpdate(ctx, x, [0.5, 0.5], 1e-9, uniforms(2));
    expect(a.changed).toBe(false);
    expect(a.cacheValid).toBe(true);
    const b = ddpmCacheUpdate(ctx, a.xNext, [0.5, 0.5], 1e-9, uniforms(3), a.pX0);
    expect(b.nfe).toBe(0);
    expect(n.calls).toBe(1);
    // The last step (t = dt) unmasks everything: the cache becomes invalid.
    const c = ddpmCacheUpdate(ctx, x, [0.1, 0.1], 0.1, uniforms(4));
    expect(c.changed).toBe(true);
    expect(c.cacheValid).toBe(false);
    expect(Array.from(c.xNext.data).includes(MASK)).toBe(false);
    expect(ddpmCacheUpdate(ctxWith({ calls: 0 }, true), x, [0.5, 0.5], 1e-9, uniforms(2)).cacheValid).toBe(false);
  });
});
