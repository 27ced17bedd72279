import { describe, expect, it } from 'vitest';
import { analyticUpdate, denoiserUpdate } from './analytic.ts';
import { MASK, ctxWith, uniforms, x } from './toy-backbone.ts';

describe('MDLM analytic and denoiser updates', () => {
  it('analytic keeps unmasked tokens; the denoiser never outputs the mask', () => {
    const r = analyticUpdate(ctxWith({ calls: 0 }), x, [0.6, 0.6], 0.1, uniforms(5));
    for (let p = 0; p < 6; p++) if (x.data[p] !== MASK) expect(r.xNext.data[p]).toBe(x.data[p]);
    const d = denoiserUpdate(ctxWith({ calls: 0 }), x, [1e-5, 1e-5], uniforms(6));
    expect(Array.from(d.xNext.data).includes(MASK)).toBe(false);
    for (let p = 0; p < 6; p++) if (x.data[p] !== MASK) expect(d.xNext.data[p]).toBe(x.data[p]);
  });
});
