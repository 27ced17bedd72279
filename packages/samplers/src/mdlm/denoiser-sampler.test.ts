import { describe, expect, it } from 'vitest';
import { Rng } from '@dlm/core';
import { mdlmSample, type MdlmSampleOptions } from './sample.ts';
import { MASK, ctxWith } from './toy-backbone.ts';

// eps = 0.5: the loop stops at t = 0.5 with masks left, so the final step has work to do.
const options = (sampler: string, seed: number, steps: number): MdlmSampleOptions => ({
  sampler,
  steps,
  batch: 2,
  length: 5,
  eps: 0.5,
  rng: Rng.seeded(seed),
});

describe('MDLM denoiser sampler', () => {
  it("walks ddpm_cache's trajectory with its NFE, then draws the last masks from the denoiser", () => {
    const run = (sampler: string) => {
      const states: Int32Array[] = [];
      const calls = { calls: 0 };
      const onStep = (_k: number, s: { x: { data: Int32Array } }) => states.push(Int32Array.from(s.x.data));
      const r = mdlmSample(ctxWith(calls), { ...options(sampler, 4, 6), onStep });
      return { r, states, calls: calls.calls };
    };
    const d = run('denoiser'),
      c = run('ddpm_cache');
    expect(d.states.map((s) => [...s])).toEqual(c.states.map((s) => [...s]));
    expect(d.r.nfe).toBe(c.r.nfe);
    expect(d.r.nfe).toBe(d.calls);
    const last = d.states[d.states.length - 1]!;
    expect(last.includes(MASK)).toBe(true);
    last.forEach((v, i) => {
      if (v !== MASK) expect(d.r.x.data[i]).toBe(v);
    });
    expect([...d.r.x.data].includes(MASK)).toBe(false);
    // A draw, not the argmax: over seeds the filled-in tokens are not always ddpm_cache's.
    const differs = [1, 2, 3, 4, 5, 6, 7, 8].some((seed) => {
      const a = mdlmSample(ctxWith({ calls: 0 }), options('denoiser', seed, 2));
      const b = mdlmSample(ctxWith({ calls: 0 }), options('ddpm_cache', seed, 2));
      return a.x.data.some((v, i) => v !== b.x.data[i]);
    });
    expect(differs).toBe(true);
  });
});
