import { describe, expect, it } from 'vitest';
import { GaussianEmbeddingProcess } from '@dlm/processes';
import { gaussianDdimStep } from './ddim.ts';
import { gaussianPSample } from './p-sample.ts';
import { respaceGaussianProcess } from './respace.ts';
import { gaussianSkipStep } from './skip-step.ts';

const B = 2,
  L = 3,
  D = 2;
const shape = [B, L, D];
const nd = (f: (i: number) => number) => ({ data: Float64Array.from({ length: B * L * D }, (_, i) => f(i)), shape });
const close = (a: ArrayLike<number>, b: ArrayLike<number>, digits = 6) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, digits);
};

describe('gaussianSkipStep (a jump t → t′ per position)', () => {
  const p = GaussianEmbeddingProcess.named('sqrt', 20);
  const x = nd((i) => Math.cos(i));
  const out = nd((i) => 0.8 * Math.sin(2 * i));
  const noise = nd((i) => Math.sin(i + 0.3));

  it('posterior, t′ = t − 1: the fixed_small ancestral step (t ≥ 2; at t′ = 0 it adds no noise)', () => {
    const t = [7, 15];
    const r = gaussianSkipStep(p, { x, t, nextT: [6, 14], modelOutput: out, noise, kind: 'posterior' });
    const a = gaussianPSample(p, { x, t, modelOutput: out, noise, varianceType: 'fixed_small' });
    close(r.sample.data, a.sample.data);
    close(r.mean.data, a.greedyMean.data);
    const last = gaussianSkipStep(p, { x, t: [1, 1], nextT: [0, 0], modelOutput: out, noise, kind: 'posterior' });
    const lastA = gaussianPSample(p, { x, t: [1, 1], modelOutput: out, noise, varianceType: 'fixed_small' });
    expect(Array.from(last.sample.data)).toEqual(Array.from(last.mean.data));
    close(last.mean.data, lastA.greedyMean.data);
  });

  it('posterior, a longer jump: the fixed_small step of the chain respaced to keep t′ and t', () => {
    // Kept timesteps [0, 6, 13, 19]: chain step 2 is t = 13, its predecessor t′ = 6.
    const spaced = respaceGaussianProcess(p, [4]);
    expect(Array.from(spaced.schedule.timestepMap)).toEqual([0, 6, 13, 19]);
    const r = gaussianSkipStep(p, { x, t: [13, 6], nextT: [6, 0], modelOutput: out, noise, kind: 'posterior' });
    const a = gaussianPSample(spaced, { x, t: [2, 1], modelOutput: out, noise, varianceType: 'fixed_small' });
    close(r.mean.data, a.greedyMean.data);
    close(r.sample.data.subarray(0, L * D), a.sample.data.subarray(0, L * D));
    expect(r.variance[1]).toBe(0); // t′ = 0: no noise
  });

  it('ddim, t′ = t − 1: the DDIM step of the full chain, for η = 0 and η = 1', () => {
    for (const eta of [0, 1]) {
      const r = gaussianSkipStep(p, { x, t: [7, 15], nextT: [6, 14], modelOutput: out, noise, kind: 'ddim', eta });
      const d = gaussianDdimStep(p, { x, t: [7, 15], modelOutput: out, noise, eta });
      close(r.sample.data, d.sample.data);
      close(r.variance, d.variance, 9);
    }
  });

  it('per position: rows of one t give the per-row result exactly; tokens with t′ = t stay put', () => {
    for (const kind of ['posterior', 'ddim'] as const) {
      const row = gaussianSkipStep(p, { x, t: [9, 15], nextT: [4, 11], modelOutput: out, noise, kind, eta: 0.5 });
      const pos = gaussianSkipStep(p, {
        x,
        t: [9, 9, 9, 15, 15, 15],
        nextT: [4, 4, 4, 11, 11, 11],
        modelOutput: out,
        noise,
        kind,
        eta: 0.5,
      });
      expect(Array.from(pos.sample.data)).toEqual(Array.from(row.sample.data));
    }
    // AR-Diffusion: the left token is done (0 → 0), the middle one waits (19 → 19), the right one moves.
    const t = [0, 19, 12, 0, 3, 19],
      nextT = [0, 19, 8, 0, 0, 17];
    const post = gaussianSkipStep(p, { x, t, nextT, modelOutput: out, noise, kind: 'posterior' });
    const ddim = gaussianSkipStep(p, { x, t, nextT, modelOutput: out, noise, kind: 'ddim' });
    for (const pos of [0, 1, 3]) {
      for (let d = 0; d < D; d++) {
        expect(post.sample.data[pos * D + d]).toBe(x.data[pos * D + d]);
        expect(ddim.sample.data[pos * D + d]).toBeCloseTo(x.data[pos * D + d]!, 5);
      }
    }
    expect(post.sample.data[2 * D]).not.toBeCloseTo(x.data[2 * D]!, 3);
    expect(Array.from(post.variance.subarray(0, 2))).toEqual([0, 0]);
    expect(post.variance[2]).toBeGreaterThan(0);
  });

  it('anchors source positions and names bad arguments', () => {
    const mask = { data: Int32Array.of(0, 1, 1, 0, 0, 1), shape: [B, L] };
    const xStart = nd((i) => 10 + i);
    const t = [0, 9, 9, 0, 0, 9],
      nextT = [0, 5, 5, 0, 0, 5];
    const r = gaussianSkipStep(p, {
      x,
      t,
      nextT,
      modelOutput: out,
      noise,
      kind: 'posterior',
      anchor: { mask, xStart },
    });
    for (const pos of [0, 3, 4]) for (let d = 0; d < D; d++) expect(r.sample.data[pos * D + d]).toBe(10 + pos * D + d);
    const bad = (o: Record<string, unknown>) => () =>
      gaussianSkipStep(p, { x, t, nextT, modelOutput: out, noise, kind: 'posterior', ...o });
    expect(bad({ nextT: [0, 10, 5, 0, 0, 5] })).toThrow(/gaussian\.skipStep: nextT\[1\].*≤ t\[1\] = 9/);
    expect(bad({ nextT: [0, 1] })).toThrow(/gaussian\.skipStep: nextT.*6 timesteps/);
    expect(bad({ kind: 'euler' })).toThrow(/gaussian\.skipStep: kind.*posterior, ddim/);
    expect(bad({ kind: 'ddim', eta: 2 })).toThrow(/gaussian\.skipStep: eta/);
    expect(bad({ t: [0, 9, 9, 0, 0, 20] })).toThrow(/t\[5\]/);
  });
});
