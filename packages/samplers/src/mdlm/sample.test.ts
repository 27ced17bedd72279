import { describe, expect, it } from 'vitest';
import { Rng } from '@dlm/core';
import { mdlmSamplers } from './registry.ts';
import { mdlmSample } from './sample.ts';
import { MASK, ctxWith } from './toy-backbone.ts';

describe('MDLM sampling loop (every registered sampler)', () => {
  for (const name of mdlmSamplers.names()) {
    it(`${name}: committed tokens stay fixed, output has no mask, same seed → same sample`, () => {
      const run = (seed: number) => {
        const states: Int32Array[] = [];
        const n = { calls: 0 };
        const r = mdlmSample(ctxWith(n), {
          sampler: name,
          steps: 8,
          batch: 2,
          length: 5,
          rng: Rng.seeded(seed),
          onStep: (_k, s) => states.push(Int32Array.from(s.x.data)),
        });
        expect(r.nfe).toBe(n.calls);
        return { r, states };
      };
      const { r, states } = run(11);
      for (let k = 1; k < states.length; k++) {
        states[k - 1]!.forEach((v, i) => {
          if (v !== MASK) expect(states[k]![i]).toBe(v);
        });
      }
      expect(Array.from(r.x.data).includes(MASK)).toBe(false);
      expect(Array.from(run(11).r.x.data)).toEqual(Array.from(r.x.data));
    });
  }

  it('ddpm_cache calls the backbone less often than ddpm on the same draws', () => {
    const nfe = (sampler: string) =>
      mdlmSample(ctxWith({ calls: 0 }), { sampler, steps: 64, batch: 1, length: 4, rng: Rng.seeded(3) }).nfe;
    expect(nfe('ddpm')).toBe(65);
    expect(nfe('ddpm_cache')).toBeLessThan(40);
  });
});
