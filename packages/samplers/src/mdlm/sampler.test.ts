import { describe, expect, it } from 'vitest';
import { Rng } from '@dlm/core';
import { argmaxFinal } from './sampler.ts';
import { denoise } from './subs.ts';
import { MASK, V, ctxWith, x } from './toy-backbone.ts';

describe('argmaxFinal (ddpm / ddpm_cache noise removal)', () => {
  it('keeps committed tokens, fills masks with the SUBS argmax, one backbone call, no draw', () => {
    const calls = { calls: 0 };
    const t = new Float64Array([1e-5, 1e-5]);
    const draw = Rng.seeded(1);
    const before = draw.state();
    const out = argmaxFinal(ctxWith(calls), x, t, draw);
    expect(calls.calls).toBe(1);
    expect(draw.state()).toEqual(before);
    const lp = denoise(
      ctxWith({ calls: 0 }),
      x,
      t.map((v) => -Math.log1p(-(1 - 1e-3) * v)),
    );
    for (let p = 0; p < x.data.length; p++) {
      if (x.data[p] !== MASK) expect(out.data[p]).toBe(x.data[p]);
      const row = Array.from(lp.subarray(p * V, (p + 1) * V));
      expect(out.data[p]).toBe(row.indexOf(Math.max(...row)));
    }
    expect(out.shape).toEqual([2, 3]);
  });
});
