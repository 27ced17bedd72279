import { describe, expect, it } from 'vitest';
import { ConfigError } from '@dlm/core';
import { ddpmUpdate } from './ddpm.ts';
import { MASK, V, ctxWith, uniforms, x } from './toy-backbone.ts';

describe('MDLM ddpm update', () => {
  it('ddpm: q_xs rows of masked positions sum to mc_t, committed tokens are copied', () => {
    const r = ddpmUpdate(ctxWith({ calls: 0 }), x, [0.6, 0.3], 0.1, uniforms(1));
    for (let p = 0; p < 6; p++) {
      if (x.data[p] !== MASK) {
        expect(r.xNext.data[p]).toBe(x.data[p]);
        continue;
      }
      const row = r.qXs.subarray(p * V, (p + 1) * V);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(r.moveChanceT[Math.floor(p / 3)]!, 12);
      expect(row[MASK]).toBe(r.moveChanceS[Math.floor(p / 3)]);
    }
    expect(r.nfe).toBe(1);
  });

  it('rejects token ids outside [0, V), naming the op and x', () => {
    const bad = { data: Int32Array.from([MASK, 9, 0, 0, 0, 0]), shape: [2, 3] };
    expect(() => ddpmUpdate(ctxWith({ calls: 0 }), bad, [0.5, 0.5], 0.1, uniforms(1))).toThrow(ConfigError);
    expect(() => ddpmUpdate(ctxWith({ calls: 0 }), bad, [0.5, 0.5], 0.1, uniforms(1))).toThrow(/mdlm.ddpmUpdate: x/);
    expect(() => ddpmUpdate(ctxWith({ calls: 0 }), x, [0.5], 0.1, uniforms(1))).toThrow(/t/);
  });
});
